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

/// Winograd F(2×2, 3×3) input transform on AVX-512F for 16 output tiles (lanes) and `channels`
/// channels of planes `plane` floats apart (`height × width` each). Lane `i` reads the 4×4
/// window whose top-left element is `x[base[i]]`, at image row `row[i]` and column `column[i]`
/// (negative at the padding); elements outside the image read zero, and a lane whose window lies
/// wholly outside reads only zeros. Writes the 16 transformed values of channel `ch`, point `p`
/// (row-major over the 4×4 points) to `v + ch·channelStride + p·pointStride + i`.
/// Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_winograd_input_avx512(long channels, const float *x, long plane, long width, long height,
                                 const int *base, const int *row, const int *column,
                                 float *v, long pointStride, long channelStride);

/// Winograd F(2×2, 3×3) output transform on AVX-512F: for the first `lanes` of 16 tiles and
/// `channels` channels, reads the 16 products of channel `ch`, point `p`, lane `i` at
/// `m + ch·channelStride + p·pointStride + i`, and writes the tile's 2×2 outputs plus
/// `bias[ch]` (none when NULL) to `y + ch·plane + base[i] + r·width + c` where
/// `row[i] + r < height` and `column[i] + c < width`.
/// Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_winograd_output_avx512(long channels, const float *m, long pointStride, long channelStride,
                                  float *y, long plane, long width, long height,
                                  const int *base, const int *row, const int *column, long lanes,
                                  const float *bias);

/// Winograd F(2×2, 3×3) weight transform: for output channel `o` and input channel `ci`, the 3×3
/// kernel at `w + o·outStride + ci·inStride + r·rowStride + c·columnStride` becomes 16 values
/// (G g Gᵀ), point `p` of which goes to `u + p·pointStride + (o / mr)·mr·inChannels + ci·mr + o % mr`
/// (GEMM A panels of `mr` rows). Rows from `outChannels` to `paddedOutChannels` are zero.
void fovea_winograd_weights(long outChannels, long paddedOutChannels, long inChannels, const float *w,
                            long outStride, long inStride, long rowStride, long columnStride, float *u,
                            long pointStride, long mr);

/// The input transform of `fovea_winograd_input_avx512` with the lanes running over channels
/// instead of tiles, for the weight gradient: for each of `tiles` tiles `t` (window top-left at
/// `x[base[t]]`, image row `row[t]`, column `column[t]`) and the first `channels` (≤ 16) of 16
/// channels `plane` floats apart, writes point `p` of channel lane `i` to
/// `v + t·tileStride + p·pointStride + i` for `i < lanes` (zero for `i ≥ channels`).
/// Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_winograd_input_channels_avx512(long tiles, long channels, long lanes, const float *x, long plane,
                                          long width, long height, const int *base, const int *row,
                                          const int *column, float *v, long pointStride, long tileStride);

/// The output-gradient transform of the Winograd F(2×2, 3×3) weight gradient, `Z = A ∂y Aᵀ`,
/// lanes over 16 channels `plane` floats apart (the first `channels` read, the rest zero): for
/// each of `tiles` tiles whose top-left output is `dy[base[t]]` at row `row[t]` and column
/// `column[t]` (outputs at or past `height`, `width` read zero), writes point `p` of lane `i` to
/// `z + t·tileStride + p·pointStride + i`. Only call when `fovea_cpu_has_avx512f()` returns 1.
void fovea_winograd_gradient_channels_avx512(long tiles, long channels, const float *dy, long plane, long width,
                                             long height, const int *base, const int *row, const int *column,
                                             float *z, long pointStride, long tileStride);

/// The AVX2 forms of the four Winograd transforms above, with 8 lanes instead of 16 (tiles for
/// `fovea_winograd_input_avx2` and `fovea_winograd_output_avx2`, channels for the other two;
/// `channels` and `lanes` at most 8 there). Same arguments and layouts otherwise. Only call when
/// `fovea_cpu_has_avx2_fma()` returns 1.
void fovea_winograd_input_avx2(long channels, const float *x, long plane, long width, long height,
                               const int *base, const int *row, const int *column,
                               float *v, long pointStride, long channelStride);
void fovea_winograd_output_avx2(long channels, const float *m, long pointStride, long channelStride,
                                float *y, long plane, long width, long height,
                                const int *base, const int *row, const int *column, long lanes,
                                const float *bias);
void fovea_winograd_input_channels_avx2(long tiles, long channels, long lanes, const float *x, long plane,
                                        long width, long height, const int *base, const int *row,
                                        const int *column, float *v, long pointStride, long tileStride);
void fovea_winograd_gradient_channels_avx2(long tiles, long channels, const float *dy, long plane, long width,
                                           long height, const int *base, const int *row, const int *column,
                                           float *z, long pointStride, long tileStride);

/// The last step of the Winograd F(2×2, 3×3) weight gradient: for every output channel `o` and
/// input channel `ci`, the 16 sums `S[p] = s[p·pointStride + ci·ldc + o]` become the 3×3 kernel
/// gradient `Gᵀ S G`, written to `dw + (o·inChannels + ci)·9` (OIHW).
void fovea_winograd_weight_gradient(long outChannels, long inChannels, const float *s, long pointStride, long ldc,
                                    float *dw);

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
