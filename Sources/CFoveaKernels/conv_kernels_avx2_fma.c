#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET __attribute__((target("avx2,fma")))

// Adds one row of the tile into C.
#define FOVEA_DIRECT_STORE(ROW, X0, X1)                                         \
    do {                                                                        \
        float *const r = c + (ROW) * ldc;                                       \
        _mm256_storeu_ps(r, _mm256_add_ps(_mm256_loadu_ps(r), (X0)));           \
        _mm256_storeu_ps(r + 8, _mm256_add_ps(_mm256_loadu_ps(r + 8), (X1)));   \
    } while (0)

FOVEA_TARGET
void fovea_conv_weight_tile_6x16_avx2_fma(long count, const float *x, const long *offsets,
                                          const float *dyt, long ldt, float *c, long ldc) {
    const float *const x0 = x + offsets[0], *const x1 = x + offsets[1], *const x2 = x + offsets[2];
    const float *const x3 = x + offsets[3], *const x4 = x + offsets[4], *const x5 = x + offsets[5];
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (long q = 0; q < count; ++q) {
        const float *const g = dyt + q * ldt;
        const __m256 b0 = _mm256_loadu_ps(g);
        const __m256 b1 = _mm256_loadu_ps(g + 8);
        __m256 av = _mm256_broadcast_ss(x0 + q);
        c00 = _mm256_fmadd_ps(av, b0, c00); c01 = _mm256_fmadd_ps(av, b1, c01);
        av = _mm256_broadcast_ss(x1 + q);
        c10 = _mm256_fmadd_ps(av, b0, c10); c11 = _mm256_fmadd_ps(av, b1, c11);
        av = _mm256_broadcast_ss(x2 + q);
        c20 = _mm256_fmadd_ps(av, b0, c20); c21 = _mm256_fmadd_ps(av, b1, c21);
        av = _mm256_broadcast_ss(x3 + q);
        c30 = _mm256_fmadd_ps(av, b0, c30); c31 = _mm256_fmadd_ps(av, b1, c31);
        av = _mm256_broadcast_ss(x4 + q);
        c40 = _mm256_fmadd_ps(av, b0, c40); c41 = _mm256_fmadd_ps(av, b1, c41);
        av = _mm256_broadcast_ss(x5 + q);
        c50 = _mm256_fmadd_ps(av, b0, c50); c51 = _mm256_fmadd_ps(av, b1, c51);
    }
    FOVEA_DIRECT_STORE(0, c00, c01);
    FOVEA_DIRECT_STORE(1, c10, c11);
    FOVEA_DIRECT_STORE(2, c20, c21);
    FOVEA_DIRECT_STORE(3, c30, c31);
    FOVEA_DIRECT_STORE(4, c40, c41);
    FOVEA_DIRECT_STORE(5, c50, c51);
}

#else

void fovea_conv_weight_tile_6x16_avx2_fma(long count, const float *x, const long *offsets,
                                          const float *dyt, long ldt, float *c, long ldc) {
    (void)count; (void)x; (void)offsets; (void)dyt; (void)ldt; (void)c; (void)ldc;
}

#endif
