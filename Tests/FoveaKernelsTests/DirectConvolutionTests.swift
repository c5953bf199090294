import Testing
@testable import FoveaKernels

/// The direct kernels (row tiles on AVX-512F and AVX2, channel vectors, the AVX2 kernel) against the
/// column path and the reference, on shapes that cross every block boundary (6- and 8-channel
/// row blocks, 16- and 64-lane channel blocks, 16- and 48-position tiles, 64- and 96-position
/// work items, 256-step depth blocks, 128- and 256-position gradient blocks), and their fallbacks.
@Suite struct DirectConvolutionTests {
    /// A random valid stride-1 problem.
    static func problem(_ rng: inout SeededGenerator) -> Conv2DParameters {
        while true {
            let p = Conv2DParameters(
                batch: Int.random(in: 1...3, using: &rng), inChannels: Int.random(in: 1...40, using: &rng),
                height: Int.random(in: 1...23, using: &rng), width: Int.random(in: 1...23, using: &rng),
                outChannels: Int.random(in: 1...20, using: &rng),
                kernelHeight: Int.random(in: 1...5, using: &rng), kernelWidth: Int.random(in: 1...5, using: &rng),
                dilationH: Int.random(in: 1...2, using: &rng), dilationW: Int.random(in: 1...2, using: &rng),
                padTop: Int.random(in: 0...3, using: &rng), padBottom: Int.random(in: 0...3, using: &rng),
                padLeft: Int.random(in: 0...3, using: &rng), padRight: Int.random(in: 0...3, using: &rng))
            if p.isValid { return p }
        }
    }

    /// A 1×1 problem, to ask whether a path applies on this machine at all.
    static let probe = Conv2DParameters(batch: 1, inChannels: 1, height: 1, width: 1, outChannels: 1,
                                        kernelHeight: 1, kernelWidth: 1)

