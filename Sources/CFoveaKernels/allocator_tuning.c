#include "CFoveaKernels.h"

#if defined(__linux__)
#include <malloc.h>  // defines __GLIBC__ when the C library is glibc
#endif

int fovea_retain_freed_memory(void) {
#if defined(__GLIBC__)
    // Blocks below 32 MiB (glibc's largest mmap threshold) come from the heap, and up to 1 GiB
    // of free memory at its top stays mapped instead of being returned to the system.
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
#else
    return 0;
#endif
}
