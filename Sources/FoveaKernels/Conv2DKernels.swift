/// Fast convolution kernels: per image and group, an im2col unfolding and one `GEMM.sgemm`;
/// batch images run in parallel chunks, each with its own workspace allocated once per call.
/// Same contract and layouts as `ReferenceConv2D`.
public enum Conv2DKernels {
    /// The convolution output (NCHW), bias added when given.
    public static func forward(_ p: Conv2DParameters, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        checkCounts(p, input: input.count, weight: weight.count, bias: bias?.count)
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        let chunks = ParallelChunks.count(for: p.batch)
        var output = [Float](repeating: 0, count: p.outputCount)
        var workspace = [Float](repeating: 0, count: chunks * k * positions)
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { out in
                    workspace.withUnsafeMutableBufferPointer { ws in
                        let (xShared, wShared, outShared, wsShared) = (SharedPointer(x), SharedPointer(w), SharedPointer(out), SharedPointer(ws))
                        ParallelChunks.run(items: p.batch, chunks: chunks) { chunk, images in
                            let (x, w, out, ws) = (xShared.address, wShared.address, outShared.address, wsShared.address)
                            let columns = ws + chunk * k * positions
                            for n in images {
                                for g in 0..<p.groups {
                                    Im2Col.unfold(p, image: x + imageOffset(p, n, g), columns: columns)
                                    GEMM.sgemm(transA: false, transB: false, m: og, n: positions, k: k, alpha: 1,
                                               a: w + g * og * k, lda: k, b: columns, ldb: positions,
                                               beta: 0, c: out + (n * p.outChannels + g * og) * positions, ldc: positions)
                                }
                                if let bias {
                                    for o in 0..<p.outChannels {
                                        let plane = out + (n * p.outChannels + o) * positions
                                        let b = bias[o]
                                        for i in 0..<positions { plane[i] += b }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// `∂E/∂x` (NCHW): per group `Wᵀ · ∂E/∂out`, folded back onto the input positions.
    public static func backwardInput(_ p: Conv2DParameters, gradOutput: [Float], weight: [Float]) -> [Float] {
        checkCounts(p, input: nil, weight: weight.count, bias: nil, output: gradOutput.count)
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        let chunks = ParallelChunks.count(for: p.batch)
        var gradInput = [Float](repeating: 0, count: p.inputCount)
        var workspace = [Float](repeating: 0, count: chunks * k * positions)
        gradOutput.withUnsafeBufferPointer { dy in
            weight.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    workspace.withUnsafeMutableBufferPointer { ws in
                        let (dyShared, wShared, dxShared, wsShared) = (SharedPointer(dy), SharedPointer(w), SharedPointer(dx), SharedPointer(ws))
                        ParallelChunks.run(items: p.batch, chunks: chunks) { chunk, images in
                            let (dy, w, dx, ws) = (dyShared.address, wShared.address, dxShared.address, wsShared.address)
                            let columns = ws + chunk * k * positions
                            for n in images {
                                for g in 0..<p.groups {
                                    GEMM.sgemm(transA: true, transB: false, m: k, n: positions, k: og, alpha: 1,
                                               a: w + g * og * k, lda: k,
                                               b: dy + (n * p.outChannels + g * og) * positions, ldb: positions,
                                               beta: 0, c: columns, ldc: positions)
                                    Im2Col.fold(p, columns: columns, image: dx + imageOffset(p, n, g))
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }

    /// `∂E/∂w` (OIHW): per group `∂E/∂out · columnsᵀ`, summed over the batch (each chunk sums
    /// its images; the chunk sums are added in a fixed order).
    public static func backwardWeight(_ p: Conv2DParameters, input: [Float], gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: input.count, weight: nil, bias: nil, output: gradOutput.count)
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        let chunks = ParallelChunks.count(for: p.batch)
        let weightCount = p.weightCount
        var partials = [Float](repeating: 0, count: chunks * weightCount)
        var workspace = [Float](repeating: 0, count: chunks * k * positions)
        input.withUnsafeBufferPointer { x in
            gradOutput.withUnsafeBufferPointer { dy in
                partials.withUnsafeMutableBufferPointer { dw in
                    workspace.withUnsafeMutableBufferPointer { ws in
                        let (xShared, dyShared, dwShared, wsShared) = (SharedPointer(x), SharedPointer(dy), SharedPointer(dw), SharedPointer(ws))
                        ParallelChunks.run(items: p.batch, chunks: chunks) { chunk, images in
                            let (x, dy, dw, ws) = (xShared.address, dyShared.address, dwShared.address, wsShared.address)
                            let columns = ws + chunk * k * positions
                            let partial = dw + chunk * weightCount
                            for n in images {
                                for g in 0..<p.groups {
                                    Im2Col.unfold(p, image: x + imageOffset(p, n, g), columns: columns)
                                    GEMM.sgemm(transA: false, transB: true, m: og, n: k, k: positions, alpha: 1,
                                               a: dy + (n * p.outChannels + g * og) * positions, lda: positions,
                                               b: columns, ldb: positions,
                                               beta: 1, c: partial + g * og * k, ldc: k)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard chunks > 1 else { return partials }
        var grad = Array(partials[0..<weightCount])
        for chunk in 1..<chunks {
            let base = chunk * weightCount
            for i in 0..<weightCount { grad[i] += partials[base + i] }
        }
        return grad
    }

    /// `∂E/∂b[o]`: the sum of `∂E/∂out` over the batch and all positions of channel `o`.
    public static func backwardBias(_ p: Conv2DParameters, gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: nil, weight: nil, bias: nil, output: gradOutput.count)
        let positions = p.outHeight * p.outWidth
        var sums = [Double](repeating: 0, count: p.outChannels)
        for n in 0..<p.batch {
            for o in 0..<p.outChannels {
                let base = (n * p.outChannels + o) * positions
                var sum: Float = 0
                for i in base..<(base + positions) { sum += gradOutput[i] }
                sums[o] += Double(sum)
            }
        }
        return sums.map { Float($0) }
    }

    /// Rows of the columns matrix: `C_g · kH · kW`.
    private static func columnRows(_ p: Conv2DParameters) -> Int {
        p.groupInChannels * p.kernelHeight * p.kernelWidth
    }

    /// Offset of group `g`'s first channel of image `n` in an NCHW input buffer.
    private static func imageOffset(_ p: Conv2DParameters, _ n: Int, _ g: Int) -> Int {
        (n * p.inChannels + g * p.groupInChannels) * p.height * p.width
    }
}
