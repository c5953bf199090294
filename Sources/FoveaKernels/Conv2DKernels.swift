/// Fast convolution kernels, same contract and layouts as `ReferenceConv2D`.
///
/// Ungrouped convolutions with finite operands run direct kernels (the gradients at stride 1
/// only): `WinogradConvolution` for 3×3 stride-1 layers with at least 32 input and output
/// channels (64 and outputs of 12² for the weight gradient), in AVX-512 or AVX2 form; then on
/// AVX-512F `RowTileConvolution` for stride-1 problems that are shallow or have few output
/// channels and `ChannelVectorConvolution` for the rest, else `DirectConvolution` on AVX2 and
/// FMA. Every other case unfolds each image into a column matrix (`Im2Col`) and multiplies it
/// with `GEMM.sgemm`. Either way a result does not depend on the number of threads.
public enum Conv2DKernels {
    /// Which algorithm a call uses; `automatic` picks the first direct kernel that applies, in
    /// the order below, on the widest instruction set of ``KernelInstructionSet/active``. A
    /// requested kernel that does not apply runs the column path.
    enum Path: Equatable, Sendable {
        case automatic
        /// `RowTileConvolution` on AVX-512F or AVX2 (forward passes only; the weight gradient
        /// runs the other direct kernel of the instruction set).
        case rowTiles(KernelInstructionSet)
        /// `ChannelVectorConvolution` (AVX-512F).
        case channelVectors
        /// `DirectConvolution` (AVX2 and FMA).
        case direct
        /// `WinogradConvolution` on AVX-512F or AVX2 (3×3 at stride 1 and dilation 1).
        case winograd(KernelInstructionSet)
        case columns

        /// Every path a test may request.
        static let all: [Path] = [
            .automatic, .winograd(.avx512), .winograd(.avx2), .rowTiles(.avx512), .rowTiles(.avx2), .channelVectors,
            .direct, .columns,
        ]

        /// The paths `automatic` tries for `p`, in order, on this CPU and limit: this CPU's
        /// Winograd form (which takes only the 3×3 stride-1 problems it prefers), then the
        /// direct kernels.
        private static func automaticCandidates(_ p: Conv2DParameters) -> [Path] {
            let winograd = WinogradConvolution.preferred.map { [Path.winograd($0.instructionSet)] } ?? []
            return winograd + directCandidates(p)
        }

        /// The direct kernels `automatic` tries for `p`, in order. A strided forward pass runs
        /// the AVX2 direct kernel first where AVX-512 FMAs run at the AVX2 rate (Zen 4: on the
        /// ResNet stem, 7×7 stride 2 with 3 input channels, 80 ms against the channel vectors'
        /// 104), and the channel vectors first on cores with full-width 512-bit FMAs (an Intel
        /// Xeon: 77–79 ms against the direct kernel's 102–107).
        private static func directCandidates(_ p: Conv2DParameters) -> [Path] {
            switch KernelInstructionSet.active {
            case .avx512 where (p.strideH > 1 || p.strideW > 1) && KernelInstructionSet.avx512SplitsFMA:
                [.direct, .channelVectors]
            case .avx512 where p.strideH > 1 || p.strideW > 1: [.channelVectors, .direct]
            case .avx512: [.rowTiles(.avx512), .channelVectors, .direct]
            case .avx2: [.rowTiles(.avx2), .direct]
            case .portable: []
            }
        }

        /// The kernel that runs the forward problem `p` (a forward pass, or the transposed problem
        /// of an input gradient) with weights that are all finite or not.
        func algorithm(forward p: Conv2DParameters, finite: Bool) -> Path {
            guard finite else { return .columns }
            let candidates = self == .automatic ? Self.automaticCandidates(p) : [self]
            return candidates.first { candidate in
                switch candidate {
                case .rowTiles(let set):
                    let kernel = RowTileConvolution(instructionSet: set)
                    return self == .automatic ? kernel.prefers(p) : kernel.supports(p)
                case .channelVectors: return ChannelVectorConvolution.supportsForward(p)
                case .direct: return DirectConvolution.supportsForward(p)
                case .winograd(let set):
                    let kernel = WinogradConvolution(instructionSet: set)
                    return self == .automatic ? kernel.prefers(p) : kernel.supports(p)
                case .automatic, .columns: return false
                }
            } ?? .columns
        }

