#include "CFoveaKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define FOVEA_TARGET512 __attribute__((target("avx512f")))

// Six positions times NV 16-lane channel vectors. One depth step: NV weight vectors, six
// broadcast inputs, 6·NV fused multiply-adds. The accumulators are `acc[j][v]`; with NV a
// compile-time constant and the loops unrolled, they stay in the 32 ZMM registers. KH, KW and
// CS are the kernel's rows and columns and the column step: the parameters, or constants for a
// specialised tile whose kernel loops unroll into fixed displacements.
#define FOVEA_FORWARD_TILE(NAME, NV, KH, KW, CS, UNROLL)                                        \
    FOVEA_TARGET512 static void NAME(                                                           \
        const float *x, const long *starts, long channels, long plane, long kernelH,             \
        long rowStep, long kernelW, long colStep, const float *w, __m512 acc[6][4]) {            \
        (void)kernelH; (void)kernelW; (void)colStep;                                             \
        const float *const x0 = x + starts[0], *const x1 = x + starts[1];                        \
        const float *const x2 = x + starts[2], *const x3 = x + starts[3];                        \
        const float *const x4 = x + starts[4], *const x5 = x + starts[5];                        \
        __m512 a[6][NV];                                                                         \
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 6; ++j)                           \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                      \
                a[j][v] = _mm512_setzero_ps();                                                   \
        for (long c = 0; c < channels; ++c) {                                                    \
            UNROLL for (long u = 0; u < (KH); ++u) {                                             \
                long o = c * plane + u * rowStep;                                                \
                UNROLL for (long k = 0; k < (KW); ++k, o += (CS), w += 16 * NV) {                \
                    __m512 wv[NV];                                                               \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        wv[v] = _mm512_loadu_ps(w + 16 * v);                                     \
                    __m512 b = _mm512_set1_ps(x0[o]);                                            \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[0][v] = _mm512_fmadd_ps(b, wv[v], a[0][v]);                            \
                    b = _mm512_set1_ps(x1[o]);                                                   \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[1][v] = _mm512_fmadd_ps(b, wv[v], a[1][v]);                            \
                    b = _mm512_set1_ps(x2[o]);                                                   \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[2][v] = _mm512_fmadd_ps(b, wv[v], a[2][v]);                            \
                    b = _mm512_set1_ps(x3[o]);                                                   \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[3][v] = _mm512_fmadd_ps(b, wv[v], a[3][v]);                            \
                    b = _mm512_set1_ps(x4[o]);                                                   \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[4][v] = _mm512_fmadd_ps(b, wv[v], a[4][v]);                            \
                    b = _mm512_set1_ps(x5[o]);                                                   \
                    _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)              \
                        a[5][v] = _mm512_fmadd_ps(b, wv[v], a[5][v]);                            \
                }                                                                                \
            }                                                                                    \
        }                                                                                        \
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 6; ++j)                           \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                      \
                acc[j][v] = a[j][v];                                                             \
    }

FOVEA_FORWARD_TILE(forward_tile_1, 1, kernelH, kernelW, colStep, )
FOVEA_FORWARD_TILE(forward_tile_2, 2, kernelH, kernelW, colStep, )
FOVEA_FORWARD_TILE(forward_tile_3, 3, kernelH, kernelW, colStep, )
FOVEA_FORWARD_TILE(forward_tile_4, 4, kernelH, kernelW, colStep, )
// 3 × 3 kernels with unit column step (no dilation across), nine steps per channel unrolled.
FOVEA_FORWARD_TILE(forward_tile_4_3x3, 4, 3, 3, 1, _Pragma("clang loop unroll(full)"))

FOVEA_TARGET512
void fovea_conv_forward_tile_avx512(long lanes, const float *x, const long *starts, long channels,
                                    long plane, long kernelH, long rowStep, long kernelW, long colStep,
                                    const float *w, const float *bias, long positions, float *out,
                                    long ldo) {
    __m512 acc[6][4];
    switch ((lanes + 15) / 16) {
    case 1: forward_tile_1(x, starts, channels, plane, kernelH, rowStep, kernelW, colStep, w, acc); break;
    case 2: forward_tile_2(x, starts, channels, plane, kernelH, rowStep, kernelW, colStep, w, acc); break;
    case 3: forward_tile_3(x, starts, channels, plane, kernelH, rowStep, kernelW, colStep, w, acc); break;
    default:
        if (kernelH == 3 && kernelW == 3 && colStep == 1)
            forward_tile_4_3x3(x, starts, channels, plane, kernelH, rowStep, kernelW, colStep, w, acc);
        else
            forward_tile_4(x, starts, channels, plane, kernelH, rowStep, kernelW, colStep, w, acc);
        break;
    }
    const long vectors = (lanes + 15) / 16;
    __m512 b[4];
    for (long v = 0; v < vectors; ++v) {
        const long n = lanes - 16 * v;
        const __mmask16 mask = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
        b[v] = bias ? _mm512_maskz_loadu_ps(mask, bias + 16 * v) : _mm512_setzero_ps();
    }
    for (long j = 0; j < positions; ++j) {
        for (long v = 0; v < vectors; ++v) _mm512_storeu_ps(out + j * ldo + 16 * v, _mm512_add_ps(acc[j][v], b[v]));
    }
}

