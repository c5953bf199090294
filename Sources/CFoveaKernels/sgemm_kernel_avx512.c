#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FOVEA_TARGET __attribute__((target("avx512f")))

// One row of the tile for one k step: a broadcast A value times the two 16-wide B vectors.
#define FOVEA_ROW(I)                                                            \
    do {                                                                        \
        const __m512 av = _mm512_set1_ps(a[(I)]);                               \
        c##I##0 = _mm512_fmadd_ps(av, b0, c##I##0);                             \
        c##I##1 = _mm512_fmadd_ps(av, b1, c##I##1);                             \
    } while (0)

// One k step: two 16-wide B vectors times twelve broadcast A values into 24 accumulators.
#define FOVEA_STEP                                                              \
    do {                                                                        \
        const __m512 b0 = _mm512_loadu_ps(b);                                   \
        const __m512 b1 = _mm512_loadu_ps(b + 16);                              \
        FOVEA_ROW(0); FOVEA_ROW(1); FOVEA_ROW(2); FOVEA_ROW(3);                 \
        FOVEA_ROW(4); FOVEA_ROW(5); FOVEA_ROW(6); FOVEA_ROW(7);                 \
        FOVEA_ROW(8); FOVEA_ROW(9); FOVEA_ROW(10); FOVEA_ROW(11);               \
        a += 12;                                                                \
        b += 32;                                                                \
    } while (0)

// Writes row I of the tile: C = alpha * acc (+ C when mode 1, + beta * C when mode 2).
#define FOVEA_STORE(I)                                                          \
    do {                                                                        \
        float *const r = c + (I) * ldc;                                         \
        __m512 y0 = _mm512_mul_ps(va, c##I##0);                                 \
        __m512 y1 = _mm512_mul_ps(va, c##I##1);                                 \
        if (mode == 1) {                                                        \
            y0 = _mm512_add_ps(y0, _mm512_loadu_ps(r));                         \
            y1 = _mm512_add_ps(y1, _mm512_loadu_ps(r + 16));                    \
        } else if (mode == 2) {                                                 \
            y0 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(r), y0);                   \
            y1 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(r + 16), y1);              \
        }                                                                       \
        _mm512_storeu_ps(r, y0);                                                \
        _mm512_storeu_ps(r + 16, y1);                                           \
    } while (0)

#define FOVEA_ZERO(I) __m512 c##I##0 = _mm512_setzero_ps(), c##I##1 = _mm512_setzero_ps()

FOVEA_TARGET
void fovea_sgemm_kernel_12x32_avx512(long kc, const float *a, const float *b,
                                     float *c, long ldc, float alpha, float beta) {
    // Touch the C tile early so its lines arrive while the k loop runs.
    for (int i = 0; i < 12; ++i) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 31), _MM_HINT_T0);
    }
    FOVEA_ZERO(0); FOVEA_ZERO(1); FOVEA_ZERO(2); FOVEA_ZERO(3);
    FOVEA_ZERO(4); FOVEA_ZERO(5); FOVEA_ZERO(6); FOVEA_ZERO(7);
    FOVEA_ZERO(8); FOVEA_ZERO(9); FOVEA_ZERO(10); FOVEA_ZERO(11);

    long p = 0;
    for (; p + 2 <= kc; p += 2) {
        FOVEA_STEP;
        FOVEA_STEP;
    }
    for (; p < kc; ++p) FOVEA_STEP;

    const __m512 va = _mm512_set1_ps(alpha);
    const __m512 vb = _mm512_set1_ps(beta);
    const int mode = beta == 0.0f ? 0 : (beta == 1.0f ? 1 : 2);
    FOVEA_STORE(0); FOVEA_STORE(1); FOVEA_STORE(2); FOVEA_STORE(3);
    FOVEA_STORE(4); FOVEA_STORE(5); FOVEA_STORE(6); FOVEA_STORE(7);
    FOVEA_STORE(8); FOVEA_STORE(9); FOVEA_STORE(10); FOVEA_STORE(11);
}

#else

void fovea_sgemm_kernel_12x32_avx512(long kc, const float *a, const float *b,
                                     float *c, long ldc, float alpha, float beta) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta;
}

#endif
