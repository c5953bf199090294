#include "CFoveaKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static float probe_avx2_fma(long iterations) {
    // Twelve independent chains hide the FMA latency (4 cycles, 2 ports), as the 6x16 GEMM
    // micro-kernel's twelve accumulators do.
    __m256 acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps((float)i * 1e-3f);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (long n = 0; n < iterations; ++n) {
        for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    }
    __m256 sum = acc[0];
    for (int i = 1; i < 12; ++i) sum = _mm256_add_ps(sum, acc[i]);
    float out[8];
    _mm256_storeu_ps(out, sum);
    return out[0];
}
#endif

float fovea_fma_peak_probe(long iterations) {
#if defined(__x86_64__) || defined(__i386__)
    if (fovea_cpu_has_avx2_fma()) return probe_avx2_fma(iterations);
#endif
    (void)iterations;
    return 0.0f;
}
