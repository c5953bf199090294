/// Convolution by unfolding each image (and group) into a column matrix and one `GEMM.sgemm`:
/// the general path, for any stride, dilation, padding and groups.
///
/// The batch is cut into a fixed number of consecutive chunks (at most ``chunkLimit``,
/// independent of the thread count); workers take chunks in turn, each with its own column
/// workspace, and the weight gradient adds the chunks' partial sums in chunk order, so results
/// never depend on how many threads ran.
enum ColumnConvolution {
    /// Most chunks a batch is cut into.
    static let chunkLimit = 8

    /// The output (NCHW) into `output`, bias added when given.
    static func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        run(p) { _, images, columns, options in
            for n in images {
                for g in 0..<p.groups {
                    Im2Col.unfold(p, image: input + imageOffset(p, n, g), columns: columns)
                    GEMM.sgemm(transA: false, transB: false, m: og, n: positions, k: k, alpha: 1,
                               a: weight + g * og * k, lda: k, b: columns, ldb: positions,
                               beta: 0, c: output + (n * p.outChannels + g * og) * positions, ldc: positions,
                               options: options)
                }
                if let bias {
                    for o in 0..<p.outChannels {
                        let plane = output + (n * p.outChannels + o) * positions
                        let b = bias[o]
                        for i in 0..<positions { plane[i] += b }
                    }
                }
            }
        }
    }

    /// `∂E/∂x` (NCHW) into `gradInput`, which must hold zeros: per group `Wᵀ · ∂E/∂out`,
    /// folded back onto the input positions.
    static func backwardInput(
        _ p: Conv2DParameters, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        gradInput: UnsafeMutablePointer<Float>
    ) {
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        run(p) { _, images, columns, options in
            for n in images {
                for g in 0..<p.groups {
                    GEMM.sgemm(transA: true, transB: false, m: k, n: positions, k: og, alpha: 1,
                               a: weight + g * og * k, lda: k,
                               b: gradOutput + (n * p.outChannels + g * og) * positions, ldb: positions,
                               beta: 0, c: columns, ldc: positions, options: options)
                    Im2Col.fold(p, columns: columns, image: gradInput + imageOffset(p, n, g))
                }
            }
        }
    }

    /// `∂E/∂w` (OIHW) into `gradWeight`: per group `∂E/∂out · columnsᵀ`, each chunk summing its
    /// images, the chunk sums added in chunk order.
    static func backwardWeight(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        gradWeight: UnsafeMutablePointer<Float>
    ) {
        let (k, positions, og) = (columnRows(p), p.outHeight * p.outWidth, p.groupOutChannels)
        let chunks = chunkCount(p)
        let weightCount = p.weightCount
        let partials = GEMMWorkspacePool.take(count: chunks * weightCount)
        defer { GEMMWorkspacePool.give(partials) }
        let sums = partials.pointer
        sums.update(repeating: 0, count: chunks * weightCount)
        run(p) { chunk, images, columns, options in
            let partial = sums + chunk * weightCount
            for n in images {
                for g in 0..<p.groups {
                    Im2Col.unfold(p, image: input + imageOffset(p, n, g), columns: columns)
                    GEMM.sgemm(transA: false, transB: true, m: og, n: k, k: positions, alpha: 1,
                               a: gradOutput + (n * p.outChannels + g * og) * positions, lda: positions,
                               b: columns, ldb: positions,
                               beta: 1, c: partial + g * og * k, ldc: k, options: options)
                }
            }
        }
        gradWeight.update(from: sums, count: weightCount)
        for chunk in 1..<max(chunks, 1) {
            let partial = sums + chunk * weightCount
            for i in 0..<weightCount { gradWeight[i] += partial[i] }
        }
    }

    /// Chunks of the batch: fixed by the batch size alone.
    static func chunkCount(_ p: Conv2DParameters) -> Int {
        max(1, min(p.batch, chunkLimit))
    }

    /// Runs `body(chunk, images, columns, options)` for every chunk of the batch: several
    /// workers each take every `workers`-th chunk with single-threaded products, or one worker
    /// runs all chunks with multi-threaded products.
    private static func run(
        _ p: Conv2DParameters,
        _ body: (Int, Range<Int>, UnsafeMutablePointer<Float>, GEMM.Options) -> Void
    ) {
        let chunks = chunkCount(p)
        let columnsCount = columnRows(p) * p.outHeight * p.outWidth
        let multiplyAdds = p.outputCount * columnRows(p)
        let workers = ThreadTeam.workers(multiplyAdds: multiplyAdds, items: chunks)
        let workspace = GEMMWorkspacePool.take(count: workers * columnsCount)
        defer { GEMMWorkspacePool.give(workspace) }
        let base = workspace.pointer
        let options = GEMM.Options(maxThreads: workers == 1 ? KernelThreads.limit : 1)
        ThreadTeam.run(workers) { worker in
            for chunk in stride(from: worker, to: chunks, by: workers) {
                body(chunk, ThreadTeam.share(chunk, of: chunks, count: p.batch), base + worker * columnsCount, options)
            }
        }
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
