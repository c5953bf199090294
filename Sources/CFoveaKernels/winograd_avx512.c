#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET __attribute__((target("avx512f")))

// F(2×2, 3×3): d is a 4×4 input window, g a 3×3 kernel, m = (G g Gᵀ) ⊙ (Bᵀ d B) and the 2×2
// output is Aᵀ m A, with
//   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 -1 -1].

FOVEA_TARGET
void fovea_winograd_input_avx512(long channels, const float *x, long plane, long width, long height,
                                 const int *base, const int *row, const int *column,
                                 float *v, long pointStride, long channelStride) {
    // Per window position (r, c): each lane's input index and whether it lies in the image.
    __m512i index[16];
    __mmask16 inside[16];
    const __m512i vb = _mm512_loadu_si512(base);
    const __m512i vr = _mm512_loadu_si512(row);
    const __m512i vc = _mm512_loadu_si512(column);
    const __m512i vh = _mm512_set1_epi32((int)height);
    const __m512i vw = _mm512_set1_epi32((int)width);
    const __m512i zero = _mm512_setzero_si512();
    for (int r = 0; r < 4; r++) {
        const __m512i y = _mm512_add_epi32(vr, _mm512_set1_epi32(r));
        const __mmask16 rowInside = _mm512_cmpge_epi32_mask(y, zero) & _mm512_cmplt_epi32_mask(y, vh);
        for (int c = 0; c < 4; c++) {
            const __m512i xc = _mm512_add_epi32(vc, _mm512_set1_epi32(c));
            inside[4 * r + c] = rowInside & _mm512_cmpge_epi32_mask(xc, zero) & _mm512_cmplt_epi32_mask(xc, vw);
            index[4 * r + c] = _mm512_add_epi32(vb, _mm512_set1_epi32((int)(r * width + c)));
        }
    }
    const __m512 none = _mm512_setzero_ps();
    for (long ch = 0; ch < channels; ch++) {
        const float *src = x + ch * plane;
        float *dst = v + ch * channelStride;
        __m512 t[16];
        // Bᵀ d: combine the four window rows for each column c.
        for (int c = 0; c < 4; c++) {
            const __m512 d0 = _mm512_mask_i32gather_ps(none, inside[c], index[c], src, 4);
            const __m512 d1 = _mm512_mask_i32gather_ps(none, inside[4 + c], index[4 + c], src, 4);
            const __m512 d2 = _mm512_mask_i32gather_ps(none, inside[8 + c], index[8 + c], src, 4);
            const __m512 d3 = _mm512_mask_i32gather_ps(none, inside[12 + c], index[12 + c], src, 4);
            t[c] = _mm512_sub_ps(d0, d2);
            t[4 + c] = _mm512_add_ps(d1, d2);
            t[8 + c] = _mm512_sub_ps(d2, d1);
            t[12 + c] = _mm512_sub_ps(d1, d3);
        }
        // (Bᵀ d) B: the same on the columns of each row.
        for (int i = 0; i < 4; i++) {
            const __m512 t0 = t[4 * i], t1 = t[4 * i + 1], t2 = t[4 * i + 2], t3 = t[4 * i + 3];
            _mm512_storeu_ps(dst + (4 * i) * pointStride, _mm512_sub_ps(t0, t2));
            _mm512_storeu_ps(dst + (4 * i + 1) * pointStride, _mm512_add_ps(t1, t2));
            _mm512_storeu_ps(dst + (4 * i + 2) * pointStride, _mm512_sub_ps(t2, t1));
            _mm512_storeu_ps(dst + (4 * i + 3) * pointStride, _mm512_sub_ps(t1, t3));
        }
    }
}