    /// Forward pass and gradients of random stride-1 problems along `path`, against the column
    /// path and the reference.
    static func checkStrideOne(_ path: Conv2DKernels.Path, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<60 {
            let p = Self.problem(&rng)
            #expect(path.algorithm(forward: p, finite: true) == path)
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            let dy = rng.floats(p.outputCount)
            let forward = Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: path)
            #expect(relativeError(forward, Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .columns)) < 1e-5, "\(p)")
            #expect(relativeError(forward, ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
            let dx = Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: path)
            #expect(relativeError(dx, ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5, "\(p)")
            let dw = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: path)
            #expect(relativeError(dw, ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5, "\(p)")
        }
    }

    /// Forward passes at random strides along `path`, and a small ResNet stem, against the reference.
    static func checkStrided(_ path: Conv2DKernels.Path, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<60 {
            var p = Self.problem(&rng)
            p.strideH = Int.random(in: 1...3, using: &rng)
            p.strideW = Int.random(in: 1...4, using: &rng)
            guard p.isValid else { continue }
            #expect(path.algorithm(forward: p, finite: true) == path)
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: path),
                                  ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
        }
        // The stem of ResNet at a small size: 7×7, stride 2, padding 3, 3 → 8 channels.
        let stem = Conv2DParameters(batch: 2, inChannels: 3, height: 40, width: 38, outChannels: 8,
                                    kernelHeight: 7, kernelWidth: 7, strideH: 2, strideW: 2,
                                    padTop: 3, padBottom: 3, padLeft: 3, padRight: 3)
        let x = rng.floats(stem.inputCount), w = rng.floats(stem.weightCount)
        #expect(relativeError(Conv2DKernels.forward(stem, input: x, weight: w, bias: nil, path: path),
                              ReferenceConv2D.forward(stem, input: x, weight: w, bias: nil)) < 1e-5)
    }

    @Test(.enabled(if: DirectConvolution.supportsForward(probe)))
    func directAgreesWithColumnsAndReference() {
        Self.checkStrideOne(.direct, seed: 77)
    }

    @Test(.enabled(if: ChannelVectorConvolution.supportsForward(probe)))
    func channelVectorsAgreeWithColumnsAndReference() {
        Self.checkStrideOne(.channelVectors, seed: 79)
    }

    static let wideRows = RowTileConvolution(instructionSet: .avx512)
    static let narrowRows = RowTileConvolution(instructionSet: .avx2)

    @Test(.enabled(if: wideRows.supports(probe)))
    func avx512RowTilesAgreeWithColumnsAndReference() {
        Self.checkStrideOne(.rowTiles(.avx512), seed: 81)
    }

    @Test(.enabled(if: narrowRows.supports(probe)))
    func avx2RowTilesAgreeWithColumnsAndReference() {
        Self.checkStrideOne(.rowTiles(.avx2), seed: 82)
    }

    @Test func automaticPathPrefersRowTilesForShallowOrNarrowProblems() {
        let automatic = Conv2DKernels.Path.automatic
        // LeNet's first layer: depth 25.
        let lenet = Conv2DParameters(batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 32,
                                     kernelHeight: 5, kernelWidth: 5)
        // The input gradient of LeNet-5's second layer (6 → 16, 5×5 on 14²) as a forward
        // problem: depth 400 but 6 output channels, 6/8 of a row tile and 6/16 of a vector.
        let narrow = DirectConvolution.transposedProblem(Conv2DParameters(
            batch: 64, inChannels: 6, height: 14, width: 14, outChannels: 16, kernelHeight: 5, kernelWidth: 5))!
        // A ResNet 3×3 layer: 128 channels fill the vectors, 28-wide rows fill 28/32 lanes.
        let wide = Conv2DParameters(batch: 32, inChannels: 128, height: 28, width: 28, outChannels: 128,
                                    kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        // The ResNet stem: strided, so the AVX2 direct kernel unless full-width AVX-512 FMAs
        // make the channel vectors faster.
        let stem = Conv2DParameters(batch: 32, inChannels: 3, height: 224, width: 224, outChannels: 64,
                                    kernelHeight: 7, kernelWidth: 7, strideH: 2, strideW: 2,
                                    padTop: 3, padBottom: 3, padLeft: 3, padRight: 3)
        if KernelInstructionSet.active == .avx512 && !KernelInstructionSet.avx512SplitsFMA {
            #expect(automatic.algorithm(forward: stem, finite: true) == .channelVectors)
        } else if KernelInstructionSet.active >= .avx2 {
            #expect(automatic.algorithm(forward: stem, finite: true) == .direct)
        }
        switch KernelInstructionSet.active {
        case .avx512:
            #expect(automatic.algorithm(forward: lenet, finite: true) == .rowTiles(.avx512))
            #expect(automatic.algorithm(forward: narrow, finite: true) == .rowTiles(.avx512))
            // 3×3 stride-1 layers this wide run Winograd, in AVX2 form where 512-bit FMAs split.
            #expect(automatic.algorithm(forward: wide, finite: true)
                    == .winograd(KernelInstructionSet.avx512SplitsFMA ? .avx2 : .avx512))
        case .avx2:
            // AVX2 row tiles take only shallow problems; the rest run the direct kernel, but for
            // wide 3×3 stride-1 layers, which run Winograd.
            #expect(automatic.algorithm(forward: lenet, finite: true) == .rowTiles(.avx2))
            #expect(automatic.algorithm(forward: narrow, finite: true) == .direct)
            #expect(automatic.algorithm(forward: wide, finite: true) == .winograd(.avx2))
        case .portable:
            #expect(automatic.algorithm(forward: lenet, finite: true) == .columns)
        }
        #expect(automatic.algorithm(forward: wide, finite: false) == .columns)
    }

    /// The row-tile instruction sets this CPU has.
    static let rowTileSets = [KernelInstructionSet.avx512, .avx2].filter { $0 <= KernelInstructionSet.available }

    @Test(arguments: rowTileSets)
    func rowTilesCoverWholePlanesAsOneRow(_ set: KernelInstructionSet) {
        // Input rows as wide as output rows (1×1, or 3×1 with vertical padding only): each plane
        // is one row of 37·20 = 740 positions, tiles of up to 48 (24 on AVX2); 11 output channels
        // cross an 8-channel (4-channel) block.
        var rng = SeededGenerator(seed: 7)
        for kernelHeight in [1, 3] {
            let p = Conv2DParameters(batch: 2, inChannels: 5, height: 20, width: 37, outChannels: 11,
                                     kernelHeight: kernelHeight, kernelWidth: 1,
                                     padTop: kernelHeight / 2, padBottom: kernelHeight / 2)
            #expect(RowTileConvolution(instructionSet: set).prefers(p))
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            let dy = rng.floats(p.outputCount)
            #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .rowTiles(set)),
                                  ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5)
            #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: .rowTiles(set)),
                                  ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5)
        }
    }

    @Test(.enabled(if: narrowRows.supports(probe)))
    func avx2RowTilesOfEveryWidthAreExact() {
        // Widths 1...30: masked tiles below 8, overlapping last vectors above (a recomputed
        // position must equal its first computation bit for bit, so the result matches the
        // reference whichever store lands last).
        var rng = SeededGenerator(seed: 8)
        for width in 1...30 {
            let p = Conv2DParameters(batch: 1, inChannels: 2, height: 3, width: width + 2, outChannels: 5,
                                     kernelHeight: 3, kernelWidth: 3)
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .rowTiles(.avx2)),
                                  ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "width \(width)")
        }
    }

    @Test(.enabled(if: DirectConvolution.supportsForward(probe)))
    func stridedDirectForwardAgreesWithReference() {
        Self.checkStrided(.direct, seed: 78)
    }

    @Test(.enabled(if: ChannelVectorConvolution.supportsForward(probe)))
    func stridedChannelVectorForwardAgreesWithReference() {
        Self.checkStrided(.channelVectors, seed: 80)
    }

    @Test(.enabled(if: ChannelVectorConvolution.supportsForward(probe)))
    func channelVectorsCrossChannelBlocks() {
        // 70 output and 70 input channels: a full 64-lane block and one of 6 lanes (rounded to
        // 16), forward and in the transposed problem of the input gradient; 17×13 = 221
        // positions cross the 96-position work items.
        let p = Conv2DParameters(batch: 2, inChannels: 70, height: 17, width: 13, outChannels: 70,
                                 kernelHeight: 3, kernelWidth: 2, dilationH: 2,
                                 padTop: 2, padBottom: 1, padLeft: 1, padRight: 0)
        Self.checkChannelVectors(p, seed: 6, weightGradient: true)
    }

    /// The forward pass and input gradient of `p` (and its weight gradient when asked) in
    /// channel vectors against the reference, on seeded random data.
    static func checkChannelVectors(_ p: Conv2DParameters, seed: UInt64, weightGradient: Bool) {
        var rng = SeededGenerator(seed: seed)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
        let dy = rng.floats(p.outputCount)
        #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .channelVectors),
                              ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
        #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: .channelVectors),
                              ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5, "\(p)")
        if weightGradient {
            #expect(relativeError(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: .channelVectors),
                                  ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5, "\(p)")
        }
    }

    @Test(.enabled(if: ChannelVectorConvolution.supportsBackward(probe)), arguments: [1, 3])
    func channelVectorThreeByThreeTiles(batch: Int) {
        // 3×3 kernels with a full 64-lane block run the unrolled tile (forward, and with 66 input
        // channels the input gradient too); a column dilation of 2 runs the general tile. One
        // image: the workers of a call pad their own copies of the same image; three: they
        // split the images.
        for dilationW in [1, 2] {
            let p = Conv2DParameters(batch: batch, inChannels: 66, height: 9, width: 11, outChannels: 80,
                                     kernelHeight: 3, kernelWidth: 3, dilationW: dilationW,
                                     padTop: 1, padBottom: 1, padLeft: dilationW, padRight: dilationW)
            Self.checkChannelVectors(p, seed: 11, weightGradient: false)
        }
    }

    @Test(.enabled(if: ChannelVectorConvolution.supportsBackward(probe)))
    func channelVectorWeightGradientSpansPositionBlocks() {
        // 36 × 37 = 1332 output positions: more than one block of whole rows
        // (`positionBlock` / 37 rows), so partial sums carry from block to block; 20 output
        // channels leave 12 lanes of the transposed output gradient zero.
        let p = Conv2DParameters(batch: 2, inChannels: 3, height: 36, width: 37, outChannels: 20,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        #expect(p.outHeight * p.outWidth > ChannelVectorConvolution.positionBlock)
        var rng = SeededGenerator(seed: 8)
        let x = rng.floats(p.inputCount), dy = rng.floats(p.outputCount)
        #expect(relativeError(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: .channelVectors),
                              ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5)
    }

    @Test(arguments: Conv2DKernels.Path.all)
    func deepProblemCrossesDepthBlocks(_ path: Conv2DKernels.Path) {
        // 64 channels × 3 × 3 = 576 depth steps: three depth blocks; 30 outputs cross tiles and
        // items. A path this machine lacks runs the column path.
        let p = Conv2DParameters(batch: 2, inChannels: 64, height: 9, width: 30, outChannels: 13,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        var rng = SeededGenerator(seed: 5)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), dy = rng.floats(p.outputCount)
        #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: nil, path: path),
                              ReferenceConv2D.forward(p, input: x, weight: w, bias: nil)) < 1e-5)
        #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: path),
                              ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5)
        #expect(relativeError(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: path),
                              ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5)
    }

    @Test func paddingWiderThanTheKernelUsesTheColumnPathForTheInputGradient() {
        // Padding 3 > kernel extent 2: the transposed problem would need negative padding.
        let p = Conv2DParameters(batch: 1, inChannels: 2, height: 5, width: 5, outChannels: 3,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 3, padBottom: 0, padLeft: 0, padRight: 3)
        #expect(DirectConvolution.transposedProblem(p) == nil)
        var rng = SeededGenerator(seed: 9)
        let w = rng.floats(p.weightCount), dy = rng.floats(p.outputCount)
        #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w),
                              ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5)
    }

    @Test func nonFiniteOperandsGiveTheColumnPathsResult() {
        // An infinity that only discarded positions of the direct kernels would multiply by zero.
        let p = Conv2DParameters(batch: 1, inChannels: 1, height: 4, width: 4, outChannels: 1,
                                 kernelHeight: 3, kernelWidth: 3)
        var x = [Float](repeating: 1, count: 16)
        x[4] = .infinity  // row 1, column 0: never under the kernel's last column
        let dy = [Float](repeating: 1, count: p.outputCount)
        let fast = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy)
        let columns = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: .columns)
        #expect(fast.map(\.bitPattern) == columns.map(\.bitPattern))
        #expect(fast[2].isFinite && fast[0] == .infinity)
    }
}

