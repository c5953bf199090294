import Testing
@testable import FoveaKernels

/// The SIMD lanes of `MaxPoolPlane` (stride 2 along W, dilation 1, kernel width ≥ 2) against the
/// reference: wide rows so that most windows run on lanes, and borders, ties and NaN on them.
@Suite struct MaxPoolLaneTests {
    /// Outputs equal bit for bit (NaN payloads included) and the same argmax.
    static func expectSame(_ p: Pool2DParameters, _ x: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = Pool2DKernels.maxForward(p, input: x)
        let reference = ReferencePool2D.maxForward(p, input: x)
        #expect(fast.argmax == reference.argmax, "\(p)", sourceLocation: sourceLocation)
        #expect(fast.output.map(\.bitPattern) == reference.output.map(\.bitPattern), "\(p)", sourceLocation: sourceLocation)
    }

    static func randomStrideTwo(_ rng: inout SeededGenerator) -> Pool2DParameters {
        while true {
            let kh = Int.random(in: 1...4, using: &rng), kw = Int.random(in: 2...5, using: &rng)
            let p = Pool2DParameters(
                planes: Int.random(in: 1...3, using: &rng),
                height: Int.random(in: 1...12, using: &rng), width: Int.random(in: 5...41, using: &rng),
                kernelHeight: kh, kernelWidth: kw,
                strideH: Int.random(in: 1...3, using: &rng), strideW: 2,
                dilationH: Int.random(in: 1...2, using: &rng), dilationW: 1,
                padTop: Int.random(in: 0...(kh / 2), using: &rng), padBottom: Int.random(in: 0...(kh / 2), using: &rng),
                padLeft: Int.random(in: 0...(kw / 2), using: &rng), padRight: Int.random(in: 0...(kw / 2), using: &rng),
                ceilMode: Bool.random(using: &rng))
            if p.isValid { return p }
        }
    }

    @Test func laneColumnsAreExactlyTheInteriorWindows() {
        var rng = SeededGenerator(seed: 17)
        for _ in 0..<500 {
            let p = Self.randomStrideTwo(&rng)
            let lanes = MaxPoolPlane.laneColumns(p)
            let interior = (0..<p.outWidth).filter { j in
                let start = j * 2 - p.padLeft
                return start >= 0 && start + p.kernelWidth <= p.width
            }
            if lanes.isEmpty {
                #expect(interior.count < 4, "\(p)")
            } else {
                #expect(Array(lanes) == interior, "\(p)")
            }
        }
    }

    @Test func strideTwoAgreesWithReferenceOnRandomShapes() {
        var rng = SeededGenerator(seed: 2024)
        for _ in 0..<400 {
            let p = Self.randomStrideTwo(&rng)
            Self.expectSame(p, PoolKernelTests.trickyInput(p.inputCount, &rng))
            Self.expectSame(p, rng.floats(p.inputCount))
        }
    }