// A row tile: eight output channels times NP 16-position vectors of one output row. One depth
// step: NP input vectors (masked past the row), eight broadcast weights, 8·NP multiply-adds.
#define FOVEA_ROW_TILE(NP)                                                                        \
    FOVEA_TARGET512 static void row_tile_##NP(long rows, long width, long depth, const float *x,   \
                                              const long *offsets, const float *w,              \
                                              const float *bias, float *out, long ldo) {        \
        __mmask16 m[NP];                                                                         \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v) {                        \
            const long n = width - 16 * v;                                                       \
            m[v] = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);                    \
        }                                                                                        \
        __m512 a[8][NP];                                                                         \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < 8; ++r)                           \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                a[r][v] = _mm512_setzero_ps();                                                   \
        for (long s = 0; s < depth; ++s, w += 8) {                                               \
            const float *const row = x + offsets[s];                                             \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                _mm_prefetch((const char *)(row + width + 16 * v), _MM_HINT_T0);                 \
            __m512 in[NP];                                                                       \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                in[v] = _mm512_maskz_loadu_ps(m[v], row + 16 * v);                               \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < 8; ++r) {                     \
                const __m512 b = _mm512_set1_ps(w[r]);                                           \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                  \
                    a[r][v] = _mm512_fmadd_ps(b, in[v], a[r][v]);                                \
            }                                                                                    \
        }                                                                                        \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < 8; ++r) {                         \
            if (r >= rows) break;                                                                \
            const __m512 b = _mm512_set1_ps(bias ? bias[r] : 0.0f);                              \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                _mm512_mask_storeu_ps(out + r * ldo + 16 * v, m[v], _mm512_add_ps(a[r][v], b));  \
        }                                                                                        \
    }

FOVEA_ROW_TILE(1)
FOVEA_ROW_TILE(2)
FOVEA_ROW_TILE(3)

void fovea_conv_row_tile_avx512(long rows, long width, long depth, const float *x, const long *offsets,
                                const float *w, const float *bias, float *out, long ldo) {
    switch ((width + 15) / 16) {
    case 1: row_tile_1(rows, width, depth, x, offsets, w, bias, out, ldo); break;
    case 2: row_tile_2(rows, width, depth, x, offsets, w, bias, out, ldo); break;
    default: row_tile_3(rows, width, depth, x, offsets, w, bias, out, ldo); break;
    }
}

// The weight-gradient tile: six depth steps (rows) times NV 16-lane channel vectors, summed over
// `images` images of `rows` output rows of `width` positions each. Summing several small images
// per call reads and writes the sums in C less often.
#define FOVEA_WEIGHT_TILE(NV)                                                                    \
    FOVEA_TARGET512 static void weight_tile_##NV(long images, long imageStride, long rows,        \
                                                 long width, const float *image,                  \
                                                 long xRowStride, const long *offsets,            \
                                                 const float *dyt, long ldt, float *c, long ldc) {  \
        __m512 a[6][NV];                                                                          \
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 6; ++j)                            \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                       \
                a[j][v] = _mm512_setzero_ps();                                                    \
        for (long i = 0; i < images; ++i, image += imageStride)                                   \
        for (long y = 0, x = 0; y < rows; ++y, x += xRowStride) {                                 \
            const float *const x0 = image + x + offsets[0], *const x1 = image + x + offsets[1];   \
            const float *const x2 = image + x + offsets[2], *const x3 = image + x + offsets[3];   \
            const float *const x4 = image + x + offsets[4], *const x5 = image + x + offsets[5];   \
            for (long q = 0; q < width; ++q, dyt += ldt) {                                        \
                __m512 g[NV];                                                                     \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    g[v] = _mm512_loadu_ps(dyt + 16 * v);                                         \
                __m512 b = _mm512_set1_ps(x0[q]);                                                 \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[0][v] = _mm512_fmadd_ps(b, g[v], a[0][v]);                                  \
                b = _mm512_set1_ps(x1[q]);                                                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[1][v] = _mm512_fmadd_ps(b, g[v], a[1][v]);                                  \
                b = _mm512_set1_ps(x2[q]);                                                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[2][v] = _mm512_fmadd_ps(b, g[v], a[2][v]);                                  \
                b = _mm512_set1_ps(x3[q]);                                                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[3][v] = _mm512_fmadd_ps(b, g[v], a[3][v]);                                  \
                b = _mm512_set1_ps(x4[q]);                                                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[4][v] = _mm512_fmadd_ps(b, g[v], a[4][v]);                                  \
                b = _mm512_set1_ps(x5[q]);                                                        \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v)                   \
                    a[5][v] = _mm512_fmadd_ps(b, g[v], a[5][v]);                                  \
            }                                                                                     \
        }                                                                                         \
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 6; ++j)                            \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NV; ++v) {                     \
                float *const r = c + j * ldc + 16 * v;                                            \
                _mm512_storeu_ps(r, _mm512_add_ps(_mm512_loadu_ps(r), a[j][v]));                  \
            }                                                                                     \
    }

