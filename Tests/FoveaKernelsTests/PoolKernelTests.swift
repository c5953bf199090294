import Testing
@testable import FoveaKernels

@Suite struct PoolKernelTests {
    static func randomConfiguration(_ rng: inout SeededGenerator, dilation: Bool) -> Pool2DParameters {
        while true {
            let kh = Int.random(in: 1...4, using: &rng), kw = Int.random(in: 1...4, using: &rng)
            let p = Pool2DParameters(
                planes: Int.random(in: 1...4, using: &rng),
                height: Int.random(in: 1...10, using: &rng), width: Int.random(in: 1...10, using: &rng),
                kernelHeight: kh, kernelWidth: kw,
                strideH: Int.random(in: 1...3, using: &rng), strideW: Int.random(in: 1...3, using: &rng),
                dilationH: dilation ? Int.random(in: 1...3, using: &rng) : 1,
                dilationW: dilation ? Int.random(in: 1...3, using: &rng) : 1,
                padTop: Int.random(in: 0...(kh / 2), using: &rng), padBottom: Int.random(in: 0...(kh / 2), using: &rng),
                padLeft: Int.random(in: 0...(kw / 2), using: &rng), padRight: Int.random(in: 0...(kw / 2), using: &rng),
                ceilMode: Bool.random(using: &rng))
            if p.isValid { return p }
        }
    }

    /// Inputs with many ties (small integers), negative values and occasional NaN or −∞.
    static func trickyInput(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in
            switch Int.random(in: 0..<40, using: &rng) {
            case 0: return .nan
            case 1: return -.infinity
            default: return Float(Int.random(in: -4...2, using: &rng))
            }
        }
    }

    @Test func maxPoolFastAgreesWithReference() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<300 {
            let p = Self.randomConfiguration(&rng, dilation: true)
            let x = Self.trickyInput(p.inputCount, &rng)
            let dy = rng.floats(p.outputCount)
            let fast = Pool2DKernels.maxForward(p, input: x)
            let reference = ReferencePool2D.maxForward(p, input: x)
            #expect(fast.argmax == reference.argmax, "\(p)")
            #expect(zip(fast.output, reference.output).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(p)")
            #expect(relativeError(Pool2DKernels.maxBackward(p, gradOutput: dy, argmax: fast.argmax),
                                  ReferencePool2D.maxBackward(p, input: x, gradOutput: dy)) < 1e-6, "\(p)")
        }
    }

    @Test func averagePoolFastAgreesWithReference() {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let p = Self.randomConfiguration(&rng, dilation: Bool.random(using: &rng))
            let x = rng.floats(p.inputCount), dy = rng.floats(p.outputCount)
            for include in [true, false] {
                #expect(relativeError(Pool2DKernels.averageForward(p, input: x, countIncludePad: include),
                                      ReferencePool2D.averageForward(p, input: x, countIncludePad: include)) < 1e-5, "\(p)")
                #expect(relativeError(Pool2DKernels.averageBackward(p, gradOutput: dy, countIncludePad: include),
                                      ReferencePool2D.averageBackward(p, gradOutput: dy, countIncludePad: include)) < 1e-5, "\(p)")
            }
        }
    }

    @Test func tiesGoToTheFirstMaximumAndPaddingNeverWins() {
        // One 2×2 plane of equal negative values, 3×3 window with padding 1: every window sees all four.
        let p = Pool2DParameters(planes: 1, height: 2, width: 2, kernelHeight: 3, kernelWidth: 3,
                                 strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        for kernels in [Pool2DKernels.maxForward, ReferencePool2D.maxForward] {
            let (output, argmax) = kernels(p, [-3, -3, -3, -3])
            #expect(output == [-3, -3, -3, -3])
            #expect(argmax == [0, 0, 0, 0])
        }
        #expect(Pool2DKernels.maxBackward(p, gradOutput: [1, 2, 3, 4], argmax: [0, 0, 0, 0]) == [10, 0, 0, 0])
    }

    @Test func nanWinsAsMaximumLikePyTorch() {
        // PyTorch's rule `v > max || isnan(v)`: the last NaN of the window wins.
        let p = Pool2DParameters(planes: 1, height: 1, width: 4, kernelHeight: 1, kernelWidth: 4, strideH: 1, strideW: 4)
        let (output, argmax) = Pool2DKernels.maxForward(p, input: [1, .nan, 3, .nan])
        #expect(output[0].isNaN)
        #expect(argmax == [3])
        #expect(ReferencePool2D.maxForward(p, input: [1, .nan, 3, .nan]).argmax == [3])
    }

    @Test func averageDivisorsInCeilModeAndWithoutPadding() {
        // Input 1×5, kernel 2, stride 2, padding 1 each side, ceil mode: windows start at −1, 1, 3 (all
        // kept: 3 < 5 + 1). With count_include_pad every divisor is 2; without, window 0 has one
        // input element.
        let p = Pool2DParameters(planes: 1, height: 1, width: 5, kernelHeight: 1, kernelWidth: 2,
                                 strideH: 1, strideW: 2, padLeft: 1, padRight: 1, ceilMode: true)
        let x: [Float] = [2, 4, 6, 8, 10]
        #expect(p.outWidth == 3)
        #expect(Pool2DKernels.averageForward(p, input: x, countIncludePad: true) == [1, 5, 9])
        #expect(Pool2DKernels.averageForward(p, input: x, countIncludePad: false) == [2, 5, 9])
        // Input 1×4, kernel 3, stride 2, no padding, ceil mode: window 1 covers [2, 4] of which only 2, 3
        // exist and 4 lies beyond input + padding: the divisor is 2 in both modes.
        let q = Pool2DParameters(planes: 1, height: 1, width: 4, kernelHeight: 1, kernelWidth: 3,
                                 strideH: 1, strideW: 2, ceilMode: true)
        #expect(q.outWidth == 2)
        #expect(Pool2DKernels.averageForward(q, input: [3, 6, 9, 12], countIncludePad: true) == [6, 10.5])
        #expect(ReferencePool2D.averageForward(q, input: [3, 6, 9, 12], countIncludePad: true) == [6, 10.5])
    }
}
