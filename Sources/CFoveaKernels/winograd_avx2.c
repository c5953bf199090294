#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET __attribute__((target("avx2,fma")))

// The AVX2 forms of the transforms in winograd_avx512.c: eight lanes per vector, masks as
// vectors, and no scatter instruction (the output transform stores lane by lane).

// Lanes [0, count) of eight as a mask vector.
FOVEA_TARGET
static inline __m256i fovea_first_lanes8(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Whether 0 <= v < limit, lane by lane.
FOVEA_TARGET
static inline __m256i fovea_within8(__m256i v, long limit) {
    return _mm256_and_si256(_mm256_cmpgt_epi32(v, _mm256_set1_epi32(-1)),
                            _mm256_cmpgt_epi32(_mm256_set1_epi32((int)limit), v));
}

FOVEA_TARGET
void fovea_winograd_input_avx2(long channels, const float *x, long plane, long width, long height,
                               const int *base, const int *row, const int *column,
                               float *v, long pointStride, long channelStride) {
    __m256i index[16];
    __m256 inside[16];
    const __m256i vb = _mm256_loadu_si256((const __m256i *)base);
    const __m256i vr = _mm256_loadu_si256((const __m256i *)row);
    const __m256i vc = _mm256_loadu_si256((const __m256i *)column);
    for (int r = 0; r < 4; r++) {
        const __m256i rowInside = fovea_within8(_mm256_add_epi32(vr, _mm256_set1_epi32(r)), height);
        for (int c = 0; c < 4; c++) {
            const __m256i columnInside = fovea_within8(_mm256_add_epi32(vc, _mm256_set1_epi32(c)), width);
            inside[4 * r + c] = _mm256_castsi256_ps(_mm256_and_si256(rowInside, columnInside));
            index[4 * r + c] = _mm256_add_epi32(vb, _mm256_set1_epi32((int)(r * width + c)));
        }
    }
    const __m256 none = _mm256_setzero_ps();
    for (long ch = 0; ch < channels; ch++) {
        const float *src = x + ch * plane;
        float *dst = v + ch * channelStride;
        __m256 t[16];
        for (int c = 0; c < 4; c++) {
            const __m256 d0 = _mm256_mask_i32gather_ps(none, src, index[c], inside[c], 4);
            const __m256 d1 = _mm256_mask_i32gather_ps(none, src, index[4 + c], inside[4 + c], 4);
            const __m256 d2 = _mm256_mask_i32gather_ps(none, src, index[8 + c], inside[8 + c], 4);
            const __m256 d3 = _mm256_mask_i32gather_ps(none, src, index[12 + c], inside[12 + c], 4);
            t[c] = _mm256_sub_ps(d0, d2);
            t[4 + c] = _mm256_add_ps(d1, d2);
            t[8 + c] = _mm256_sub_ps(d2, d1);
            t[12 + c] = _mm256_sub_ps(d1, d3);
        }
        for (int i = 0; i < 4; i++) {
            const __m256 t0 = t[4 * i], t1 = t[4 * i + 1], t2 = t[4 * i + 2], t3 = t[4 * i + 3];
            _mm256_storeu_ps(dst + (4 * i) * pointStride, _mm256_sub_ps(t0, t2));
            _mm256_storeu_ps(dst + (4 * i + 1) * pointStride, _mm256_add_ps(t1, t2));
            _mm256_storeu_ps(dst + (4 * i + 2) * pointStride, _mm256_sub_ps(t2, t1));
            _mm256_storeu_ps(dst + (4 * i + 3) * pointStride, _mm256_sub_ps(t1, t3));
        }
    }
}

FOVEA_TARGET
void fovea_winograd_output_avx2(long channels, const float *m, long pointStride, long channelStride,
                                float *y, long plane, long width, long height,
                                const int *base, const int *row, const int *column, long lanes,
                                const float *bias) {
    // Per lane and output (r, c): its offset in the plane, or -1 outside the output.
    long offset[4][8];
    for (int i = 0; i < 8; i++) {
        for (int k = 0; k < 4; k++) {
            const int r = k / 2, c = k % 2;
            const int inside = i < lanes && row[i] + r < height && column[i] + c < width;
            offset[k][i] = inside ? (long)base[i] + r * width + c : -1;
        }
    }
    for (long ch = 0; ch < channels; ch++) {
        const float *src = m + ch * channelStride;
        float *dst = y + ch * plane;
        __m256 s0[4], s1[4];
        for (int c = 0; c < 4; c++) {
            const __m256 m0 = _mm256_loadu_ps(src + c * pointStride);
            const __m256 m1 = _mm256_loadu_ps(src + (4 + c) * pointStride);
            const __m256 m2 = _mm256_loadu_ps(src + (8 + c) * pointStride);
            const __m256 m3 = _mm256_loadu_ps(src + (12 + c) * pointStride);
            s0[c] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
            s1[c] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
        }
        const __m256 b = bias ? _mm256_set1_ps(bias[ch]) : _mm256_setzero_ps();
        float out[4][8];
        _mm256_storeu_ps(out[0], _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(s0[0], s0[1]), s0[2]), b));
        _mm256_storeu_ps(out[1], _mm256_add_ps(_mm256_sub_ps(_mm256_sub_ps(s0[1], s0[2]), s0[3]), b));
        _mm256_storeu_ps(out[2], _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(s1[0], s1[1]), s1[2]), b));
        _mm256_storeu_ps(out[3], _mm256_add_ps(_mm256_sub_ps(_mm256_sub_ps(s1[1], s1[2]), s1[3]), b));
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 8; i++) {
                if (offset[k][i] >= 0) dst[offset[k][i]] = out[k][i];
            }
        }
    }
}

