import CFoveaKernels

/// Ungrouped convolution computed directly on a zero-padded copy of the input, with no column
/// matrix (the gradients at stride 1 only).
///
/// On the padded image of width `Wp`, output position `q = y·Wp + x` reads input element
/// `q + offset(c, u, v)` with `offset = c·Hp·Wp + u·dH·Wp + v·dW`: linear in `q`. So sixteen
/// consecutive positions of one depth step `(c, u, v)` are sixteen consecutive floats of the
/// padded copy, and a 6-channel × 16-position register tile is a GEMM micro-kernel whose B
/// operand is read in place at a per-step offset. Positions with `x ≥ W_out` (the last
/// `Wp − W_out` of each row) are computed and thrown away. The input gradient is the same
/// computation on the padded output gradient with flipped, transposed weights; the weight
/// gradient is the product of the padded input (read at six offsets) with the transposed output
/// gradient. At a larger stride the forward pass keeps each 16-position tile inside one output
/// row and gathers every `s_W`-th float. For each 16-position tile and block of depth steps, the
/// 16-wide vectors are first copied into a contiguous panel (a few KiB, in L1) so that the
/// packed-panel GEMM micro-kernel runs on them for every block of 6 output channels. Needs AVX2
/// and FMA; every call sums in an order that does not depend on threads.
enum DirectConvolution {
    /// Depth steps per packed weight block (its 6-row slice, 6 KiB, stays in L1).
    static let depthBlock = 256
    /// Output positions of one forward work item: four 16-wide tiles.
    static let positionsPerItem = 64
    /// Positions of the weight gradient summed per pass over the tiles (the transposed
    /// output-gradient block and the input rows it meets stay in L2).
    static let positionBlock = 256

    /// Whether the forward pass of `p` can run here: AVX2 and FMA, one group.
    static func supportsForward(_ p: Conv2DParameters) -> Bool {
        KernelInstructionSet.active >= .avx2 && p.groups == 1
    }

    /// Whether the gradients of `p` can run here: AVX2 and FMA, one group, stride 1.
    static func supportsBackward(_ p: Conv2DParameters) -> Bool {
        supportsForward(p) && p.strideH == 1 && p.strideW == 1
    }

    /// Fewest input channels for which the input gradient runs here: its rows are the input
    /// channels in blocks of 6, so with fewer the blocks are mostly zero padding (LeNet's first
    /// layer, 1 channel: 6× the work) and the column path is faster.
    static let minimumInputGradientChannels = 12

    /// The input gradient of `p` as a forward convolution of the output gradient (padded by
    /// the kernel extent minus the forward padding), or nil when that padding would be negative
    /// or `p` has a stride above 1 or groups.
    static func transposedProblem(_ p: Conv2DParameters) -> Conv2DParameters? {
        guard p.strideH == 1, p.strideW == 1, p.groups == 1 else { return nil }
        let extentH = p.dilationH * (p.kernelHeight - 1)
        let extentW = p.dilationW * (p.kernelWidth - 1)
        let pads = (extentH - p.padTop, extentH - p.padBottom, extentW - p.padLeft, extentW - p.padRight)
        guard min(pads.0, pads.1, pads.2, pads.3) >= 0 else { return nil }
        return Conv2DParameters(
            batch: p.batch, inChannels: p.outChannels, height: p.outHeight, width: p.outWidth,
            outChannels: p.inChannels, kernelHeight: p.kernelHeight, kernelWidth: p.kernelWidth,
            dilationH: p.dilationH, dilationW: p.dilationW,
            padTop: pads.0, padBottom: pads.1, padLeft: pads.2, padRight: pads.3)
    }

