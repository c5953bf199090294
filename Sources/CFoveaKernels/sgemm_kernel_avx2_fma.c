#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET __attribute__((target("avx2,fma")))

// One k step: two 8-wide B vectors times six broadcast A values into 12 accumulators.
#define FOVEA_STEP(A, B)                                                        \
    do {                                                                        \
        const __m256 b0 = _mm256_loadu_ps((B));                                 \
        const __m256 b1 = _mm256_loadu_ps((B) + 8);                             \
        __m256 av = _mm256_broadcast_ss((A) + 0);                               \
        c00 = _mm256_fmadd_ps(av, b0, c00); c01 = _mm256_fmadd_ps(av, b1, c01); \
        av = _mm256_broadcast_ss((A) + 1);                                      \
        c10 = _mm256_fmadd_ps(av, b0, c10); c11 = _mm256_fmadd_ps(av, b1, c11); \
        av = _mm256_broadcast_ss((A) + 2);                                      \
        c20 = _mm256_fmadd_ps(av, b0, c20); c21 = _mm256_fmadd_ps(av, b1, c21); \
        av = _mm256_broadcast_ss((A) + 3);                                      \
        c30 = _mm256_fmadd_ps(av, b0, c30); c31 = _mm256_fmadd_ps(av, b1, c31); \
        av = _mm256_broadcast_ss((A) + 4);                                      \
        c40 = _mm256_fmadd_ps(av, b0, c40); c41 = _mm256_fmadd_ps(av, b1, c41); \
        av = _mm256_broadcast_ss((A) + 5);                                      \
        c50 = _mm256_fmadd_ps(av, b0, c50); c51 = _mm256_fmadd_ps(av, b1, c51); \
    } while (0)

// Writes one row of the tile: C = alpha * acc (+ beta * C unless beta == 0).
#define FOVEA_STORE_ROW(ROW, X0, X1)                                            \
    do {                                                                        \
        float *const r = c + (ROW) * ldc;                                       \
        __m256 y0 = _mm256_mul_ps(va, (X0));                                    \
        __m256 y1 = _mm256_mul_ps(va, (X1));                                    \
        if (mode == 1) {                                                        \
            y0 = _mm256_add_ps(y0, _mm256_loadu_ps(r));                         \
            y1 = _mm256_add_ps(y1, _mm256_loadu_ps(r + 8));                     \
        } else if (mode == 2) {                                                 \
            y0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(r), y0);                   \
            y1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(r + 8), y1);               \
        }                                                                       \
        _mm256_storeu_ps(r, y0);                                                \
        _mm256_storeu_ps(r + 8, y1);                                            \
    } while (0)

FOVEA_TARGET
void fovea_sgemm_kernel_6x16_avx2_fma(long kc, const float *a, const float *b,
                                      float *c, long ldc, float alpha, float beta) {
    // Touch the C tile early so its lines arrive while the k loop runs.
    for (int i = 0; i < 6; ++i) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 15), _MM_HINT_T0);
    }
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();

    long p = 0;
    for (; p + 4 <= kc; p += 4) {
        FOVEA_STEP(a, b);
        FOVEA_STEP(a + 6, b + 16);
        FOVEA_STEP(a + 12, b + 32);
        FOVEA_STEP(a + 18, b + 48);
        a += 24;
        b += 64;
    }
    for (; p < kc; ++p) {
        FOVEA_STEP(a, b);
        a += 6;
        b += 16;
    }

    const __m256 va = _mm256_set1_ps(alpha);
    const __m256 vb = _mm256_set1_ps(beta);
    const int mode = beta == 0.0f ? 0 : (beta == 1.0f ? 1 : 2);
    FOVEA_STORE_ROW(0, c00, c01);
    FOVEA_STORE_ROW(1, c10, c11);
    FOVEA_STORE_ROW(2, c20, c21);
    FOVEA_STORE_ROW(3, c30, c31);
    FOVEA_STORE_ROW(4, c40, c41);
    FOVEA_STORE_ROW(5, c50, c51);
}

#else

void fovea_sgemm_kernel_6x16_avx2_fma(long kc, const float *a, const float *b,
                                      float *c, long ldc, float alpha, float beta) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta;
}

#endif