FOVEA_TARGET
void fovea_winograd_input_channels_avx2(long tiles, long channels, long lanes, const float *x, long plane,
                                        long width, long height, const int *base, const int *row,
                                        const int *column, float *v, long pointStride, long tileStride) {
    const __m256i used = fovea_first_lanes8(channels), stored = fovea_first_lanes8(lanes);
    const __m256i planes = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                              _mm256_set1_epi32((int)plane));
    const __m256 none = _mm256_setzero_ps();
    const __m256i nothing = _mm256_setzero_si256();
    for (long t = 0; t < tiles; t++) {
        __m256i rowInside[4], columnInside[4];
        for (int i = 0; i < 4; i++) {
            const long yy = (long)row[t] + i, xc = (long)column[t] + i;
            rowInside[i] = (yy >= 0 && yy < height) ? used : nothing;
            columnInside[i] = (xc >= 0 && xc < width) ? _mm256_set1_epi32(-1) : nothing;
        }
        const __m256i start = _mm256_add_epi32(planes, _mm256_set1_epi32(base[t]));
        float *dst = v + t * tileStride;
        __m256 tr[16];
        for (int c = 0; c < 4; c++) {
            __m256 d[4];
            for (int r = 0; r < 4; r++) {
                d[r] = _mm256_mask_i32gather_ps(
                    none, x, _mm256_add_epi32(start, _mm256_set1_epi32((int)(r * width + c))),
                    _mm256_castsi256_ps(_mm256_and_si256(rowInside[r], columnInside[c])), 4);
            }
            tr[c] = _mm256_sub_ps(d[0], d[2]);
            tr[4 + c] = _mm256_add_ps(d[1], d[2]);
            tr[8 + c] = _mm256_sub_ps(d[2], d[1]);
            tr[12 + c] = _mm256_sub_ps(d[1], d[3]);
        }
        for (int i = 0; i < 4; i++) {
            const __m256 t0 = tr[4 * i], t1 = tr[4 * i + 1], t2 = tr[4 * i + 2], t3 = tr[4 * i + 3];
            _mm256_maskstore_ps(dst + (4 * i) * pointStride, stored, _mm256_sub_ps(t0, t2));
            _mm256_maskstore_ps(dst + (4 * i + 1) * pointStride, stored, _mm256_add_ps(t1, t2));
            _mm256_maskstore_ps(dst + (4 * i + 2) * pointStride, stored, _mm256_sub_ps(t2, t1));
            _mm256_maskstore_ps(dst + (4 * i + 3) * pointStride, stored, _mm256_sub_ps(t1, t3));
        }
    }
}