FOVEA_TARGET
void fovea_winograd_output_avx512(long channels, const float *m, long pointStride, long channelStride,
                                  float *y, long plane, long width, long height,
                                  const int *base, const int *row, const int *column, long lanes,
                                  const float *bias) {
    __m512i index[4];
    __mmask16 inside[4];
    const __m512i vb = _mm512_loadu_si512(base);
    const __m512i vr = _mm512_loadu_si512(row);
    const __m512i vc = _mm512_loadu_si512(column);
    const __mmask16 used = (__mmask16)((1u << lanes) - 1u);
    for (int r = 0; r < 2; r++) {
        const __mmask16 rowInside =
            _mm512_cmplt_epi32_mask(_mm512_add_epi32(vr, _mm512_set1_epi32(r)), _mm512_set1_epi32((int)height));
        for (int c = 0; c < 2; c++) {
            const __mmask16 columnInside =
                _mm512_cmplt_epi32_mask(_mm512_add_epi32(vc, _mm512_set1_epi32(c)), _mm512_set1_epi32((int)width));
            inside[2 * r + c] = used & rowInside & columnInside;
            index[2 * r + c] = _mm512_add_epi32(vb, _mm512_set1_epi32((int)(r * width + c)));
        }
    }
    for (long ch = 0; ch < channels; ch++) {
        const float *src = m + ch * channelStride;
        float *dst = y + ch * plane;
        __m512 s0[4], s1[4];
        // Aᵀ m: two rows from the four.
        for (int c = 0; c < 4; c++) {
            const __m512 m0 = _mm512_loadu_ps(src + c * pointStride);
            const __m512 m1 = _mm512_loadu_ps(src + (4 + c) * pointStride);
            const __m512 m2 = _mm512_loadu_ps(src + (8 + c) * pointStride);
            const __m512 m3 = _mm512_loadu_ps(src + (12 + c) * pointStride);
            s0[c] = _mm512_add_ps(_mm512_add_ps(m0, m1), m2);
            s1[c] = _mm512_sub_ps(_mm512_sub_ps(m1, m2), m3);
        }
        const __m512 b = bias ? _mm512_set1_ps(bias[ch]) : _mm512_setzero_ps();
        // (Aᵀ m) A, plus the bias.
        const __m512 y00 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s0[0], s0[1]), s0[2]), b);
        const __m512 y01 = _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(s0[1], s0[2]), s0[3]), b);
        const __m512 y10 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s1[0], s1[1]), s1[2]), b);
        const __m512 y11 = _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(s1[1], s1[2]), s1[3]), b);
        _mm512_mask_i32scatter_ps(dst, inside[0], index[0], y00, 4);
        _mm512_mask_i32scatter_ps(dst, inside[1], index[1], y01, 4);
        _mm512_mask_i32scatter_ps(dst, inside[2], index[2], y10, 4);
        _mm512_mask_i32scatter_ps(dst, inside[3], index[3], y11, 4);
    }
}

// The masks of lanes [0, count).
static inline __mmask16 fovea_first_lanes(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

FOVEA_TARGET
void fovea_winograd_input_channels_avx512(long tiles, long channels, long lanes, const float *x, long plane,
                                          long width, long height, const int *base, const int *row,
                                          const int *column, float *v, long pointStride, long tileStride) {
    const __mmask16 used = fovea_first_lanes(channels), stored = fovea_first_lanes(lanes);
    const __m512i planes = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32((int)plane));
    const __m512 none = _mm512_setzero_ps();
    for (long t = 0; t < tiles; t++) {
        __mmask16 rowInside[4], columnInside[4];
        for (int i = 0; i < 4; i++) {
            const long y = (long)row[t] + i, xc = (long)column[t] + i;
            rowInside[i] = (y >= 0 && y < height) ? used : 0;
            columnInside[i] = (xc >= 0 && xc < width) ? 0xFFFF : 0;
        }
        const __m512i start = _mm512_add_epi32(planes, _mm512_set1_epi32(base[t]));
        float *dst = v + t * tileStride;
        __m512 tr[16];
        // Bᵀ d, one window column at a time.
        for (int c = 0; c < 4; c++) {
            __m512 d[4];
            for (int r = 0; r < 4; r++) {
                d[r] = _mm512_mask_i32gather_ps(none, rowInside[r] & columnInside[c],
                    _mm512_add_epi32(start, _mm512_set1_epi32((int)(r * width + c))), x, 4);
            }
            tr[c] = _mm512_sub_ps(d[0], d[2]);
            tr[4 + c] = _mm512_add_ps(d[1], d[2]);
            tr[8 + c] = _mm512_sub_ps(d[2], d[1]);
            tr[12 + c] = _mm512_sub_ps(d[1], d[3]);
        }
        // (Bᵀ d) B.
        for (int i = 0; i < 4; i++) {
            const __m512 t0 = tr[4 * i], t1 = tr[4 * i + 1], t2 = tr[4 * i + 2], t3 = tr[4 * i + 3];
            _mm512_mask_storeu_ps(dst + (4 * i) * pointStride, stored, _mm512_sub_ps(t0, t2));
            _mm512_mask_storeu_ps(dst + (4 * i + 1) * pointStride, stored, _mm512_add_ps(t1, t2));
            _mm512_mask_storeu_ps(dst + (4 * i + 2) * pointStride, stored, _mm512_sub_ps(t2, t1));
            _mm512_mask_storeu_ps(dst + (4 * i + 3) * pointStride, stored, _mm512_sub_ps(t1, t3));
        }
    }
}

