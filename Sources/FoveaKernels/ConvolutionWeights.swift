/// Weight layouts of the direct convolution kernels: output channels in blocks, each block's
/// weights depth step by depth step.
enum ConvolutionWeights {
    /// Packs `weight(o, step)` for `outChannels` channels and `depth` steps as blocks of
    /// `blockSize` channels, block `b` at `b·blockSize·depth`, each step's channels consecutive
    /// and rounded up to a multiple of `roundedTo` with zeros. Large weights are packed by several
    /// workers, block by block.
    static func pack(
        outChannels: Int, depth: Int, blockSize: Int, roundedTo: Int, into packed: UnsafeMutablePointer<Float>,
        weight: (Int, Int) -> Float
    ) {
        let blocks = (outChannels + blockSize - 1) / blockSize
        let workers = outChannels * depth < 1 << 16 ? 1 : min(KernelThreads.limit, blocks)
        ThreadTeam.run(workers) { worker in
            for block in ThreadTeam.share(worker, of: workers, count: blocks) {
                pack(block: block, outChannels: outChannels, depth: depth, blockSize: blockSize, roundedTo: roundedTo,
                     into: packed, weight: weight)
            }
        }
    }

    private static func pack(
        block: Int, outChannels: Int, depth: Int, blockSize: Int, roundedTo: Int, into packed: UnsafeMutablePointer<Float>,
        weight: (Int, Int) -> Float
    ) {
        let count = min(blockSize, outChannels - block * blockSize)
        let stride = DirectConvolution.roundUp(count, roundedTo)
        let base = packed + block * blockSize * depth
        for step in 0..<depth {
            let target = base + step * stride
            for i in 0..<stride {
                target[i] = i < count ? weight(block * blockSize + i, step) : 0
            }
        }
    }

    /// Floats that ``pack(outChannels:depth:blockSize:roundedTo:into:weight:)`` writes.
    static func packedCount(outChannels: Int, depth: Int, blockSize: Int, roundedTo: Int) -> Int {
        let full = outChannels / blockSize * blockSize
        return depth * (full + DirectConvolution.roundUp(outChannels - full, roundedTo))
    }

    /// OIHW weights of `p` as `(o, step)` with `step = (c·kH + u)·kW + v`.
    static func forward(_ p: Conv2DParameters, _ weight: UnsafePointer<Float>) -> (Int, Int) -> Float {
        let depth = p.inChannels * p.kernelHeight * p.kernelWidth
        return { o, step in weight[o * depth + step] }
    }

    /// The weights of the forward problem `p` for its ``DirectConvolution/transposedProblem(_:)``:
    /// input channel `c` becomes an output channel, output channel `o` a depth channel, and the
    /// kernel is flipped in both axes.
    ///
    /// Each step's source offset is looked up in a table (one entry per step) rather than
    /// divided out per weight: the divisions took about 6 % of the 256 × 14² input gradient.
    static func transposed(_ p: Conv2DParameters, _ weight: UnsafePointer<Float>) -> (Int, Int) -> Float {
        let (kh, kw) = (p.kernelHeight, p.kernelWidth)
        let window = kh * kw
        var sources: [Int] = []
        sources.reserveCapacity(p.outChannels * window)
        for o in 0..<p.outChannels {
            for u in 0..<kh {
                for v in 0..<kw {
                    sources.append(o * p.inChannels * window + (kh - 1 - u) * kw + (kw - 1 - v))
                }
            }
        }
        return { c, step in weight[sources[step] + c * window] }
    }
}
