import CFoveaKernels

/// Weight layouts of the direct convolution kernels: output channels in blocks, each block's
/// weights depth step by depth step.
enum ConvolutionWeights {
    /// The weights `weight(o, step)` of a forward problem, read from the OIHW array of a
    /// convolution: as they are (its forward pass, ``forward(_:_:)``) or with input and output
    /// channels exchanged and the kernel flipped (its input gradient, ``transposed(_:_:)``).
    struct Source {
        let weight: UnsafePointer<Float>
        /// Depth steps of the problem the weights serve.
        let depth: Int
        /// For the transposed weights: the original problem's input channels and kernel window
        /// `kH·kW` (step `o·window + t` reads tap `window − 1 − t`, the kernel flipped in both axes).
        let transposedShape: (inChannels: Int, window: Int)?
        /// For the transposed weights: where each step's tap of channel 0 is, so that reading a
        /// weight needs no division (they took about 6 % of the 256 × 14² input gradient).
        let stepOffsets: [Int]

        /// `weight(o, step)`.
        subscript(o: Int, step: Int) -> Float {
            guard let (_, window) = transposedShape else { return weight[o * depth + step] }
            return weight[stepOffsets[step] + o * window]
        }

        /// Writes `weight(o, step)` for the output channels `channels` and every step into rows of
        /// `stride` floats (`base[step·stride + i]` for channel `channels.lowerBound + i`), zero
        /// past `channels.count`. With `avx512` (the default where the kernels may use it) this is
        /// a 16 × 16 block transpose of the OIHW array (per original output channel when
        /// transposed); else one weight at a time.
        func write(channels: Range<Int>, into base: UnsafeMutablePointer<Float>, stride: Int,
                   avx512: Bool = KernelInstructionSet.active == .avx512) {
            guard avx512 else {
                for step in 0..<depth {
                    for i in 0..<stride {
                        base[step * stride + i] = i < channels.count ? self[channels.lowerBound + i, step] : 0
                    }
                }
                return
            }
            guard let (inChannels, window) = transposedShape else {
                fovea_transpose_avx512(weight + channels.lowerBound * depth, depth, channels.count, depth,
                                       base, stride, stride)
                return
            }
            // Original output channel `o` supplies steps `o·window ..< (o + 1)·window`, its taps
            // in reverse order: the rows are written from the last step upwards (negative stride).
            for original in 0..<(depth / window) {
                fovea_transpose_avx512(
                    weight + (original * inChannels + channels.lowerBound) * window, window, channels.count, window,
                    base + ((original + 1) * window - 1) * stride, -stride, stride)
            }
        }
    }

    /// Packs `source` for `outChannels` channels and `depth` steps as blocks of `blockSize`
    /// channels, block `b` at `b·blockSize·depth`, each step's channels consecutive and rounded
    /// up to a multiple of `roundedTo` with zeros. Large weights are packed by several workers,
    /// block by block.
    static func pack(
        outChannels: Int, depth: Int, blockSize: Int, roundedTo: Int, into packed: UnsafeMutablePointer<Float>,
        source: Source
    ) {
        let blocks = (outChannels + blockSize - 1) / blockSize
        let workers = outChannels * depth < 1 << 16 ? 1 : min(KernelThreads.limit, blocks)
        ThreadTeam.run(workers) { worker in
            for block in ThreadTeam.share(worker, of: workers, count: blocks) {
                let channels = (block * blockSize)..<min(outChannels, (block + 1) * blockSize)
                source.write(channels: channels, into: packed + block * blockSize * depth,
                             stride: DirectConvolution.roundUp(channels.count, roundedTo))
            }
        }
    }

    /// Floats that ``pack(outChannels:depth:blockSize:roundedTo:into:source:)`` writes.
    static func packedCount(outChannels: Int, depth: Int, blockSize: Int, roundedTo: Int) -> Int {
        let full = outChannels / blockSize * blockSize
        return depth * (full + DirectConvolution.roundUp(outChannels - full, roundedTo))
    }

    /// OIHW weights of `p` as `(o, step)` with `step = (c·kH + u)·kW + v`.
    static func forward(_ p: Conv2DParameters, _ weight: UnsafePointer<Float>) -> Source {
        Source(weight: weight, depth: p.inChannels * p.kernelHeight * p.kernelWidth, transposedShape: nil,
               stepOffsets: [])
    }

    /// The weights of the forward problem `p` for its ``DirectConvolution/transposedProblem(_:)``:
    /// input channel `c` becomes an output channel, output channel `o` a depth channel, and the
    /// kernel is flipped in both axes.
    static func transposed(_ p: Conv2DParameters, _ weight: UnsafePointer<Float>) -> Source {
        let window = p.kernelHeight * p.kernelWidth
        let offsets = (0..<(p.outChannels * window)).map { step in
            let (original, tap) = step.quotientAndRemainder(dividingBy: window)
            return original * p.inChannels * window + window - 1 - tap
        }
        return Source(weight: weight, depth: p.outChannels * window, transposedShape: (p.inChannels, window),
                      stepOffsets: offsets)
    }
}