    /// Sizes of the padded copy and the position grid of a stride-1 problem.
    struct Plan {
        let p: Conv2DParameters
        /// Padded width `Wp` and one padded channel plane `Hp·Wp`.
        let paddedWidth: Int
        let plane: Int
        /// Width of the position grid: `Wp` at stride 1 (positions `q = y·Wp + x` read the
        /// padded copy at `q` plus the step offset), else `W_out` rounded up to 16 (tiles stay
        /// in one output row, and read every `s_W`-th float from `y·s_H·Wp + x·s_W`).
        let gridWidth: Int
        /// Positions computed per image, `H_out` grid rows, and that rounded up to whole tiles.
        let positions: Int
        let paddedPositions: Int
        /// Floats per padded image: the planes plus the slack the last tiles read.
        let imageStride: Int
        /// Depth steps `C·kH·kW` and each step's offset in the padded image.
        let depth: Int
        let offsets: [Int]

        init(_ p: Conv2DParameters) {
            self.p = p
            paddedWidth = p.padLeft + p.width + p.padRight
            plane = (p.padTop + p.height + p.padBottom) * paddedWidth
            let unitStride = p.strideH == 1 && p.strideW == 1
            gridWidth = unitStride ? paddedWidth : roundUp(p.outWidth, 16)
            positions = p.outHeight * gridWidth
            paddedPositions = roundUp(positions, 16)
            depth = p.inChannels * p.kernelHeight * p.kernelWidth
            var offsets: [Int] = []
            offsets.reserveCapacity(depth)
            for c in 0..<p.inChannels {
                for u in 0..<p.kernelHeight {
                    for v in 0..<p.kernelWidth {
                        offsets.append(c * plane + u * p.dilationH * paddedWidth + v * p.dilationW)
                    }
                }
            }
            self.offsets = offsets
            let lastTile = (paddedPositions - 16) / gridWidth * p.strideH * paddedWidth
                + (paddedPositions - 16) % gridWidth * p.strideW
            imageStride = roundUp(max(p.inChannels * plane, lastTile + (offsets.last ?? 0) + 32 * p.strideW), 16)
        }

        /// Where in the padded image position `q`'s window starts.
        func address(of q: Int) -> Int {
            let (y, x) = q.quotientAndRemainder(dividingBy: gridWidth)
            return y * p.strideH * paddedWidth + x * p.strideW
        }

        /// Writes image `n` of `input` (NCHW) into `destination` with zero borders and slack.
        func pad(_ input: UnsafePointer<Float>, image n: Int, into destination: UnsafeMutablePointer<Float>) {
            let (h, w) = (p.height, p.width)
            let right = paddedWidth - p.padLeft - w
            for c in 0..<p.inChannels {
                let source = input + (n * p.inChannels + c) * h * w
                let channel = destination + c * plane
                // Only the border is zeroed: the rows above and below, and each row's ends.
                channel.update(repeating: 0, count: p.padTop * paddedWidth + p.padLeft)
                for y in 0..<h {
                    let row = channel + (p.padTop + y) * paddedWidth + p.padLeft
                    row.update(from: source + y * w, count: w)
                    (row + w).update(repeating: 0, count: right + (y + 1 < h ? p.padLeft : 0))
                }
                let below = channel + (p.padTop + h) * paddedWidth
                below.update(repeating: 0, count: plane - (p.padTop + h) * paddedWidth)
            }
            (destination + p.inChannels * plane).update(repeating: 0, count: imageStride - p.inChannels * plane)
        }

        /// Where the kernels find the images: row stride, channel plane and image stride.
        struct ImageLayout {
            let width: Int
            let plane: Int
            let imageStride: Int
        }

        /// Runs `body` on the images as the direct kernels read them: `input` itself when `p`
        /// has no padding, else zero-padded copies (``pad(_:image:into:)``) in a pooled buffer.
        func withImages<R>(
            _ input: UnsafePointer<Float>, workers: Int, _ body: (UnsafePointer<Float>, ImageLayout) -> R
        ) -> R {
            guard needsPadding else { return body(input, layout) }
            let copy = GEMMWorkspacePool.take(count: p.batch * imageStride)
            defer { GEMMWorkspacePool.give(copy) }
            padAll(input, into: copy.pointer, workers: workers)
            return body(copy.pointer, layout)
        }

