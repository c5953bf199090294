#define _GNU_SOURCE
#include "CFoveaKernels.h"

#if defined(__linux__)
#include <sched.h>
#endif
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

int fovea_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int fovea_cpu_has_avx512f(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    // "avx" implies OSXSAVE, so XGETBV below is a valid instruction.
    if (!__builtin_cpu_supports("avx") || !__builtin_cpu_supports("avx512f")) return 0;
    // The OS must save the opmask and both ZMM register halves (XCR0 bits 5, 6, 7) besides SSE
    // and AVX state (bits 1, 2).
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (eax & 0xE6) == 0xE6;
#else
    return 0;
#endif
}

int fovea_cpu_splits_512bit_fma(void) {
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return 0;
    // "AuthenticAMD" in EBX, EDX, ECX.
    const int amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163;
    if (!amd || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int base = (eax >> 8) & 0xF;
    const unsigned int family = base == 0xF ? base + ((eax >> 20) & 0xFF) : base;
    // Family 19h with AVX-512 is Zen 4, whose 512-bit operations run as two 256-bit halves.
    return family == 0x19 && fovea_cpu_has_avx512f();
#else
    return 0;
#endif
}

int fovea_active_processor_count(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
#endif
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}