        /// The kernel that runs the weight gradient of `p` with operands that are all finite or not.
        func algorithm(weightGradient p: Conv2DParameters, finite: Bool) -> Path {
            guard finite else { return .columns }
            let candidates: [Path] = switch self {
            case .automatic: Self.automaticCandidates(p).filter { if case .rowTiles = $0 { false } else { true } }
            case .rowTiles(let set): set == .avx512 ? [.channelVectors] : [.direct]
            default: [self]
            }
            return candidates.first { candidate in
                switch candidate {
                case .channelVectors: ChannelVectorConvolution.supportsBackward(p)
                case .direct: DirectConvolution.supportsBackward(p)
                case .winograd(let set):
                    self == .automatic ? WinogradConvolution(instructionSet: set).prefersWeightGradient(p)
                        : WinogradConvolution(instructionSet: set).supports(p)
                case .automatic, .rowTiles, .columns: false
                }
            } ?? .columns
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
        let workers = max(1, min(KernelThreads.limit, p.outChannels, gradOutput.count / parallelFloats))
        return gradOutput.withUnsafeBufferPointer { dy in
            filled(p.outChannels) { sums in
                // Each channel is summed image by image in the same order on any worker.
                ThreadTeam.run(workers) { worker in
                    for o in ThreadTeam.share(worker, of: workers, count: p.outChannels) {
                        var sum = 0.0
                        for n in 0..<p.batch {
                            sum += planeSum(dy.baseAddress! + (n * p.outChannels + o) * positions, count: positions)
                        }
                        sums[o] = Float(sum)
                    }
                }
            }
        }
    }

    /// Floats per worker above which the memory-bound passes (bias gradient, finiteness checks)
    /// use more than one thread.
    static let parallelFloats = 1 << 19

