import CFoveaKernels

/// Ungrouped convolution with the output channels in 16-lane AVX-512 vectors and the output
/// positions broadcast, with no column matrix and no discarded positions.
///
/// A forward tile is six output positions (anywhere in one image, in reading order) times up to
/// 64 output channels: for each depth step `(c, u, v)` it loads the step's weights for the 64
/// channels (four vectors, packed consecutively) and broadcasts the one input value each position
/// meets, at `start(position) + c·Hp·Wp + u·dH·Wp + v·dW` in the zero-padded image. Any stride and
/// dilation work alike, and an image without padding is read in place. The input gradient (stride
/// 1) is the same pass over the output gradient with flipped, transposed weights; the weight
/// gradient runs a tile of six depth steps times 64 channels over the output rows, as
/// ``DirectConvolution`` does with 16 over its padded grid. Needs AVX-512F; every output is
/// summed by one tile in a fixed order, so results do not depend on threads.
enum ChannelVectorConvolution {
    /// Output channels per block: four 16-lane vectors.
    static let blockLanes = 64
    /// Forward tiles (of six positions) per work item.
    static let tilesPerItem = 16
    /// Positions (whole output rows, at least one; or whole images, as many as fit) of the
    /// weight gradient summed per pass over its tiles (the block of the transposed output
    /// gradient, up to 1024 × 64 floats, in L2).
    /// Longer passes mean fewer read-modify-writes of the accumulators: on a Xeon with two
    /// 512-bit FMA ports the 128×28² weight gradient took 28–30 ms with 512–1024 positions
    /// against 36–37 with 128; at 56² and 14² the choice made no measurable difference.
    static let positionBlock = 1024

    /// Whether the forward pass of `p` can run here: AVX-512F (within ``KernelInstructionSet/limit``),
    /// one group.
    static func supportsForward(_ p: Conv2DParameters) -> Bool {
        KernelInstructionSet.active == .avx512 && p.groups == 1
    }

    /// Whether the gradients of `p` can run here: AVX-512F, one group, stride 1.
    static func supportsBackward(_ p: Conv2DParameters) -> Bool {
        supportsForward(p) && p.strideH == 1 && p.strideW == 1
    }

    /// Fewest input channels for which the input gradient runs here (or in row tiles): they
    /// become the output channels of the transposed problem, in vectors of 16 (row blocks of 8),
    /// so with fewer than 4 at least 13 of 16 lanes (5 of 8 rows) would be padding and the column
    /// path is faster: LeNet's 1-channel input gradient took 7.2 ms in row tiles, 3.4 in columns.
    static let minimumInputGradientChannels = 4

    /// Output channels of block `block` (64 but for the last) and the floats per depth step that
    /// the packed weights keep for it (that rounded up to 16).
    static func lanes(block: Int, outChannels: Int) -> (count: Int, stride: Int) {
        let count = min(blockLanes, outChannels - block * blockLanes)
        return (count, DirectConvolution.roundUp(count, 16))
    }

    /// Floats of packed weights for the forward problem `p`.
    static func packedCount(_ p: Conv2DParameters) -> Int {
        ConvolutionWeights.packedCount(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                       blockSize: blockLanes, roundedTo: 16)
    }

    /// Packs `weight(o, step)` of the forward problem `p` (``ConvolutionWeights/forward(_:_:)`` or
    /// ``ConvolutionWeights/transposed(_:_:)``) as blocks of 64 output channels.
    static func pack(_ p: Conv2DParameters, into packed: UnsafeMutablePointer<Float>, source: ConvolutionWeights.Source) {
        ConvolutionWeights.pack(outChannels: p.outChannels, depth: p.inChannels * p.kernelHeight * p.kernelWidth,
                                blockSize: blockLanes, roundedTo: 16, into: packed, source: source)
    }

