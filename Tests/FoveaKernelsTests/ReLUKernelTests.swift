import Testing
@testable import FoveaKernels

@Suite struct ReLUKernelTests {
    static let specials: [Float] = [1, -1, 0, -0.0, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                    -.leastNonzeroMagnitude, 3.5, -2]

    @Test(arguments: [0, 1, 3, 4, 5, 12, 13, 31])
    func forwardMatchesTheElementwiseDefinition(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        let x = (0..<count).map { i in i < Self.specials.count ? Self.specials[i] : Float.random(in: -2...2, using: &rng) }
        let expected = x.map { $0 > 0 || $0.isNaN ? $0 : 0 }
        #expect(ReLUKernels.forward(x).map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test(arguments: [0, 1, 3, 4, 5, 12, 13, 31])
    func backwardPassesOnlyWherePositive(count: Int) {
        var rng = SeededGenerator(seed: UInt64(100 + count))
        let x = (0..<count).map { i in i < Self.specials.count ? Self.specials[i] : Float.random(in: -2...2, using: &rng) }
        var dy = rng.floats(count)
        if count > 6 { dy[6] = .nan }  // x = +∞: a NaN upstream value passes unchanged
        if count > 4 { dy[4] = .nan }  // x = NaN: nothing passes
        let expected = zip(x, dy).map { $0 > 0 ? $1 : 0 }
        #expect(ReLUKernels.backward(input: x, gradOutput: dy).map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
