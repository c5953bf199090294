import Testing
@testable import FoveaKernels

@Suite struct ConvKernelTests {
    /// A random valid configuration: small sizes, per-axis stride/dilation, asymmetric padding, groups.
    static func randomConfiguration(_ rng: inout SeededGenerator) -> Conv2DParameters {
        while true {
            let groups = [1, 1, 2, 3].randomElement(using: &rng)!
            var p = Conv2DParameters(
                batch: Int.random(in: 1...3, using: &rng),
                inChannels: groups * Int.random(in: 1...3, using: &rng),
                height: Int.random(in: 1...9, using: &rng), width: Int.random(in: 1...9, using: &rng),
                outChannels: groups * Int.random(in: 1...3, using: &rng),
                kernelHeight: Int.random(in: 1...4, using: &rng), kernelWidth: Int.random(in: 1...4, using: &rng),
                strideH: Int.random(in: 1...3, using: &rng), strideW: Int.random(in: 1...3, using: &rng),
                dilationH: Int.random(in: 1...3, using: &rng), dilationW: Int.random(in: 1...3, using: &rng),
                padTop: Int.random(in: 0...3, using: &rng), padBottom: Int.random(in: 0...3, using: &rng),
                padLeft: Int.random(in: 0...3, using: &rng), padRight: Int.random(in: 0...3, using: &rng))
            p.groups = groups
            if p.isValid { return p }
        }
    }

    @Test func fastAgreesWithReferenceOnRandomConfigurations() {
        var rng = SeededGenerator(seed: 2024)
        for _ in 0..<150 {
            let p = Self.randomConfiguration(&rng)
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), b = rng.floats(p.outChannels)
            let dy = rng.floats(p.outputCount)
            #expect(relativeError(Conv2DKernels.forward(p, input: x, weight: w, bias: b),
                                  ReferenceConv2D.forward(p, input: x, weight: w, bias: b)) < 1e-5, "\(p)")
            #expect(relativeError(Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w),
                                  ReferenceConv2D.backwardInput(p, gradOutput: dy, weight: w)) < 1e-5, "\(p)")
            #expect(relativeError(Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy),
                                  ReferenceConv2D.backwardWeight(p, input: x, gradOutput: dy)) < 1e-5, "\(p)")
            #expect(relativeError(Conv2DKernels.backwardBias(p, gradOutput: dy),
                                  ReferenceConv2D.backwardBias(p, gradOutput: dy)) < 1e-5, "\(p)")
        }
    }

    /// The backward-input kernel is the adjoint of the forward map: ⟨conv(x), dy⟩ = ⟨x, convᵀ(dy)⟩,
    /// and the weight gradient satisfies ⟨conv_w(x), dy⟩ = ⟨w, ∂w⟩ (the map is linear in w).
    @Test func backwardKernelsAreAdjointsOfTheForwardMap() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<40 {
            let p = Self.randomConfiguration(&rng)
            let x = rng.floats(p.inputCount), w = rng.floats(p.weightCount), dy = rng.floats(p.outputCount)
            let y = Conv2DKernels.forward(p, input: x, weight: w, bias: nil)
            let lhs = zip(y, dy).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let dx = Conv2DKernels.backwardInput(p, gradOutput: dy, weight: w)
            let dw = Conv2DKernels.backwardWeight(p, input: x, gradOutput: dy)
            let viaInput = zip(x, dx).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let viaWeight = zip(w, dw).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(lhs - viaInput) <= 1e-4 * max(1, abs(lhs)), "\(p)")
            #expect(abs(lhs - viaWeight) <= 1e-4 * max(1, abs(lhs)), "\(p)")
        }
    }

    @Test func handComputedStridedConvolution() {
        // 1×1×4×4 input 1…16, 2×2 kernel [[1, 0], [0, -1]], stride 2: out = x[i,j] − x[i+1,j+1].
        let p = Conv2DParameters(batch: 1, inChannels: 1, height: 4, width: 4, outChannels: 1,
                                 kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2)
        let x = (1...16).map(Float.init)
        let w: [Float] = [1, 0, 0, -1]
        #expect(Conv2DKernels.forward(p, input: x, weight: w, bias: [0.5]) == [-4.5, -4.5, -4.5, -4.5])
        // ∂E/∂out = [1, 2, 3, 4] scatters w into each 2×2 block.
        let dx = Conv2DKernels.backwardInput(p, gradOutput: [1, 2, 3, 4], weight: w)
        #expect(dx == [1, 0, 2, 0, 0, -1, 0, -2, 3, 0, 4, 0, 0, -3, 0, -4])
        #expect(Conv2DKernels.backwardBias(p, gradOutput: [1, 2, 3, 4]) == [10])
        // ∂E/∂w[u,v] = Σ dy[i,j] · x[2i+u, 2j+v]; e.g. ∂E/∂w[0,0] = 1·1 + 2·3 + 3·9 + 4·11 = 78.
        let dw = Conv2DKernels.backwardWeight(p, input: x, gradOutput: [1, 2, 3, 4])
        #expect(dw == [78, 88, 118, 128])
    }

    @Test func outputSizeFollowsTheFloorAndCeilRules() {
        // floor((7 + 2 − 3) / 2) + 1 = 4.
        #expect(SlidingWindowMath.outputSize(input: 7, kernel: 3, stride: 2, dilation: 1, padBegin: 1, padEnd: 1, ceilMode: false) == 4)
        // Dilation 2 makes the kernel 5: floor((7 − 5) / 1) + 1 = 3.
        #expect(SlidingWindowMath.outputSize(input: 7, kernel: 3, stride: 1, dilation: 2, padBegin: 0, padEnd: 0, ceilMode: false) == 3)
        // ceil((5 − 2) / 2) + 1 = 3; the third window starts at 4 < 5, so it is kept.
        #expect(SlidingWindowMath.outputSize(input: 5, kernel: 2, stride: 2, dilation: 1, padBegin: 0, padEnd: 0, ceilMode: true) == 3)
        // ceil((4 + 2 − 2) / 3) + 1 = 3, but window 2 would start at 6 ≥ 4 + 1 (in the end padding): dropped.
        #expect(SlidingWindowMath.outputSize(input: 4, kernel: 2, stride: 3, dilation: 1, padBegin: 1, padEnd: 1, ceilMode: true) == 2)
        // Kernel larger than the padded input.
        #expect(SlidingWindowMath.outputSize(input: 2, kernel: 5, stride: 1, dilation: 1, padBegin: 1, padEnd: 1, ceilMode: false) == 0)
    }
}
