#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET2 __attribute__((target("avx2,fma")))

// The AVX2 form of the AVX-512 row tile in conv_kernels_avx512.c, for CPUs without AVX-512 (16
// registers of 8 lanes): four channels times NP (1...3) position vectors.

// Four channels times NP position vectors. A tile at least 8 wide needs no mask: its last vector
// starts at width − 8 and recomputes (identically) positions the one before it holds.
#define FOVEA_ROW_TILE2(NP)                                                                      \
    FOVEA_TARGET2 static void row_tile2_##NP(long rows, long width, long depth, const float *x,   \
                                             const long *offsets, const float *w,               \
                                             const float *bias, float *out, long ldo) {         \
        long at[NP];                                                                             \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                          \
            at[v] = 8 * v < width - 8 ? 8 * v : width - 8;                                       \
        __m256 a[4][NP];                                                                         \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < 4; ++r)                           \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                a[r][v] = _mm256_setzero_ps();                                                   \
        for (long s = 0; s < depth; ++s, w += 4) {                                               \
            const float *const row = x + offsets[s];                                             \
            __m256 in[NP];                                                                       \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                in[v] = _mm256_loadu_ps(row + at[v]);                                            \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < 4; ++r) {                     \
                const __m256 b = _mm256_broadcast_ss(w + r);                                     \
                _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                  \
                    a[r][v] = _mm256_fmadd_ps(b, in[v], a[r][v]);                                \
            }                                                                                    \
        }                                                                                        \
        for (long r = 0; r < rows && r < 4; ++r) {                                               \
            const __m256 b = _mm256_set1_ps(bias ? bias[r] : 0.0f);                              \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < NP; ++v)                      \
                _mm256_storeu_ps(out + r * ldo + at[v], _mm256_add_ps(a[r][v], b));              \
        }                                                                                        \
    }

FOVEA_ROW_TILE2(1)
FOVEA_ROW_TILE2(2)
FOVEA_ROW_TILE2(3)

// A tile narrower than 8: masked loads and stores (slow on AMD cores, so only here).
FOVEA_TARGET2 static void row_tile2_narrow(long rows, long width, long depth, const float *x,
                                           const long *offsets, const float *w, const float *bias,
                                           float *out, long ldo) {
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width),
                                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (long s = 0; s < depth; ++s, w += 4) {
        const __m256 in = _mm256_maskload_ps(x + offsets[s], mask);
        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(w), in, a0);
        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + 1), in, a1);
        a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + 2), in, a2);
        a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + 3), in, a3);
    }
    const __m256 acc[4] = {a0, a1, a2, a3};
    for (long r = 0; r < rows && r < 4; ++r) {
        const __m256 b = _mm256_set1_ps(bias ? bias[r] : 0.0f);
        _mm256_maskstore_ps(out + r * ldo, mask, _mm256_add_ps(acc[r], b));
    }
}

void fovea_conv_row_tile_avx2(long rows, long width, long depth, const float *x, const long *offsets,
                              const float *w, const float *bias, float *out, long ldo) {
    if (width < 8) {
        row_tile2_narrow(rows, width, depth, x, offsets, w, bias, out, ldo);
    } else if (width <= 8) {
        row_tile2_1(rows, width, depth, x, offsets, w, bias, out, ldo);
    } else if (width <= 16) {
        row_tile2_2(rows, width, depth, x, offsets, w, bias, out, ldo);
    } else {
        row_tile2_3(rows, width, depth, x, offsets, w, bias, out, ldo);
    }
}

#else

void fovea_conv_row_tile_avx2(long rows, long width, long depth, const float *x, const long *offsets,
                              const float *w, const float *bias, float *out, long ldo) {
    (void)rows; (void)width; (void)depth; (void)x; (void)offsets; (void)w; (void)bias; (void)out; (void)ldo;
}

#endif