FOVEA_WEIGHT_TILE(1)
FOVEA_WEIGHT_TILE(2)
FOVEA_WEIGHT_TILE(3)
FOVEA_WEIGHT_TILE(4)

void fovea_conv_weight_tile_avx512(long lanes, long images, long imageStride, long rows, long width,
                                   const float *x, long xRowStride, const long *offsets, const float *dyt,
                                   long ldt, float *c, long ldc) {
    switch ((lanes + 15) / 16) {
    case 1: weight_tile_1(images, imageStride, rows, width, x, xRowStride, offsets, dyt, ldt, c, ldc); break;
    case 2: weight_tile_2(images, imageStride, rows, width, x, xRowStride, offsets, dyt, ldt, c, ldc); break;
    case 3: weight_tile_3(images, imageStride, rows, width, x, xRowStride, offsets, dyt, ldt, c, ldc); break;
    default: weight_tile_4(images, imageStride, rows, width, x, xRowStride, offsets, dyt, ldt, c, ldc); break;
    }
}

// Transposes the 16 × 16 floats in `r` in place (row i, lane k becomes row k, lane i): pairs of
// rows interleaved by floats, then by pairs of floats, then 128-bit lanes exchanged twice.
FOVEA_TARGET512 static inline void transpose_16x16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // Group g holds rows 4g...4g+3; afterwards r[4g + k] has, in each 128-bit lane L, column
    // 4L + k of those four rows.
    for (int g = 0; g < 4; ++g) {
        const __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 1]);
        const __m512d c = _mm512_castps_pd(t[4 * g + 2]), d = _mm512_castps_pd(t[4 * g + 3]);
        r[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int k = 0; k < 4; ++k) {
        const __m512 even01 = _mm512_shuffle_f32x4(r[k], r[4 + k], 0x88);
        const __m512 odd01 = _mm512_shuffle_f32x4(r[k], r[4 + k], 0xdd);
        const __m512 even23 = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0x88);
        const __m512 odd23 = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0xdd);
        t[k] = _mm512_shuffle_f32x4(even01, even23, 0x88);
        t[8 + k] = _mm512_shuffle_f32x4(even01, even23, 0xdd);
        t[4 + k] = _mm512_shuffle_f32x4(odd01, odd23, 0x88);
        t[12 + k] = _mm512_shuffle_f32x4(odd01, odd23, 0xdd);
    }
    for (int i = 0; i < 16; ++i) r[i] = t[i];
}

FOVEA_TARGET512
void fovea_transpose_avx512(const float *src, long srcStride, long rows, long columns, float *dst,
                            long dstStride, long dstRows) {
    for (long c0 = 0; c0 < columns; c0 += 16) {
        const long n = columns - c0 < 16 ? columns - c0 : 16;
        const __mmask16 load = (__mmask16)((1u << n) - 1u);
        for (long r0 = 0; r0 < dstRows; r0 += 16) {
            __m512 v[16];
            for (long i = 0; i < 16; ++i) {
                v[i] = r0 + i < rows ? _mm512_maskz_loadu_ps(load, src + (r0 + i) * srcStride + c0)
                                     : _mm512_setzero_ps();
            }
            transpose_16x16(v);
            const long m = dstRows - r0 < 16 ? dstRows - r0 : 16;
            const __mmask16 store = (__mmask16)((1u << m) - 1u);
            for (long j = 0; j < n; ++j) _mm512_mask_storeu_ps(dst + (c0 + j) * dstStride + r0, store, v[j]);
        }
    }
}

#else

void fovea_conv_row_tile_avx512(long rows, long width, long depth, const float *x, const long *offsets,
                                const float *w, const float *bias, float *out, long ldo) {
    (void)rows; (void)width; (void)depth; (void)x; (void)offsets; (void)w; (void)bias; (void)out; (void)ldo;
}

void fovea_conv_forward_tile_avx512(long lanes, const float *x, const long *starts, long channels,
                                    long plane, long kernelH, long rowStep, long kernelW, long colStep,
                                    const float *w, const float *bias, long positions, float *out,
                                    long ldo) {
    (void)lanes; (void)x; (void)starts; (void)channels; (void)plane; (void)kernelH; (void)rowStep;
    (void)kernelW; (void)colStep; (void)w; (void)bias; (void)positions; (void)out; (void)ldo;
}

void fovea_transpose_avx512(const float *src, long srcStride, long rows, long columns, float *dst,
                            long dstStride, long dstRows) {
    (void)src; (void)srcStride; (void)rows; (void)columns; (void)dst; (void)dstStride; (void)dstRows;
}

void fovea_conv_weight_tile_avx512(long lanes, long images, long imageStride, long rows, long width,
                                   const float *x, long xRowStride, const long *offsets, const float *dyt,
                                   long ldt, float *c, long ldc) {
    (void)lanes; (void)images; (void)imageStride; (void)rows; (void)width; (void)x; (void)xRowStride;
    (void)offsets; (void)dyt; (void)ldt; (void)c; (void)ldc;
}

#endif