    @Test func commonShapesAgreeWithReference() {
        var rng = SeededGenerator(seed: 7)
        // 3×3 stride 2 padding 1 (ResNet stem) and 2×2 stride 2 (LeNet), even and odd sizes.
        for size in [4, 5, 8, 9, 10, 11, 14, 15, 28, 29, 56, 57] {
            let stem = Pool2DParameters(planes: 3, height: size, width: size, kernelHeight: 3, kernelWidth: 3,
                                        strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
            let lenet = Pool2DParameters(planes: 3, height: size, width: size, kernelHeight: 2, kernelWidth: 2,
                                         strideH: 2, strideW: 2)
            var ceil = stem
            ceil.ceilMode = true
            for p in [stem, lenet, ceil] {
                Self.expectSame(p, PoolKernelTests.trickyInput(p.inputCount, &rng))
                Self.expectSame(p, rng.floats(p.inputCount))
            }
        }
    }

    @Test func tiesOnLanesGoToTheFirstMaximum() {
        // Every element equal: each window's first in-input tap wins.
        let p = Pool2DParameters(planes: 1, height: 6, width: 20, kernelHeight: 3, kernelWidth: 3,
                                 strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        #expect(!MaxPoolPlane.laneColumns(p).isEmpty)
        Self.expectSame(p, [Float](repeating: 2, count: p.inputCount))
        // Negative and positive zero compare equal: the first one wins, whatever its sign.
        let zeros: [Float] = (0..<p.inputCount).map { $0 % 3 == 0 ? -0.0 : 0.0 }
        Self.expectSame(p, zeros)
        let fast = Pool2DKernels.maxForward(p, input: zeros)
        #expect(fast.argmax[2] == 3 && fast.output[2].sign == .minus)  // window of column 2 starts at x = 3
    }

    @Test func nanOnLanesWinsAndTheLastNaNIsKept() {
        let p = Pool2DParameters(planes: 1, height: 3, width: 17, kernelHeight: 3, kernelWidth: 3,
                                 strideH: 1, strideW: 2)
        var x = [Float](repeating: 1, count: p.inputCount)
        x[0 * 17 + 2] = .nan          // window 0 (and 1): tap (0, 2)
        x[2 * 17 + 0] = -.nan         // window 0: tap (2, 0), later in row-major order
        x[1 * 17 + 6] = 9             // windows 2 and 3
        x[1 * 17 + 9] = .infinity     // window 4
        Self.expectSame(p, x)
        let fast = Pool2DKernels.maxForward(p, input: x)
        #expect(fast.argmax[0] == 2 * 17 && fast.output[0].isNaN)
        #expect(fast.argmax[1] == 2 && fast.output[1].isNaN)
        #expect(fast.argmax[2] == 17 + 6 && fast.argmax[3] == 17 + 6)
        #expect(fast.argmax[4] == 17 + 9 && fast.output[4] == .infinity)
    }

    @Test func resultsDoNotDependOnTheThreadLimit() {
        var rng = SeededGenerator(seed: 3)
        let p = Pool2DParameters(planes: 7, height: 13, width: 31, kernelHeight: 3, kernelWidth: 3,
                                 strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        let x = PoolKernelTests.trickyInput(p.inputCount, &rng)
        let dy = rng.floats(p.outputCount)
        let saved = KernelThreads.limit
        defer { KernelThreads.limit = saved }
        KernelThreads.limit = 1
        let one = Pool2DKernels.maxForward(p, input: x)
        let oneBack = Pool2DKernels.maxBackward(p, gradOutput: dy, argmax: one.argmax)
        KernelThreads.limit = 64
        let many = Pool2DKernels.maxForward(p, input: x)
        let manyBack = Pool2DKernels.maxBackward(p, gradOutput: dy, argmax: many.argmax)
        #expect(one.argmax == many.argmax)
        #expect(one.output.map(\.bitPattern) == many.output.map(\.bitPattern))
        #expect(oneBack.map(\.bitPattern) == manyBack.map(\.bitPattern))
    }

    @Test func backwardAccumulatesOverlapsInOutputOrder() {
        // Overlapping 3×3 stride-2 windows share a maximum; the gradient sums in output order.
        var rng = SeededGenerator(seed: 11)
        let p = Pool2DParameters(planes: 2, height: 9, width: 21, kernelHeight: 3, kernelWidth: 3,
                                 strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)
        let x = PoolKernelTests.trickyInput(p.inputCount, &rng)
        let dy = rng.floats(p.outputCount)
        let (_, argmax) = Pool2DKernels.maxForward(p, input: x)
        var expected = [Float](repeating: 0, count: p.inputCount)
        let (plane, outPlane) = (p.height * p.width, p.outHeight * p.outWidth)
        for o in 0..<p.outputCount where argmax[o] >= 0 { expected[(o / outPlane) * plane + argmax[o]] += dy[o] }
        #expect(Pool2DKernels.maxBackward(p, gradOutput: dy, argmax: argmax).map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(relativeError(Pool2DKernels.maxBackward(p, gradOutput: dy, argmax: argmax),
                              ReferencePool2D.maxBackward(p, input: x, gradOutput: dy)) < 1e-6)
    }
}