FOVEA_TARGET
void fovea_winograd_gradient_channels_avx2(long tiles, long channels, const float *dy, long plane, long width,
                                           long height, const int *base, const int *row, const int *column,
                                           float *z, long pointStride, long tileStride) {
    const __m256i used = fovea_first_lanes8(channels);
    const __m256i planes = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                              _mm256_set1_epi32((int)plane));
    const __m256 none = _mm256_setzero_ps();
    const __m256i nothing = _mm256_setzero_si256();
    for (long t = 0; t < tiles; t++) {
        const __m256i start = _mm256_add_epi32(planes, _mm256_set1_epi32(base[t]));
        const __m256i lower = (long)row[t] + 1 < height ? used : nothing;
        const __m256i right = (long)column[t] + 1 < width ? used : nothing;
        const __m256 g00 = _mm256_mask_i32gather_ps(none, dy, start, _mm256_castsi256_ps(used), 4);
        const __m256 g01 = _mm256_mask_i32gather_ps(none, dy, _mm256_add_epi32(start, _mm256_set1_epi32(1)),
                                                    _mm256_castsi256_ps(right), 4);
        const __m256 g10 = _mm256_mask_i32gather_ps(none, dy, _mm256_add_epi32(start, _mm256_set1_epi32((int)width)),
                                                    _mm256_castsi256_ps(lower), 4);
        const __m256 g11 = _mm256_mask_i32gather_ps(
            none, dy, _mm256_add_epi32(start, _mm256_set1_epi32((int)width + 1)),
            _mm256_castsi256_ps(_mm256_and_si256(lower, right)), 4);
        const __m256 w[4][2] = {
            {g00, g01},
            {_mm256_add_ps(g00, g10), _mm256_add_ps(g01, g11)},
            {_mm256_sub_ps(g00, g10), _mm256_sub_ps(g01, g11)},
            {_mm256_sub_ps(none, g10), _mm256_sub_ps(none, g11)},
        };
        float *dst = z + t * tileStride;
        for (int i = 0; i < 4; i++) {
            _mm256_storeu_ps(dst + (4 * i) * pointStride, w[i][0]);
            _mm256_storeu_ps(dst + (4 * i + 1) * pointStride, _mm256_add_ps(w[i][0], w[i][1]));
            _mm256_storeu_ps(dst + (4 * i + 2) * pointStride, _mm256_sub_ps(w[i][0], w[i][1]));
            _mm256_storeu_ps(dst + (4 * i + 3) * pointStride, _mm256_sub_ps(none, w[i][1]));
        }
    }
}

#else

void fovea_winograd_input_avx2(long channels, const float *x, long plane, long width, long height,
                               const int *base, const int *row, const int *column,
                               float *v, long pointStride, long channelStride) {
    (void)channels; (void)x; (void)plane; (void)width; (void)height; (void)base; (void)row;
    (void)column; (void)v; (void)pointStride; (void)channelStride;
}

void fovea_winograd_output_avx2(long channels, const float *m, long pointStride, long channelStride,
                                float *y, long plane, long width, long height,
                                const int *base, const int *row, const int *column, long lanes,
                                const float *bias) {
    (void)channels; (void)m; (void)pointStride; (void)channelStride; (void)y; (void)plane; (void)width;
    (void)height; (void)base; (void)row; (void)column; (void)lanes; (void)bias;
}

void fovea_winograd_input_channels_avx2(long tiles, long channels, long lanes, const float *x, long plane,
                                        long width, long height, const int *base, const int *row,
                                        const int *column, float *v, long pointStride, long tileStride) {
    (void)tiles; (void)channels; (void)lanes; (void)x; (void)plane; (void)width; (void)height; (void)base;
    (void)row; (void)column; (void)v; (void)pointStride; (void)tileStride;
}

void fovea_winograd_gradient_channels_avx2(long tiles, long channels, const float *dy, long plane, long width,
                                           long height, const int *base, const int *row, const int *column,
                                           float *z, long pointStride, long tileStride) {
    (void)tiles; (void)channels; (void)dy; (void)plane; (void)width; (void)height; (void)base; (void)row;
    (void)column; (void)z; (void)pointStride; (void)tileStride;
}

#endif
