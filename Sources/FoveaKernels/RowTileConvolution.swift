import CFoveaKernels

/// Stride-1 convolution with the output positions of one row in vectors and a few output
/// channels broadcast: for shallow layers (LeNet's 1-channel input, 1×1 convolutions of few
/// channels) and, on AVX-512, layers with few output channels, where the lanes of
/// ``ChannelVectorConvolution`` would be mostly empty or its six-position tiles' transposes would
/// cost as much as the arithmetic.
///
/// A tile is up to 48 consecutive positions of one output row (three 16-lane AVX-512 vectors,
/// the last masked) times eight output channels, or 24 positions (three 8-lane AVX2 vectors, the
/// last overlapping the one before when the tile is not a multiple of 8 wide) times four; at
/// depth step `(c, u, v)` its positions read consecutive floats of the (zero-padded) input at
/// `c·Hp·Wp + u·dH·Wp + v·dW` past the row's start, and every result goes straight to the output
/// row. When the padded input is as wide as the output (1×1 kernels without horizontal padding)
/// the whole plane is one row. Each output is summed by one tile in depth order, so results do
/// not depend on threads.
struct RowTileConvolution: Equatable {
    /// The instruction set of the tiles: `.avx512` or `.avx2`.
    let instructionSet: KernelInstructionSet

    /// Output channels per tile.
    var channels: Int { instructionSet == .avx512 ? 8 : 4 }
    /// Most positions per tile: three vectors.
    var maximumWidth: Int { instructionSet == .avx512 ? 48 : 24 }
    /// Positions per vector.
    var vectorLanes: Int { instructionSet == .avx512 ? 16 : 8 }

    /// Depth up to which problems always run here. On AVX-512 the transposes of the channel-vector
    /// tiles cost about as much as 191 multiply-adds per output. On AVX2 a tile reuses each input
    /// for only 4 channels, and measured against ``DirectConvolution`` it wins at LeNet's depth 25
    /// (0.7 against 0.9 ms) but loses at a 1×1 layer's 64 (16 against 13 ms).
    var shallowDepth: Int { instructionSet == .avx512 ? 191 : 32 }

    /// Whether the forward problem `p` can run here: the instruction set within
    /// ``KernelInstructionSet/active``, one group, stride 1.
    func supports(_ p: Conv2DParameters) -> Bool {
        instructionSet >= .avx2 && KernelInstructionSet.active >= instructionSet
            && p.groups == 1 && p.strideH == 1 && p.strideW == 1
    }

    /// Whether `p` runs faster here than in the other direct kernel of the instruction set: it is
    /// shallow, or (on AVX-512) its rows and channels fill more of the vector lanes here (`C_out`
    /// in blocks of ``channels`` and rows in vectors) than in ``ChannelVectorConvolution``'s
    /// 16-lane channel vectors. On AVX2 a deeper problem runs ``DirectConvolution``.
    func prefers(_ p: Conv2DParameters) -> Bool {
        guard supports(p) else { return false }
        let depth = p.inChannels * p.kernelHeight * p.kernelWidth
        if depth <= shallowDepth { return true }
        guard instructionSet == .avx512 else { return false }
        let (_, rowLength) = Self.rowLayout(p)
        let tiles = (rowLength + maximumWidth - 1) / maximumWidth
        let lanes = (0..<tiles).reduce(0) { sum, t in
            let width = (t + 1) * rowLength / tiles - t * rowLength / tiles
            return sum + DirectConvolution.roundUp(width, vectorLanes)
        }
        let rowUse = Double(p.outChannels) / Double(DirectConvolution.roundUp(p.outChannels, channels))
            * Double(rowLength) / Double(lanes)
        let channelUse = Double(p.outChannels) / Double(ChannelVectorConvolution.packedCount(p) / depth)
        return rowUse > channelUse
    }

    /// Rows per image and positions per row: one per output row, or the whole plane when the
    /// padded input rows are as wide as the output rows.
    static func rowLayout(_ p: Conv2DParameters) -> (rows: Int, length: Int) {
        p.padLeft + p.width + p.padRight == p.outWidth ? (1, p.outHeight * p.outWidth) : (p.outHeight, p.outWidth)
    }

    /// Floats of packed weights for the forward problem `p`.
    func packedCount(_ p: Conv2DParameters) -> Int {
        ConvolutionWeights.packedCount(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                       blockSize: channels, roundedTo: channels)
    }

    /// Packs `weight(o, step)` of the forward problem `p` as blocks of ``channels`` output channels.
    func pack(_ p: Conv2DParameters, into packed: UnsafeMutablePointer<Float>, source: ConvolutionWeights.Source) {
        ConvolutionWeights.pack(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                blockSize: channels, roundedTo: channels, into: packed, source: source)
    }

    /// Output (NCHW) of the stride-1 problem `p` from weights packed by ``pack(_:into:source:)``,
    /// plus `bias` when given.
    func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, packedWeight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let plan = DirectConvolution.Plan(p)
        let outPlane = p.outHeight * p.outWidth
        let (rows, rowLength) = Self.rowLayout(p)
        let (channels, maximumWidth) = (self.channels, self.maximumWidth)
        let tile = instructionSet == .avx512 ? fovea_conv_row_tile_avx512 : fovea_conv_row_tile_avx2
        let blocks = (p.outChannels + channels - 1) / channels
        let items = p.batch * blocks
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * plan.depth, items: items)
        // Tiles of a row as even as the widest tile allows (AVX-512: 24 → one of 24, 3136 → 66
        // of ≤ 48).
        let tiles = (rowLength + maximumWidth - 1) / maximumWidth
        // The padded width and plane are the image's own when there is no padding, so the
        // plan's step offsets hold either way.
        plan.withImages(input, workers: workers) { images, layout in
            plan.offsets.withUnsafeBufferPointer { offsets in
                ThreadTeam.run(workers) { worker in
                    for item in ThreadTeam.share(worker, of: workers, count: items) {
                        let (n, block) = item.quotientAndRemainder(dividingBy: blocks)
                        let count = min(channels, p.outChannels - block * channels)
                        let weights = packedWeight + block * channels * plan.depth
                        let channelBias = bias.map { $0 + block * channels }
                        let image = images + n * layout.imageStride
                        let target = output + (n * p.outChannels + block * channels) * outPlane
                        for y in 0..<rows {
                            for t in 0..<tiles {
                                let x0 = t * rowLength / tiles, x1 = (t + 1) * rowLength / tiles
                                tile(
                                    count, x1 - x0, plan.depth, image + y * layout.width + x0, offsets.baseAddress!,
                                    weights, channelBias, target + y * p.outWidth + x0, outPlane)
                            }
                        }
                    }
                }
            }
        }
    }
}