        /// Whether `p` has any padding, so that the kernels read padded copies of the images.
        var needsPadding: Bool {
            p.padTop != 0 || p.padBottom != 0 || p.padLeft != 0 || p.padRight != 0
        }

        /// The layout the kernels read: the padded copies' when ``needsPadding``, else the input's.
        var layout: ImageLayout {
            guard needsPadding else {
                let plane = p.height * p.width
                return ImageLayout(width: p.width, plane: plane, imageStride: p.inChannels * plane)
            }
            return ImageLayout(width: paddedWidth, plane: plane, imageStride: imageStride)
        }

        /// Pads every image of `input` into `destination` (image `n` at `n·imageStride`).
        func padAll(_ input: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, workers: Int) {
            ThreadTeam.run(workers) { worker in
                for n in ThreadTeam.share(worker, of: workers, count: p.batch) {
                    pad(input, image: n, into: destination + n * imageStride)
                }
            }
        }
    }

    /// Output (NCHW) of the problem `p` from weights packed by ``pack(_:into:source:)``, plus
    /// `bias` when given.
    static func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, packedWeight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let plan = Plan(p)
        let groupsPerImage = (plan.paddedPositions + positionsPerItem - 1) / positionsPerItem
        let items = p.batch * groupsPerImage
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * plan.depth, items: items)
        let rows = roundUp(p.outChannels, 6)
        let padded = GEMMWorkspacePool.take(count: p.batch * plan.imageStride)
        let scratch = GEMMWorkspacePool.take(count: workers * rows * positionsPerItem)
        defer {
            GEMMWorkspacePool.give(scratch)
            GEMMWorkspacePool.give(padded)
        }
        plan.padAll(input, into: padded.pointer, workers: workers)
        let (images, local) = (padded.pointer, scratch.pointer)
        let panels = GEMMWorkspacePool.take(count: workers * positionsPerItem * depthBlock)
        defer { GEMMWorkspacePool.give(panels) }
        let packedInput = panels.pointer
        plan.offsets.withUnsafeBufferPointer { offsets in
            ThreadTeam.run(workers) { worker in
                let tile = local + worker * rows * positionsPerItem
                let panel = packedInput + worker * positionsPerItem * depthBlock
                for item in ThreadTeam.share(worker, of: workers, count: items) {
                    let (n, group) = item.quotientAndRemainder(dividingBy: groupsPerImage)
                    let q0 = group * positionsPerItem
                    let width = min(positionsPerItem, plan.paddedPositions - q0)
                    let image = images + n * plan.imageStride
                    var k0 = 0
                    while k0 < plan.depth {
                        let depth = min(depthBlock, plan.depth - k0)
                        packPanels(plan, image, positions: q0..<(q0 + width), offsets: offsets.baseAddress! + k0,
                                   depth: depth, into: panel)
                        var t = 0
                        while t < width {
                            let b = UnsafePointer(panel + t * depth)
                            for block in 0..<(rows / 6) {
                                fovea_sgemm_kernel_6x16_avx2_fma(
                                    depth, packedWeight + packedOffset(block: block, step: k0, depth: plan.depth, rows: rows), b,
                                    tile + block * 6 * positionsPerItem + t, positionsPerItem, 1, k0 > 0 ? 1 : 0)
                            }
                            t += 16
                        }
                        k0 += depth
                    }
                    store(plan, tile: tile, image: n, positions: q0..<min(q0 + width, plan.positions),
                          bias: bias, output: output)
                }
            }
        }
    }

    /// Gathers the 16-wide panels of a work item: for each tile (16 positions from `q`) and
    /// depth step `s`, the inputs the 16 positions meet at step `s`, stored consecutively, the
    /// tile at `(q − positions.lowerBound)·depth` floats from `panel`.
    private static func packPanels(
        _ plan: Plan, _ image: UnsafePointer<Float>, positions: Range<Int>, offsets: UnsafePointer<Int>,
        depth: Int, into panel: UnsafeMutablePointer<Float>
    ) {
        var target = UnsafeMutableRawPointer(panel)
        let stride = plan.p.strideW
        for q in Swift.stride(from: positions.lowerBound, to: positions.upperBound, by: 16) {
            let source = UnsafeRawPointer(image + plan.address(of: q))
            switch stride {
            case 1:
                for s in 0..<depth {
                    let values = source.loadUnaligned(fromByteOffset: offsets[s] &* 4, as: SIMD16<Float>.self)
                    target.storeBytes(of: values, as: SIMD16<Float>.self)
                    target += 64
                }
            case 2:
                for s in 0..<depth {
                    let values = source.loadUnaligned(fromByteOffset: offsets[s] &* 4, as: SIMD32<Float>.self)
                    target.storeBytes(of: values.evenHalf, as: SIMD16<Float>.self)
                    target += 64
                }
            default:
                let floats = source.assumingMemoryBound(to: Float.self)
                for s in 0..<depth {
                    let start = floats + offsets[s]
                    var values = SIMD16<Float>()
                    for i in 0..<16 { values[i] = start[i &* stride] }
                    target.storeBytes(of: values, as: SIMD16<Float>.self)
                    target += 64
                }
            }
        }
    }

    /// Copies the valid positions of a work item's tile into the output, adding the bias.
    private static func store(
        _ plan: Plan, tile: UnsafeMutablePointer<Float>, image n: Int, positions: Range<Int>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let p = plan.p
        let (outWidth, outPlane) = (p.outWidth, p.outHeight * p.outWidth)
        var q = positions.lowerBound
        while q < positions.upperBound {
            let y = q / plan.gridWidth
            let x = q - y * plan.gridWidth
            let rowEnd = min(positions.upperBound, (y + 1) * plan.gridWidth)
            if x < outWidth {
                let count = min(outWidth, rowEnd - y * plan.gridWidth) - x
                let from = q - positions.lowerBound
                for o in 0..<p.outChannels {
                    let source = tile + o * positionsPerItem + from
                    let target = output + (n * p.outChannels + o) * outPlane + y * outWidth + x
                    if let bias {
                        let b = bias[o]
                        for i in 0..<count { target[i] = source[i] + b }
                    } else {
                        target.update(from: source, count: count)
                    }
                }
            }
            q = rowEnd
        }
    }

    /// Where packed weights keep the 6 floats of row block `block` at depth step `step`: depth
    /// block by depth block, and within one all row blocks (`[block][step][6]`) one after the
    /// other, so the micro-kernel streams one contiguous region per depth block.
    static func packedOffset(block: Int, step: Int, depth: Int, rows: Int) -> Int {
        let k0 = step / depthBlock * depthBlock
        let count = min(depthBlock, depth - k0)
        return k0 * rows + (block * count + step - k0) * 6
    }

    /// Floats of packed weights for the problem `p`: its depth times its output channels rounded
    /// up to 6.
    static func packedCount(_ p: Conv2DParameters) -> Int {
        p.inChannels * p.kernelHeight * p.kernelWidth * roundUp(p.outChannels, 6)
    }

    /// Packs `weight(o, step)` of the forward problem `p` (``ConvolutionWeights/forward(_:_:)``
    /// or ``ConvolutionWeights/transposed(_:_:)``) as 6-channel blocks of depth steps
    /// (``packedOffset(block:step:depth:rows:)``), zero rows past `C_out`.
    static func pack(_ p: Conv2DParameters, into packed: UnsafeMutablePointer<Float>, source: ConvolutionWeights.Source) {
        let depth = p.inChannels * p.kernelHeight * p.kernelWidth
        let rows = roundUp(p.outChannels, 6)
        for block in 0..<(rows / 6) {
            for step in 0..<depth {
                let target = packed + packedOffset(block: block, step: step, depth: depth, rows: rows)
                for i in 0..<6 {
                    let o = block * 6 + i
                    target[i] = o < p.outChannels ? source[o, step] : 0
                }
            }
        }
    }

    /// `∂E/∂w` (OIHW) of the stride-1 problem `p`, written to `gradWeight`.
    static func weightGradient(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        gradWeight: UnsafeMutablePointer<Float>
    ) {
        let plan = Plan(p)
        let columns = roundUp(p.outChannels, 16)
        let stepTiles = (plan.depth + 5) / 6
        let channelBlocks = columns / 16
        let items = stepTiles * channelBlocks
        let workers = ThreadTeam.workers(multiplyAdds: p.outputCount * plan.depth, items: items)
        let padded = GEMMWorkspacePool.take(count: p.batch * plan.imageStride)
        let transposed = GEMMWorkspacePool.take(count: p.batch * plan.paddedPositions * columns)
        let sums = GEMMWorkspacePool.take(count: stepTiles * 6 * columns)
        defer {
            GEMMWorkspacePool.give(sums)
            GEMMWorkspacePool.give(transposed)
            GEMMWorkspacePool.give(padded)
        }
        plan.padAll(input, into: padded.pointer, workers: workers)
        let (images, gradients, accumulators) = (padded.pointer, transposed.pointer, sums.pointer)
        let imageGradient = plan.paddedPositions * columns
        ThreadTeam.run(workers) { worker in
            for n in ThreadTeam.share(worker, of: workers, count: p.batch) {
                transpose(plan, gradOutput, image: n, columns: columns, into: gradients + n * imageGradient)
            }
        }
        accumulators.update(repeating: 0, count: stepTiles * 6 * columns)
        var offsets = plan.offsets
        offsets += [Int](repeating: 0, count: stepTiles * 6 - plan.depth)
        offsets.withUnsafeBufferPointer { offsets in
            ThreadTeam.run(workers) { worker in
                let mine = ThreadTeam.share(worker, of: workers, count: items)
                for n in 0..<p.batch {
                    var q0 = 0
                    while q0 < plan.paddedPositions {
                        let count = min(positionBlock, plan.paddedPositions - q0)
                        let x = images + n * plan.imageStride + q0
                        let dyt = gradients + n * imageGradient + q0 * 16
                        for item in mine {
                            let (tile, block) = item.quotientAndRemainder(dividingBy: channelBlocks)
                            fovea_conv_weight_tile_6x16_avx2_fma(
                                count, x, offsets.baseAddress! + tile * 6, dyt + block * plan.paddedPositions * 16, 16,
                                accumulators + tile * 6 * columns + block * 16, columns)
                        }
                        q0 += count
                    }
                }
            }
        }
        for o in 0..<p.outChannels {
            for step in 0..<plan.depth {
                gradWeight[o * plan.depth + step] = accumulators[step * columns + o]
            }
        }
    }

    /// Writes image `n` of the output gradient as `[channel block][position][16]`: for each
    /// block of 16 channels, one row of 16 floats per position of the padded position grid, zero
    /// at the discarded positions and the channels past `C_out`.
    private static func transpose(
        _ plan: Plan, _ gradOutput: UnsafePointer<Float>, image n: Int, columns: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let p = plan.p
        destination.update(repeating: 0, count: plan.paddedPositions * columns)
        let outPlane = p.outHeight * p.outWidth
        for o in 0..<p.outChannels {
            let source = gradOutput + (n * p.outChannels + o) * outPlane
            let block = destination + (o / 16) * plan.paddedPositions * 16 + o % 16
            for y in 0..<p.outHeight {
                let row = source + y * p.outWidth
                var target = block + y * plan.gridWidth * 16
                for x in 0..<p.outWidth {
                    target.pointee = row[x]
                    target += 16
                }
            }
        }
    }

    static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
