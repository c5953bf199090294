/// Fast convolution kernels, same contract and layouts as `ReferenceConv2D`.
///
/// Ungrouped convolutions with finite operands run direct kernels (the gradients at stride 1
/// only): `ChannelVectorConvolution` on AVX-512F, else `DirectConvolution` on AVX2 and FMA; every
/// other case unfolds each image into a column
/// matrix (`Im2Col`) and multiplies it with `GEMM.sgemm`. Either way a result does not depend on
/// the number of threads.
public enum Conv2DKernels {
    /// Which algorithm a call uses; `automatic` picks the fastest direct kernel that applies.
    enum Path {
        case automatic
        /// `ChannelVectorConvolution` (AVX-512F), where it applies.
        case channelVectors
        /// `DirectConvolution` (AVX2 and FMA), where it applies.
        case direct
        case columns

        /// The algorithm this path runs for the forward pass of `p`: a requested or automatic
        /// direct kernel only where it applies and every operand is finite, else the columns.
        func direct(forward p: Conv2DParameters, finite: Bool) -> Path {
            choose(finite: finite, ChannelVectorConvolution.supportsForward(p), DirectConvolution.supportsForward(p))
        }

        /// The same for the gradients of `p`.
        func direct(backward p: Conv2DParameters, finite: Bool) -> Path {
            choose(finite: finite, ChannelVectorConvolution.supportsBackward(p), DirectConvolution.supportsBackward(p))
        }

        private func choose(finite: Bool, _ channelVectors: Bool, _ direct: Bool) -> Path {
            guard finite else { return .columns }
            switch self {
            case .automatic: return channelVectors ? .channelVectors : direct ? .direct : .columns
            case .channelVectors: return channelVectors ? .channelVectors : .columns
            case .direct: return direct ? .direct : .columns
            case .columns: return .columns
            }
        }
    }

    /// The convolution output (NCHW), bias added when given.
    public static func forward(_ p: Conv2DParameters, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        forward(p, input: input, weight: weight, bias: bias, path: .automatic)
    }

    /// `∂E/∂x` (NCHW).
    public static func backwardInput(_ p: Conv2DParameters, gradOutput: [Float], weight: [Float]) -> [Float] {
        backwardInput(p, gradOutput: gradOutput, weight: weight, path: .automatic)
    }

    /// `∂E/∂w` (OIHW), summed over the batch.
    public static func backwardWeight(_ p: Conv2DParameters, input: [Float], gradOutput: [Float]) -> [Float] {
        backwardWeight(p, input: input, gradOutput: gradOutput, path: .automatic)
    }

    /// `∂E/∂b[o]`: the sum of `∂E/∂out` over the batch and all positions of channel `o`.
    public static func backwardBias(_ p: Conv2DParameters, gradOutput: [Float]) -> [Float] {
        checkCounts(p, input: nil, weight: nil, bias: nil, output: gradOutput.count)
        let positions = p.outHeight * p.outWidth
        var sums = [Double](repeating: 0, count: p.outChannels)
        gradOutput.withUnsafeBufferPointer { dy in
            for n in 0..<p.batch {
                for o in 0..<p.outChannels {
                    let plane = dy.baseAddress! + (n * p.outChannels + o) * positions
                    var lanes = SIMD8<Float>()
                    var i = 0
                    while i + 8 <= positions {
                        lanes += UnsafeRawPointer(plane + i).loadUnaligned(as: SIMD8<Float>.self)
                        i += 8
                    }
                    var sum = Double(lanes.sum())
                    while i < positions {
                        sum += Double(plane[i])
                        i += 1
                    }
                    sums[o] += sum
                }
            }
        }
        return sums.map { Float($0) }
    }