    /// The sum of one plane: eight float lanes, then in `Double`.
    private static func planeSum(_ plane: UnsafePointer<Float>, count: Int) -> Double {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            lanes += UnsafeRawPointer(plane + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var sum = Double(lanes.sum())
        while i < count {
            sum += Double(plane[i])
            i += 1
        }
        return sum
    }

    static func forward(_ p: Conv2DParameters, input: [Float], weight: [Float], bias: [Float]?, path: Path) -> [Float] {
        checkCounts(p, input: input.count, weight: weight.count, bias: bias?.count)
        return filled(p.outputCount) { out in
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    func run(_ b: UnsafePointer<Float>?) {
                        let algorithm = path.algorithm(forward: p, finite: allFinite(w))
                        if algorithm == .columns {
                            ColumnConvolution.forward(p, input: x.baseAddress!, weight: w.baseAddress!,
                                                      bias: b, output: out.baseAddress!)
                        } else {
                            runDirect(algorithm, p, input: x.baseAddress!, bias: b, output: out.baseAddress!,
                                      weight: ConvolutionWeights.forward(p, w.baseAddress!))
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
                    let transposed = DirectConvolution.transposedProblem(p)
                    var algorithm = transposed.map { path.algorithm(forward: $0, finite: allFinite(w)) } ?? .columns
                    // The input channels become the output channels of the transposed problem:
                    // too few of them leave the vector lanes or row blocks mostly empty.
                    switch algorithm {
                    case .channelVectors where p.inChannels < ChannelVectorConvolution.minimumInputGradientChannels,
                         .rowTiles where p.inChannels < ChannelVectorConvolution.minimumInputGradientChannels,
                         .winograd where p.inChannels < ChannelVectorConvolution.minimumInputGradientChannels,
                         .direct where p.inChannels < DirectConvolution.minimumInputGradientChannels:
                        algorithm = .columns
                    default:
                        break
                    }
                    if let transposed, algorithm != .columns {
                        runDirect(algorithm, transposed, input: dy.baseAddress!, bias: nil, output: dx.baseAddress!,
                                  weight: ConvolutionWeights.transposed(p, w.baseAddress!))
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
                    switch path.algorithm(weightGradient: p, finite: allFinite(x) && allFinite(dy)) {
                    case .winograd(let set):
                        WinogradConvolution(instructionSet: set).weightGradient(
                            p, input: x.baseAddress!, gradOutput: dy.baseAddress!, gradWeight: dw.baseAddress!)
                    case .channelVectors:
                        ChannelVectorConvolution.weightGradient(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                                gradWeight: dw.baseAddress!)
                    case .direct:
                        DirectConvolution.weightGradient(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                         gradWeight: dw.baseAddress!)
                    default:
                        ColumnConvolution.backwardWeight(p, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                         gradWeight: dw.baseAddress!)
                    }
                }
            }
        }
    }

    /// Runs the forward problem `problem` on the direct kernel `algorithm`, its weights
    /// `weight(o, step)` packed into a pooled buffer in the layout that kernel reads.
    private static func runDirect(
        _ algorithm: Path, _ problem: Conv2DParameters, input: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, weight: ConvolutionWeights.Source
    ) {
        switch algorithm {
        case .winograd(let set):
            WinogradConvolution(instructionSet: set).forward(problem, input: input, weight: weight, bias: bias,
                                                              output: output)
        case .rowTiles(let set):
            let kernel = RowTileConvolution(instructionSet: set)
            withPacked(kernel.packedCount(problem), { kernel.pack(problem, into: $0, source: weight) }) {
                kernel.forward(problem, input: input, packedWeight: $0, bias: bias, output: output)
            }
        case .channelVectors:
            withPacked(ChannelVectorConvolution.packedCount(problem), {
                ChannelVectorConvolution.pack(problem, into: $0, source: weight)
            }) {
                ChannelVectorConvolution.forward(problem, input: input, packedWeight: $0, bias: bias, output: output)
            }
        default:
            withPacked(DirectConvolution.packedCount(problem), { DirectConvolution.pack(problem, into: $0, source: weight) }) {
                DirectConvolution.forward(problem, input: input, packedWeight: $0, bias: bias, output: output)
            }
        }
    }

    /// Calls `pack` on a pooled buffer of `count` floats, then `run` on it.
    private static func withPacked(
        _ count: Int, _ pack: (UnsafeMutablePointer<Float>) -> Void, run: (UnsafePointer<Float>) -> Void
    ) {
        let packed = GEMMWorkspacePool.take(count: count)
        defer { GEMMWorkspacePool.give(packed) }
        pack(packed.pointer)
        run(packed.pointer)
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
        let workers = min(KernelThreads.limit, max(1, values.count / parallelFloats))
        guard workers > 1 else { return allFiniteSerially(values) }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: workers) { finite in
            ThreadTeam.run(workers) { worker in
                let part = ThreadTeam.share(worker, of: workers, count: values.count)
                finite[worker] = allFiniteSerially(UnsafeBufferPointer(rebasing: values[part]))
            }
            return finite.allSatisfy { $0 }
        }
    }

    private static func allFiniteSerially(_ values: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = values.baseAddress else { return true }
        // Four independent sums, so the loop runs at load speed rather than at one add latency
        // per vector.
        var l0 = SIMD8<Float>(), l1 = SIMD8<Float>(), l2 = SIMD8<Float>(), l3 = SIMD8<Float>()
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 32 <= values.count {
            let offset = i &* MemoryLayout<Float>.stride
            let v0 = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
            let v2 = raw.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self)
            let v3 = raw.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self)
            l0 += v0 - v0  // 0 for finite values, NaN otherwise
            l1 += v1 - v1
            l2 += v2 - v2
            l3 += v3 - v3
            i &+= 32
        }
        var rest: Float = 0
        while i < values.count {
            rest += values[i] - values[i]
            i &+= 1
        }
        return ((l0 + l1) + (l2 + l3)).sum() + rest == 0
    }
}