    /// Output (NCHW) of `p` from weights packed by ``pack(_:into:source:)``, plus `bias` when given.
    ///
    /// Work items run image by image (each worker takes a consecutive range of them), and a
    /// worker pads an image into its own copy just before its first item of that image: the
    /// copy is then warm in the worker's L2 for every tile that reads it, and the workers of a
    /// call never share an image unless the batch is smaller than the workers.
    static func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, packedWeight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let plan = DirectConvolution.Plan(p)
        let positions = p.outHeight * p.outWidth
        let depth = plan.depth
        let chunks = ((positions + 5) / 6 + tilesPerItem - 1) / tilesPerItem
        let blocks = (p.outChannels + blockLanes - 1) / blockLanes
        let items = p.batch * blocks * chunks
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * depth, items: items)
        let chunkPositions = tilesPerItem * 6
        let (layout, padded) = (plan.layout, plan.needsPadding)
        let copyCount = padded ? layout.imageStride : 0
        let stageCount = blockLanes * chunkPositions
        let workspace = GEMMWorkspacePool.take(count: workers * (stageCount + copyCount))
        defer { GEMMWorkspacePool.give(workspace) }
        let base = workspace.pointer
        let (width, plane) = (layout.width, layout.plane)
        let (rowStep, colStep) = (p.dilationH * width, p.dilationW)
        ThreadTeam.run(workers) { worker in
            let stage = base + worker * (stageCount + copyCount)
            let copy = stage + stageCount
            var current = -1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 6) { scratch in
                let starts = scratch.baseAddress!
                for item in ThreadTeam.share(worker, of: workers, count: items) {
                    let (n, rest) = item.quotientAndRemainder(dividingBy: blocks * chunks)
                    let (block, chunk) = rest.quotientAndRemainder(dividingBy: chunks)
                    if n != current, padded {
                        plan.pad(input, image: n, into: copy)
                    }
                    current = n
                    let image = padded ? UnsafePointer(copy) : input + n * layout.imageStride
                    let lanes = lanes(block: block, outChannels: p.outChannels).count
                    let weights = packedWeight + block * blockLanes * depth
                    let channelBias = bias.map { $0 + block * blockLanes }
                    let target = output + (n * p.outChannels + block * blockLanes) * positions
                    let first = chunk * chunkPositions
                    let end = min(positions, first + chunkPositions)
                    var q = first
                    var (y, x) = q.quotientAndRemainder(dividingBy: p.outWidth)
                    while q < end {
                        let count = min(6, end - q)
                        for j in 0..<6 {
                            if j < count {
                                starts[j] = y * p.strideH * width + x * p.strideW
                                x += 1
                                if x == p.outWidth { (y, x) = (y + 1, 0) }
                            } else {
                                starts[j] = starts[0]
                            }
                        }
                        fovea_conv_forward_tile_avx512(
                            lanes, image, starts, p.inChannels, plane, p.kernelHeight, rowStep, p.kernelWidth,
                            colStep, weights, channelBias, count, stage + (q - first) * blockLanes, blockLanes)
                        q += count
                    }
                    // The tiles wrote a staging block (in L1) position by position; the output
                    // planes get it channel by channel.
                    fovea_transpose_avx512(stage, blockLanes, end - first, lanes, target + first, positions, end - first)
                }
            }
        }
    }

    /// `∂E/∂w` (OIHW) of the stride-1 problem `p`, written to `gradWeight`.
    static func weightGradient(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        gradWeight: UnsafeMutablePointer<Float>
    ) {
        let plan = DirectConvolution.Plan(p)
        let columns = DirectConvolution.roundUp(p.outChannels, 16)
        let stepTiles = (plan.depth + 5) / 6
        let blocks = (p.outChannels + blockLanes - 1) / blockLanes
        let items = stepTiles * blocks
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * plan.depth, items: items)
        let outPlane = p.outHeight * p.outWidth
        let imageGradient = outPlane * columns
        let padded = GEMMWorkspacePool.take(count: p.batch * plan.imageStride)
        let transposed = GEMMWorkspacePool.take(count: p.batch * imageGradient)
        let sums = GEMMWorkspacePool.take(count: stepTiles * 6 * columns)
        defer {
            GEMMWorkspacePool.give(sums)
            GEMMWorkspacePool.give(transposed)
            GEMMWorkspacePool.give(padded)
        }
        plan.padAll(input, into: padded.pointer, workers: workers)
        let (images, gradients, accumulators) = (padded.pointer, transposed.pointer, sums.pointer)
        ThreadTeam.run(workers) { worker in
            for n in ThreadTeam.share(worker, of: workers, count: p.batch) {
                transpose(p, gradOutput, image: n, into: gradients)
            }
        }
        var offsets = plan.offsets
        offsets += [Int](repeating: 0, count: stepTiles * 6 - plan.depth)
        // Passes over whole output rows, up to `positionBlock` positions; when whole images fit,
        // a pass sums as many consecutive images (the 256 × 14² layer: five per pass, which
        // read and write the sums a fifth as often as one per pass).
        let rowsPerBlock = max(1, positionBlock / p.outWidth)
        let imagesPerPass = rowsPerBlock >= p.outHeight ? max(1, positionBlock / outPlane) : 1
        offsets.withUnsafeBufferPointer { offsets in
            ThreadTeam.run(workers) { worker in
                let mine = ThreadTeam.share(worker, of: workers, count: items)
                for item in mine {
                    let (block, tile) = item.quotientAndRemainder(dividingBy: stepTiles)
                    let sums = accumulators + tile * 6 * columns + block * blockLanes
                    let stride = lanes(block: block, outChannels: p.outChannels).stride
                    for row in 0..<6 {
                        (sums + row * columns).update(repeating: 0, count: stride)
                    }
                }
                for n in stride(from: 0, to: p.batch, by: imagesPerPass) {
                    let count = min(imagesPerPass, p.batch - n)
                    for y0 in stride(from: 0, to: p.outHeight, by: rowsPerBlock) {
                        let rows = min(rowsPerBlock, p.outHeight - y0)
                        let x = images + n * plan.imageStride + y0 * plan.paddedWidth
                        for item in mine {
                            let (block, tile) = item.quotientAndRemainder(dividingBy: stepTiles)
                            let (lanes, stride) = lanes(block: block, outChannels: p.outChannels)
                            let dyt = gradients + block * blockLanes * outPlane * p.batch
                                + (n * outPlane + y0 * p.outWidth) * stride
                            fovea_conv_weight_tile_avx512(
                                lanes, count, plan.imageStride, rows, p.outWidth, x, plan.paddedWidth,
                                offsets.baseAddress! + tile * 6, dyt, stride,
                                accumulators + tile * 6 * columns + block * blockLanes, columns)
                        }
                    }
                }
            }
        }
        // The sums are `[step][channel]`; the gradient is `[channel][step]`: each worker
        // transposes a range of sixteen-step blocks.
        let stepBlocks = (plan.depth + 15) / 16
        let copiers = min(workers, stepBlocks)
        ThreadTeam.run(copiers) { worker in
            let mine = ThreadTeam.share(worker, of: copiers, count: stepBlocks)
            let steps = (mine.lowerBound * 16)..<min(plan.depth, mine.upperBound * 16)
            fovea_transpose_avx512(accumulators + steps.lowerBound * columns, columns, steps.count, p.outChannels,
                                   gradWeight + steps.lowerBound, plan.depth, steps.count)
        }
    }

    /// Writes image `n` of the output gradient into `destination`, laid out as
    /// `[channel block][image][position][lanes]`: for each block of 64 channels (the last
    /// rounded up to 16, those lanes zero), one row per output position, the images of a block
    /// consecutive.
    private static func transpose(
        _ p: Conv2DParameters, _ gradOutput: UnsafePointer<Float>, image n: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let outPlane = p.outHeight * p.outWidth
        func rows(of block: Int, stride: Int) -> UnsafeMutablePointer<Float> {
            destination + block * blockLanes * outPlane * p.batch + n * outPlane * stride
        }
        for block in 0...((p.outChannels - 1) / blockLanes) {
            let (count, stride) = lanes(block: block, outChannels: p.outChannels)
            fovea_transpose_avx512(
                gradOutput + (n * p.outChannels + block * blockLanes) * outPlane, outPlane, count, outPlane,
                rows(of: block, stride: stride), stride, stride)
        }
    }
}