/// Results must not depend on the number of threads: every kernel splits its work into pieces
/// fixed by the problem alone and sums them in a fixed order.
@Suite(.serialized) struct ThreadIndependenceTests {
    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test(arguments: [
        // Direct paths (channel vectors on AVX-512F, else the AVX2 kernels): stride 1.
        Conv2DParameters(batch: 5, inChannels: 16, height: 20, width: 21, outChannels: 24,
                         kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1),
        // Column path: stride 2, groups 2.
        Conv2DParameters(batch: 11, inChannels: 16, height: 30, width: 30, outChannels: 32,
                         kernelHeight: 3, kernelWidth: 3, strideH: 2, strideW: 2, padTop: 1, padBottom: 1,
                         padLeft: 1, padRight: 1, groups: 2),
    ])
    func convolutionIsBitwiseTheSameOnAnyThreadCount(_ p: Conv2DParameters) {
        var rng = SeededGenerator(seed: 31)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
        let dy = rng.floats(p.outputCount)
        let saved = KernelThreads.limit
        defer { KernelThreads.limit = saved }
        var results: [[[UInt32]]] = []
        for threads in [1, 2, 3, 5] {
            KernelThreads.limit = threads
            results.append([
                Self.bits(Conv2DKernels.forward(p, input: x, weight: w, bias: b)),
                Self.bits(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w)),
                Self.bits(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy)),
            ])
        }
        for r in results.dropFirst() {
            #expect(r == results[0])
        }
    }

    /// The bias gradient and the finiteness check split large arrays over threads (above
    /// `Conv2DKernels.parallelFloats` per worker); neither result may depend on the split.
    @Test func memoryBoundPassesDoNotDependOnTheThreadCount() {
        let p = Conv2DParameters(batch: 3, inChannels: 1, height: 100, width: 90, outChannels: 70,
                                 kernelHeight: 1, kernelWidth: 1)
        var rng = SeededGenerator(seed: 12)
        var dy = rng.floats(p.outputCount)
        #expect(dy.count > 3 * Conv2DKernels.parallelFloats)
        let saved = KernelThreads.limit
        defer { KernelThreads.limit = saved }
        var sums: [[UInt32]] = []
        for threads in [1, 2, 3] {
            KernelThreads.limit = threads
            sums.append(Self.bits(Conv2DKernels.backwardBias(p, gradOutput: dy)))
            for (index, bad) in [(0, Float.nan), (dy.count / 2, .infinity), (dy.count - 1, -.infinity)] {
                let kept = dy[index]
                dy[index] = bad
                #expect(!dy.withUnsafeBufferPointer(Conv2DKernels.allFinite), "\(bad) at \(index), \(threads) threads")
                dy[index] = kept
            }
            #expect(dy.withUnsafeBufferPointer(Conv2DKernels.allFinite))
        }
        #expect(sums[1] == sums[0] && sums[2] == sums[0])
        #expect(relativeError(Conv2DKernels.backwardBias(p, gradOutput: dy), ReferenceConv2D.backwardBias(p, gradOutput: dy)) < 1e-5)
    }
}
