import Testing
@testable import FoveaKernels

/// The direct stride-1 kernels against the column path and the reference, on shapes that cross
/// every block boundary (6-channel row blocks, 16-position tiles, 64-position work items,
/// 256-step depth blocks, 256-position gradient blocks), and their fallbacks.
@Suite struct DirectConvolutionTests {
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

    @Test(.enabled(if: DirectConvolution.supportsForward(Conv2DParameters(
        batch: 1, inChannels: 1, height: 1, width: 1, outChannels: 1, kernelHeight: 1, kernelWidth: 1))))
    func directAgreesWithColumnsAndReference() {
        var rng = SeededGenerator(seed: 77)
        for _ in 0..<60 {
            let p = Self.problem(&rng)
            #expect(DirectConvolution.supportsBackward(p))
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            let dy = rng.floats(p.outputCount)
            let forward = Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .automatic)
            #expect(relativeError(forward, Conv2DKernels.forward(p, input: x, weight: w, bias: b, path: .columns)) < 1e-5, "\(p)")
            #expect(relativeError(forward, ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
            let dx = Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w, path: .automatic)
            #expect(relativeError(dx, ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5, "\(p)")
            let dw = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy, path: .automatic)
            #expect(relativeError(dw, ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5, "\(p)")
        }
    }

    @Test func stridedForwardAgreesWithReference() {
        var rng = SeededGenerator(seed: 78)
        for _ in 0..<60 {
            var p = Self.problem(&rng)
            p.strideH = Int.random(in: 1...3, using: &rng)
            p.strideW = Int.random(in: 1...4, using: &rng)
            guard p.isValid else { continue }
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b),
                                  ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
        }
        // The stem of ResNet at a small size: 7×7, stride 2, padding 3, 3 → 8 channels.
        let stem = Conv2DParameters(batch: 2, inChannels: 3, height: 40, width: 38, outChannels: 8,
                                    kernelHeight: 7, kernelWidth: 7, strideH: 2, strideW: 2,
                                    padTop: 3, padBottom: 3, padLeft: 3, padRight: 3)
        let x = rng.floats(stem.inputCount), w = rng.floats(stem.weightCount)
        #expect(relativeError(Conv2DKernels.forward(stem, input: x, weight: w, bias: nil),
                              ReferenceConv2D.forward(stem, input: x, weight: w, bias: nil)) < 1e-5)
    }

    @Test func deepProblemCrossesDepthBlocks() {
        // 64 channels × 3 × 3 = 576 depth steps: three depth blocks; 30 outputs cross tiles and items.
        let p = Conv2DParameters(batch: 2, inChannels: 64, height: 9, width: 30, outChannels: 13,
                                 kernelHeight: 3, kernelWidth: 3, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        var rng = SeededGenerator(seed: 5)
        let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), dy = rng.floats(p.outputCount)
        #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: nil),
                              ReferenceConv2D.forward(p, input: x, weight: w, bias: nil)) < 1e-5)
        #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w),
                              ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5)
        #expect(relativeError(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy),
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
        // Direct path: stride 1.
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
}
