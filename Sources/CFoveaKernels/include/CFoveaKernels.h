#ifndef CFOVEAKERNELS_H
#define CFOVEAKERNELS_H

/// Tiny C helpers for FoveaKernels: CPU feature detection, an allocation-free parallel loop,
/// and the SIMD micro-kernels that need instruction sets the Swift module is not compiled for.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the CPU and the OS support AVX2 and FMA (YMM state enabled), else 0.
int fovea_cpu_has_avx2_fma(void);

/// 1 when the CPU and the OS support AVX-512F (ZMM state enabled), else 0.
int fovea_cpu_has_avx512f(void);

/// 1 on a CPU whose AVX-512 units execute a 512-bit FMA as two 256-bit halves, so that it
/// does no more arithmetic per cycle than AVX2 (AMD Zen 4: vendor AMD, family 19h, AVX-512F),
/// else 0. Intel cores with two 512-bit FMA ports and Zen 5 return 0.
int fovea_cpu_splits_512bit_fma(void);

/// Number of processors this process may run on (its affinity mask), at least 1.
int fovea_active_processor_count(void);

/// Runs `work(context, i)` for every `i` in `0..<iterations` on libdispatch's worker threads
/// (the caller takes part) and returns when all are done. This is the primitive beneath
/// `DispatchQueue.concurrentPerform`, called without the closure box and block copy that the
/// Swift overlay allocates on every call.
void fovea_parallel_for(size_t iterations, void *context, void (*work)(void *context, size_t iteration));

/// C[0..<6][0..<16] = alpha * sum_p A[p] ⊗ B[p] + beta * C, with A packed as `kc` groups of
/// 6 floats and B as `kc` groups of 16 floats. `ldc` is the row stride of C. With beta == 0,
/// C is not read. Only call when `fovea_cpu_has_avx2_fma()` returns 1; on other
/// architectures it does nothing.
void fovea_sgemm_kernel_6x16_avx2_fma(long kc, const float *a, const float *b,
                                      float *c, long ldc, float alpha, float beta);

/// The AVX-512F form of the same product on a 12×32 tile: A packed as `kc` groups of 12 floats,
/// B as `kc` groups of 32. Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_sgemm_kernel_12x32_avx512(long kc, const float *a, const float *b,
                                     float *c, long ldc, float alpha, float beta);

/// The weight-gradient tile: for r in 0..<6 and j in 0..<16,
/// C[r][j] += sum_{q < count} X[offsets[r] + q] * DYT[q][j], with `ldt` the row stride of DYT
/// and `ldc` that of C. Only call when `fovea_cpu_has_avx2_fma()` returns 1.
void fovea_conv_weight_tile_6x16_avx2_fma(long count, const float *x, const long *offsets,
                                          const float *dyt, long ldt, float *c, long ldc);

/// A forward convolution tile on AVX-512F: six output positions times `lanes` (1...64) output
/// channels. Position `j` reads the input at `x + starts[j] + c·plane + u·rowStep + v·colStep`
/// for channel `c < channels`, kernel row `u < kernelH` and column `v < kernelW`, in that order;
/// `w` holds, per such depth step, `lanes` rounded up to 16 weights (one per output channel).
/// Writes `out[j·ldo + i] = bias[i] + Σ` (no bias when `bias` is NULL) for the first `positions`
/// (≤ 6) positions and every lane `i` below `lanes` rounded up to 16 (bias read only below
/// `lanes`); every `starts[j]` must be readable, also for unused `j`.
/// Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_conv_forward_tile_avx512(long lanes, const float *x, const long *starts, long channels,
                                    long plane, long kernelH, long rowStep, long kernelW, long colStep,
                                    const float *w, const float *bias, long positions, float *out,
                                    long ldo);

/// A row tile of a stride-1 forward convolution on AVX-512F: `rows` (1...8) output channels times
/// `width` (1...48) consecutive output positions. For depth step `s` the positions read the
/// `width` consecutive floats at `x + offsets[s]` and multiply them by `w[8·s + r]` (eight floats
/// per step, zero past `rows`). Writes `out[r·ldo + i] = bias[r] + Σ` (no bias when NULL) for
/// `r < rows`, `i < width`; nothing past `width` is read or written.
/// Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_conv_row_tile_avx512(long rows, long width, long depth, const float *x, const long *offsets,
                                const float *w, const float *bias, float *out, long ldo);

/// The weight-gradient tile on AVX-512F: for r in 0..<6 and j below `lanes` (1...64) rounded up to
/// 16, C[r][j] += sum over i < images, y < rows, q < width of
/// X[i·imageStride + offsets[r] + y·xRowStride + q] · DYT[(i·rows + y)·width + q][j], with `ldt`
/// the row stride of DYT and `ldc` that of C. Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_conv_weight_tile_avx512(long lanes, long images, long imageStride, long rows, long width,
                                   const float *x, long xRowStride,
                                   const long *offsets, const float *dyt, long ldt, float *c, long ldc);

/// The AVX2 and FMA form of the row tile above, for CPUs without AVX-512, with the same
/// arguments and narrower limits: `rows` 1...4, `width` 1...24, 4 weights per depth step. Reads
/// and writes no float past `width`. Only call when `fovea_cpu_has_avx2_fma()` returns 1.
void fovea_conv_row_tile_avx2(long rows, long width, long depth, const float *x, const long *offsets,
                              const float *w, const float *bias, float *out, long ldo);

/// Transposes the `rows` × `columns` matrix `src` (row stride `srcStride`) into `dst` (row stride
/// `dstStride`): `dst[c·dstStride + r] = src[r·srcStride + c]` for `c < columns` and
/// `r < dstRows`, zero where `r ≥ rows` (`dstRows ≥ rows`; `dstStride` may be negative). Reads
/// and writes nothing else; works on 16 × 16 blocks in registers. Only call when
/// `fovea_cpu_has_avx512f()` returns 1.
void fovea_transpose_avx512(const float *src, long srcStride, long rows, long columns, float *dst,
                            long dstStride, long dstRows);

/// Asks glibc's malloc to serve blocks below 32 MiB from its heap and to keep up to 1 GiB of freed
/// memory there, so that a loop allocating and freeing the same large arrays reuses pages instead
/// of mapping (and zero-filling) new ones on every call. Process-wide. Returns 1 when applied, 0
/// elsewhere (another C library).
int fovea_retain_freed_memory(void);

/// Runs `iterations` rounds of 12 independent 8-wide fused multiply-adds (192 FLOPs per round)
/// on AVX2+FMA and returns a value derived from them; does nothing and returns 0 on a CPU
/// without AVX2 and FMA. Used to measure the machine's peak rate.
float fovea_fma_peak_probe(long iterations);

/// The same register-only loop on 24 chains of 16-wide AVX-512F vectors (768 FLOP per
/// iteration); returns 0 without AVX-512F.
float fovea_fma_peak_probe_avx512(long iterations);

#ifdef __cplusplus
}
#endif

#endif
