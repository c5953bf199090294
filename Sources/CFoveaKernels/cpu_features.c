#define _GNU_SOURCE
#include "CFoveaKernels.h"

#if defined(__linux__)
#include <sched.h>
#endif
#include <unistd.h>

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
