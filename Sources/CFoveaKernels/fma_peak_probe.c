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

__attribute__((target("avx512f")))
static float probe_avx512(long iterations) {
    // 24 chains: two 512-bit FMA ports with 4-cycle latency need at least 8 in flight; 24
    // matches the accumulators of the 12x32 GEMM and the convolution tiles.
    __m512 acc[24];
    for (int i = 0; i < 24; ++i) acc[i] = _mm512_set1_ps((float)i * 1e-3f);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (long n = 0; n < iterations; ++n) {
        for (int i = 0; i < 24; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    }
    __m512 sum = acc[0];
    for (int i = 1; i < 24; ++i) sum = _mm512_add_ps(sum, acc[i]);
    return _mm512_reduce_add_ps(sum);
}
#endif

float fovea_fma_peak_probe_avx512(long iterations) {
#if defined(__x86_64__) || defined(__i386__)
    if (fovea_cpu_has_avx512f()) return probe_avx512(iterations);
#endif
    (void)iterations;
    return 0.0f;
}

float fovea_fma_peak_probe(long iterations) {
#if defined(__x86_64__) || defined(__i386__)
    if (fovea_cpu_has_avx2_fma()) return probe_avx2_fma(iterations);
#endif
    (void)iterations;
    return 0.0f;
}