    static func forward(_ p: Conv2DParameters, input: [Float], weight: [Float], bias: [Float]?, path: Path) -> [Float] {
        checkCounts(p, input: input.count, weight: weight.count, bias: bias?.count)
        return filled(p.outputCount) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    func run(_ b: UnsafePointer<Float>?) {
                        let direct = path.direct(forward: p, finite: allFinite(w))
                        if direct == .channelVectors {
                            channelVectors(p, input: x.baseAddress!, bias: b, output: out.baseAddress!) {
                                ChannelVectorConvolution.packForward(p, weight: w.baseAddress!, into: $0)
                            }
                        } else if direct == .direct {
                            self.direct(p, input: x.baseAddress!, bias: b, output: out.baseAddress!) {
                                DirectConvolution.packForward(p, weight: w.baseAddress!, into: $0)
                            }
                        } else {
                            ColumnConvolution.forward(p, input: x.baseAddress!, weight: w.baseAddress!,
                                                      bias: b, output: out.baseAddress!)
                        }
                    }
                    if let bias {
                        bias.withUnsafeBufferPointer { run($0.baseAddress!) }
                    } else {
                        run(nil)
                    }
                }
            }
        }
    }

    static func backwardInput(_ p: Conv2DParameters, gradOutput: [Float], weight: [Float], path: Path) -> [Float] {
        checkCounts(p, input: nil, weight: weight.count, bias: nil, output: gradOutput.count)
        return filled(p.inputCount) { dx in
            gradOutput.withUnsafeBufferPointer { dy in
                weight.withUnsafeBufferPointer { w in
                    let transposed = p.inChannels >= DirectConvolution.minimumInputGradientChannels
                        ? DirectConvolution.transposedProblem(p) : nil
                    let direct = transposed == nil ? .columns : path.direct(backward: p, finite: allFinite(w))
                    if let transposed, direct == .channelVectors {
                        channelVectors(transposed, input: dy.baseAddress!, bias: nil, output: dx.baseAddress!) {
                            ChannelVectorConvolution.packTransposed(p, weight: w.baseAddress!, into: $0)
                        }
                    } else if let transposed, direct == .direct {
                        self.direct(transposed, input: dy.baseAddress!, bias: nil, output: dx.baseAddress!) {
                            DirectConvolution.packTransposed(p, weight: w.baseAddress!, into: $0)
                        }
                    } else {
                        dx.update(repeating: 0)
                        ColumnConvolution.backwardInput(p, gradOutput: dy.baseAddress!, weight: w.baseAddress!,
                                                        gradInput: dx.baseAddress!)
                    }
                }
            }
        }
    }

    static func backwardWeight(_ p: Conv2DParameters, input: [Float], gradOutput: [Float], path: Path) -> [Float] {
        checkCounts(p, input: input.count, weight: nil, bias: nil, output: gradOutput.count)
        return filled(p.weightCount) { dw in
            input.withUnsafeBufferPointer { x in
                gradOutput.withUnsafeBufferPointer { dy in
                    let direct = path.direct(backward: p, finite: allFinite(x) && allFinite(dy))
                    if direct == .channelVectors {
                        ChannelVectorConvolution.weightGradient(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                                gradWeight: dw.baseAddress!)
                    } else if direct == .direct {
                        DirectConvolution.weightGradient(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                         gradWeight: dw.baseAddress!)
                    } else {
                        ColumnConvolution.backwardWeight(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                         gradWeight: dw.baseAddress!)
                    }
                }
            }
        }
    }

    /// Runs the channel-vector forward pass of `problem` with weights that `pack` writes into a
    /// pooled buffer of ``ChannelVectorConvolution/packedCount(_:)`` floats.
    private static func channelVectors(
        _ problem: Conv2DParameters, input: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, pack: (UnsafeMutablePointer<Float>) -> Void
    ) {
        let packed = GEMMWorkspacePool.take(count: ChannelVectorConvolution.packedCount(problem))
        defer { GEMMWorkspacePool.give(packed) }
        pack(packed.pointer)
        ChannelVectorConvolution.forward(problem, input: input, packedWeight: packed.pointer, bias: bias, output: output)
    }

    /// Runs the direct forward pass of `problem` with weights that `pack` writes into a pooled
    /// buffer of ``DirectConvolution/packedCount(_:)`` floats.
    private static func direct(
        _ problem: Conv2DParameters, input: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, pack: (UnsafeMutablePointer<Float>) -> Void
    ) {
        let packed = GEMMWorkspacePool.take(count: DirectConvolution.packedCount(problem))
        defer { GEMMWorkspacePool.give(packed) }
        pack(packed.pointer)
        DirectConvolution.forward(problem, input: input, packedWeight: packed.pointer, bias: bias, output: output)
    }

    /// An array of `count` floats, every one of which `body` writes (not zeroed first).
    static func filled(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
    }

    /// Whether no value is NaN or infinite. The direct kernels multiply discarded positions and
    /// padding by zero, which only matches the column path when every operand is finite.
    static func allFinite(_ values: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = values.baseAddress else { return true }
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= values.count {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes += v - v  // 0 for finite values, NaN otherwise
            i += 8
        }
        var rest: Float = 0
        while i < values.count {
            rest += values[i] - values[i]
            i += 1
        }
        return lanes.sum() + rest == 0
    }
}
