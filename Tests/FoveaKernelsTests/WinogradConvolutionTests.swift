import Testing
@testable import FoveaKernels

/// The Winograd F(2×2, 3×3) kernel, in each form this CPU runs (AVX-512 and AVX2), against the
/// reference (summed in `Double`): random 3×3 stride-1 problems with asymmetric padding and odd
/// sizes (tiles overhanging the output), output channels across weight panels, depths across
/// the 256-step block, batches across work items and tile blocks; and its choice by `automatic`.
@Suite struct WinogradConvolutionTests {
    static let probe = Conv2DParameters(batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1,
                                        kernelHeight: 3, kernelWidth: 3)
    /// The instruction sets whose form runs here.
    static let sets = [KernelInstructionSet.avx512, .avx2].filter {
        WinogradConvolution(instructionSet: $0).supports(probe)
    }

    static func check(_ p: Conv2DParameters, _ set: KernelInstructionSet, seed: UInt64, tolerance: Double = 1e-5) {
        var rng = SeededGenerator(seed: seed)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
        let dy = rng.floats(p.outputCount)
        let path = Conv2DKernels.Path.winograd(set)
        #expect(path.algorithm(forward: p, finite: true) == path)
        #expect(path.algorithm(weightGradient: p, finite: true) == path)
        let forward = Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: path)
        #expect(relativeError(forward, ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < tolerance, "\(p)")
        let dx = Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: path)
        #expect(relativeError(dx, ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < tolerance, "\(p)")
        let dw = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: path)
        #expect(relativeError(dw, ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < tolerance, "\(p)")
    }

    @Test(arguments: sets)
    func randomProblemsAgreeWithTheReference(_ set: KernelInstructionSet) {
        var rng = SeededGenerator(seed: 101)
        var checked = 0
        while checked < 60 {
            let p = Conv2DParameters(
                batch: Int.random(in: 1...3, using: &rng), inChannels: Int.random(in: 1...40, using: &rng),
                height: Int.random(in: 1...23, using: &rng), width: Int.random(in: 1...23, using: &rng),
                outChannels: Int.random(in: 1...30, using: &rng), kernelHeight: 3, kernelWidth: 3,
                padTop: Int.random(in: 0...3, using: &rng), padBottom: Int.random(in: 0...3, using: &rng),
                padLeft: Int.random(in: 0...3, using: &rng), padRight: Int.random(in: 0...3, using: &rng))
            guard p.isValid else { continue }
            Self.check(p, set, seed: UInt64(checked))
            checked += 1
        }
    }

    @Test(arguments: sets)
    func deepProblemAcrossDepthBlocksAndItems(_ set: KernelInstructionSet) {
        // 300 input channels: two micro-kernel depth blocks; 25 output channels: weight panels
        // of 12 (or 6) rows, the last partly zero; 3 × 9 × 10 = 270 tiles: three work items of
        // 96 (three 32-tile or six 16-tile panels).
        let p = Conv2DParameters(batch: 3, inChannels: 300, height: 17, width: 19, outChannels: 25,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        let plan = WinogradConvolution.Plan(p, kernel: WinogradConvolution(instructionSet: set))
        #expect(plan.items == 3 && plan.itemTiles == 96 && plan.tiles == 270)
        Self.check(p, set, seed: 3)
    }

    @Test(arguments: sets)
    func weightGradientAcrossTileBlocks(_ set: KernelInstructionSet) {
        // 3 × 25 × 25 = 1875 tiles: two blocks of up to 1024, the second partial (851 tiles,
        // four micro-kernel depth steps of 256 and a rest); 7 output channels: one half-empty
        // 32-column panel; odd sizes: the last tile row and column overhang the output.
        let p = Conv2DParameters(batch: 3, inChannels: 5, height: 49, width: 50, outChannels: 7,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 0, padRight: 2)
        let g = WinogradConvolution.GradientPlan(p, kernel: WinogradConvolution(instructionSet: set))
        #expect(g.blocks == 2 && g.blockTiles == 1024 && g.plan.tiles == 1875)
        Self.check(p, set, seed: 4)
    }

    @Test(arguments: sets)
    func resultsDoNotDependOnThreads(_ set: KernelInstructionSet) {
        let p = Conv2DParameters(batch: 4, inChannels: 48, height: 30, width: 29, outChannels: 40,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        #expect(WinogradConvolution.Plan(p, kernel: WinogradConvolution(instructionSet: set)).items > 3)
        var rng = SeededGenerator(seed: 12)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
        let dy = rng.floats(p.outputCount)
        let saved = KernelThreads.limit
        defer { KernelThreads.limit = saved }
        var results: [[UInt32]] = []
        for threads in [1, 2, 3] {
            KernelThreads.limit = threads
            results.append(Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .winograd(set)).map(\.bitPattern)
                + Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: .winograd(set)).map(\.bitPattern))
        }
        #expect(results.allSatisfy { $0 == results[0] })
    }

    @Test(.enabled(if: WinogradConvolution.preferred != nil))
    func automaticPicksWinogradForWideThreeByThreeLayersOnly() throws {
        let preferred = Conv2DKernels.Path.winograd(try #require(WinogradConvolution.preferred).instructionSet)
        let wide = Conv2DParameters(batch: 1, inChannels: 64, height: 14, width: 14, outChannels: 64,
                                    kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        #expect(Conv2DKernels.Path.automatic.algorithm(forward: wide, finite: true) == preferred)
        #expect(Conv2DKernels.Path.automatic.algorithm(forward: wide, finite: false) == .columns)
        #expect(Conv2DKernels.Path.automatic.algorithm(weightGradient: wide, finite: true) == preferred)
        var small = wide
        (small.height, small.width) = (7, 7)
        #expect(Conv2DKernels.Path.automatic.algorithm(forward: small, finite: true) == preferred)
        #expect(Conv2DKernels.Path.automatic.algorithm(weightGradient: small, finite: true) != preferred)
        var narrow = wide
        narrow.inChannels = 3
        #expect(Conv2DKernels.Path.automatic.algorithm(forward: narrow, finite: true) != preferred)
        var strided = wide
        strided.strideH = 2
        #expect(Conv2DKernels.Path.automatic.algorithm(forward: strided, finite: true) != preferred)
        let kernel = try #require(WinogradConvolution.preferred)
        var dilated = wide
        dilated.dilationW = 2
        #expect(kernel.supports(wide) && !kernel.supports(dilated))
        var fiveByFive = wide
        (fiveByFive.kernelHeight, fiveByFive.kernelWidth) = (5, 5)
        #expect(!kernel.supports(fiveByFive))
        // Indices past 32 bits.
        let huge = Conv2DParameters(batch: 64, inChannels: 512, height: 224, width: 224, outChannels: 64,
                                    kernelHeight: 3, kernelWidth: 3)
        #expect(!kernel.supports(huge))
    }

    @Test func aFormNeedsItsInstructionSet() {
        let wide = Conv2DParameters(batch: 1, inChannels: 64, height: 14, width: 14, outChannels: 64,
                                    kernelHeight: 3, kernelWidth: 3)
        for set in KernelInstructionSet.allCases {
            #expect(WinogradConvolution(instructionSet: set).supports(wide)
                    == (set >= .avx2 && KernelInstructionSet.active >= set))
        }
    }
}