FOVEA_TARGET
void fovea_winograd_gradient_channels_avx512(long tiles, long channels, const float *dy, long plane, long width,
                                             long height, const int *base, const int *row, const int *column,
                                             float *z, long pointStride, long tileStride) {
    const __mmask16 used = fovea_first_lanes(channels);
    const __m512i planes = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32((int)plane));
    const __m512 none = _mm512_setzero_ps();
    for (long t = 0; t < tiles; t++) {
        const __m512i start = _mm512_add_epi32(planes, _mm512_set1_epi32(base[t]));
        const __mmask16 lower = (long)row[t] + 1 < height ? used : 0;
        const __mmask16 right = (long)column[t] + 1 < width ? 0xFFFF : 0;
        const __m512 g00 = _mm512_mask_i32gather_ps(none, used, start, dy, 4);
        const __m512 g01 = _mm512_mask_i32gather_ps(none, used & right,
                                                     _mm512_add_epi32(start, _mm512_set1_epi32(1)), dy, 4);
        const __m512 g10 = _mm512_mask_i32gather_ps(none, lower,
                                                    _mm512_add_epi32(start, _mm512_set1_epi32((int)width)), dy, 4);
        const __m512 g11 = _mm512_mask_i32gather_ps(none, lower & right,
                                                    _mm512_add_epi32(start, _mm512_set1_epi32((int)width + 1)), dy, 4);
        // A ∂y: four rows from two.
        const __m512 w[4][2] = {
            {g00, g01},
            {_mm512_add_ps(g00, g10), _mm512_add_ps(g01, g11)},
            {_mm512_sub_ps(g00, g10), _mm512_sub_ps(g01, g11)},
            {_mm512_sub_ps(none, g10), _mm512_sub_ps(none, g11)},
        };
        float *dst = z + t * tileStride;
        // (A ∂y) Aᵀ: four columns from two.
        for (int i = 0; i < 4; i++) {
            _mm512_storeu_ps(dst + (4 * i) * pointStride, w[i][0]);
            _mm512_storeu_ps(dst + (4 * i + 1) * pointStride, _mm512_add_ps(w[i][0], w[i][1]));
            _mm512_storeu_ps(dst + (4 * i + 2) * pointStride, _mm512_sub_ps(w[i][0], w[i][1]));
            _mm512_storeu_ps(dst + (4 * i + 3) * pointStride, _mm512_sub_ps(none, w[i][1]));
        }
    }
}

#else

void fovea_winograd_input_avx512(long channels, const float *x, long plane, long width, long height,
                                 const int *base, const int *row, const int *column,
                                 float *v, long pointStride, long channelStride) {
    (void)channels; (void)x; (void)plane; (void)width; (void)height; (void)base; (void)row;
    (void)column; (void)v; (void)pointStride; (void)channelStride;
}

void fovea_winograd_output_avx512(long channels, const float *m, long pointStride, long channelStride,
                                  float *y, long plane, long width, long height,
                                  const int *base, const int *row, const int *column, long lanes,
                                  const float *bias) {
    (void)channels; (void)m; (void)pointStride; (void)channelStride; (void)y; (void)plane; (void)width;
    (void)height; (void)base; (void)row; (void)column; (void)lanes; (void)bias;
}

