#include "CFoveaKernels.h"

// libdispatch's function-pointer form of dispatch_apply, declared here so that this target
// needs no Dispatch headers; a null queue is DISPATCH_APPLY_AUTO.
extern void dispatch_apply_f(size_t iterations, void *queue, void *context,
                             void (*work)(void *context, size_t iteration));

void fovea_parallel_for(size_t iterations, void *context, void (*work)(void *, size_t)) {
    if (iterations == 0) return;
    dispatch_apply_f(iterations, (void *)0, context, work);
}
