import CFoveaKernels

/// Stride-1 convolution with the output positions of one row in 16-lane AVX-512
/// vectors and eight output channels broadcast: for shallow layers (LeNet's 1-channel input,
/// 1×1 convolutions of few channels), where the transposes of ``ChannelVectorConvolution``'s
/// six-position tiles would cost as much as the arithmetic.
///
/// A tile is up to 48 consecutive positions of one output row times eight output channels; at
/// depth step `(c, u, v)` its positions read consecutive floats of the (zero-padded) input at
/// `c·Hp·Wp + u·dH·Wp + v·dW` past the row's start, and every result goes straight to the output
/// row with masked vector stores. When the padded input is as wide as the output (1×1 kernels
/// without horizontal padding) the whole plane is one row. Needs AVX-512F; each output is summed
/// by one tile in depth order, so results do not depend on threads.
enum RowTileConvolution {
    /// Output channels per tile.
    static let channels = 8
    /// Most positions per tile: three vectors.
    static let maximumWidth = 48
    /// Depth up to which shallow problems always run here: the transposes of the other kernel's
    /// six-position tiles cost about as much as this many multiply-adds per output.
    static let shallowDepth = 191

    /// Whether the forward problem `p` can run here: AVX-512F (within ``KernelInstructionSet/limit``),
    /// one group, stride 1.
    static func supports(_ p: Conv2DParameters) -> Bool {
        KernelInstructionSet.active == .avx512 && p.groups == 1 && p.strideH == 1 && p.strideW == 1
    }

    /// Whether `p` runs faster here than in ``ChannelVectorConvolution``: it is shallow, or
    /// its rows and channels fill more of the vector lanes here (`C_out` in blocks of 8 and
    /// rows in 16-position vectors, against `C_out` in 16-lane vectors).
    static func prefers(_ p: Conv2DParameters) -> Bool {
        guard supports(p) else { return false }
        if p.inChannels * p.kernelHeight * p.kernelWidth <= shallowDepth { return true }
        let (_, rowLength) = rowLayout(p)
        let tiles = (rowLength + maximumWidth - 1) / maximumWidth
        let lanes = (0..<tiles).reduce(0) { sum, t in
            let width = (t + 1) * rowLength / tiles - t * rowLength / tiles
            return sum + DirectConvolution.roundUp(width, 16)
        }
        let rowUse = Double(p.outChannels) / Double(DirectConvolution.roundUp(p.outChannels, channels))
            * Double(rowLength) / Double(lanes)
        let channelUse = Double(p.outChannels) / Double(ChannelVectorConvolution.packedCount(p) / (p.inChannels * p.kernelHeight * p.kernelWidth))
        return rowUse > channelUse
    }

    /// Rows per image and positions per row: one per output row, or the whole plane when the
    /// padded input rows are as wide as the output rows.
    static func rowLayout(_ p: Conv2DParameters) -> (rows: Int, length: Int) {
        p.padLeft + p.width + p.padRight == p.outWidth ? (1, p.outHeight * p.outWidth) : (p.outHeight, p.outWidth)
    }

    /// Floats of packed weights for the forward problem `p`.
    static func packedCount(_ p: Conv2DParameters) -> Int {
        ConvolutionWeights.packedCount(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                       blockSize: channels, roundedTo: channels)
    }

    /// Packs `weight(o, step)` of the forward problem `p` as blocks of eight output channels.
    static func pack(_ p: Conv2DParameters, into packed: UnsafeMutablePointer<Float>, weight: (Int, Int) -> Float) {
        ConvolutionWeights.pack(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                blockSize: channels, roundedTo: channels, into: packed, weight: weight)
    }

    /// Output (NCHW) of the stride-1 problem `p` from weights packed by ``pack(_:into:weight:)``,
    /// plus `bias` when given.
    static func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, packedWeight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let padded = p.padTop != 0 || p.padBottom != 0 || p.padLeft != 0 || p.padRight != 0
        let plan = DirectConvolution.Plan(p)
        let (width, plane) = padded ? (plan.paddedWidth, plan.plane) : (p.width, p.height * p.width)
        let imageStride = padded ? plan.imageStride : p.inChannels * plane
        let outPlane = p.outHeight * p.outWidth
        let (rows, rowLength) = Self.rowLayout(p)
        let blocks = (p.outChannels + channels - 1) / channels
        let items = p.batch * blocks
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * plan.depth, items: items)
        let copy = padded ? GEMMWorkspacePool.take(count: p.batch * imageStride) : nil
        defer { copy.map(GEMMWorkspacePool.give) }
        if let copy { plan.padAll(input, into: copy.pointer, workers: workers) }
        let images = copy.map { UnsafePointer($0.pointer) } ?? input
        let offsets = (0..<p.inChannels).flatMap { c in
            (0..<p.kernelHeight).flatMap { u in
                (0..<p.kernelWidth).map { v in c * plane + u * p.dilationH * width + v * p.dilationW }
            }
        }
        // Tiles of a row as even as 48-wide vectors allow: 24 → one of 24, 3136 → 66 of ≤ 48.
        let tiles = (rowLength + maximumWidth - 1) / maximumWidth
        offsets.withUnsafeBufferPointer { offsets in
            ThreadTeam.run(workers) { worker in
                for item in ThreadTeam.share(worker, of: workers, count: items) {
                    let (n, block) = item.quotientAndRemainder(dividingBy: blocks)
                    let count = min(channels, p.outChannels - block * channels)
                    let weights = packedWeight + block * channels * plan.depth
                    let channelBias = bias.map { $0 + block * channels }
                    let image = images + n * imageStride
                    let target = output + (n * p.outChannels + block * channels) * outPlane
                    for y in 0..<rows {
                        for t in 0..<tiles {
                            let x0 = t * rowLength / tiles, x1 = (t + 1) * rowLength / tiles
                            fovea_conv_row_tile_avx512(
                                count, x1 - x0, plan.depth, image + y * width + x0, offsets.baseAddress!, weights,
                                channelBias, target + y * p.outWidth + x0, outPlane)
                        }
                    }
                }
            }
        }
    }
}