void fovea_winograd_input_channels_avx512(long tiles, long channels, long lanes, const float *x, long plane,
                                          long width, long height, const int *base, const int *row,
                                          const int *column, float *v, long pointStride, long tileStride) {
    (void)tiles; (void)channels; (void)lanes; (void)x; (void)plane; (void)width; (void)height; (void)base;
    (void)row; (void)column; (void)v; (void)pointStride; (void)tileStride;
}

void fovea_winograd_gradient_channels_avx512(long tiles, long channels, const float *dy, long plane, long width,
                                             long height, const int *base, const int *row, const int *column,
                                             float *z, long pointStride, long tileStride) {
    (void)tiles; (void)channels; (void)dy; (void)plane; (void)width; (void)height; (void)base; (void)row;
    (void)column; (void)z; (void)pointStride; (void)tileStride;
}

#endif

void fovea_winograd_weights(long outChannels, long paddedOutChannels, long inChannels, const float *w,
                            long outStride, long inStride, long rowStride, long columnStride, float *u,
                            long pointStride, long mr) {
    for (long o = outChannels; o < paddedOutChannels; o++) {
        float *panel = u + (o / mr) * mr * inChannels + o % mr;
        for (long ci = 0; ci < inChannels; ci++) {
            for (int point = 0; point < 16; point++) panel[ci * mr + point * pointStride] = 0;
        }
    }
    for (long o = 0; o < outChannels; o++) {
        float *panel = u + (o / mr) * mr * inChannels + o % mr;
        for (long ci = 0; ci < inChannels; ci++) {
            const float *g = w + o * outStride + ci * inStride;
            float k[3][3];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) k[r][c] = g[r * rowStride + c * columnStride];
            }
            // G g: four rows from three.
            float t[4][3];
            for (int c = 0; c < 3; c++) {
                t[0][c] = k[0][c];
                t[1][c] = 0.5f * (k[0][c] + k[1][c] + k[2][c]);
                t[2][c] = 0.5f * (k[0][c] - k[1][c] + k[2][c]);
                t[3][c] = k[2][c];
            }
            // (G g) Gᵀ: four columns from three.
            float *out = panel + ci * mr;
            for (int r = 0; r < 4; r++) {
                out[(4 * r) * pointStride] = t[r][0];
                out[(4 * r + 1) * pointStride] = 0.5f * (t[r][0] + t[r][1] + t[r][2]);
                out[(4 * r + 2) * pointStride] = 0.5f * (t[r][0] - t[r][1] + t[r][2]);
                out[(4 * r + 3) * pointStride] = t[r][2];
            }
        }
    }
}

void fovea_winograd_weight_gradient(long outChannels, long inChannels, const float *s, long pointStride, long ldc,
                                    float *dw) {
    // Input channels outermost: the 16 sums of consecutive output channels are 16 sequential
    // streams.
    for (long ci = 0; ci < inChannels; ci++) {
        for (long o = 0; o < outChannels; o++) {
            const float *src = s + ci * ldc + o;
            float m[4][4];
            for (int p = 0; p < 16; p++) m[p / 4][p % 4] = src[p * pointStride];
            // Gᵀ S: three rows from four.
            float t[3][4];
            for (int j = 0; j < 4; j++) {
                const float middle = 0.5f * (m[1][j] + m[2][j]);
                t[0][j] = m[0][j] + middle;
                t[1][j] = 0.5f * (m[1][j] - m[2][j]);
                t[2][j] = middle + m[3][j];
            }
            // (Gᵀ S) G: three columns from four.
            float *out = dw + (o * inChannels + ci) * 9;
            for (int i = 0; i < 3; i++) {
                const float middle = 0.5f * (t[i][1] + t[i][2]);
                out[3 * i] = t[i][0] + middle;
                out[3 * i + 1] = 0.5f * (t[i][1] - t[i][2]);
                out[3 * i + 2] = middle + t[i][3];
            }
        }
    }
}
