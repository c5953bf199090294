import Testing
@testable import FoveaGeometry

/// The exact reach (input pixels actually read) against hand derivations.
@Suite struct ReachTests {
    /// A 3-tap convolution with dilation 2 and padding 2 over 10 pixels: unit 1 reads −1, 1, 3,
    /// so its interval is [−1, 3] but it reads only [1, 3]; pixel 0 lies in the interval only
    /// through the padding position −1.
    @Test func dilatedWindowAtTheBorder() throws {
        let net = try Build.chain([10], [Build.conv([3], dilation: [2], padding: .symmetric([2]))])
        let axis = try #require(try NetworkGeometry(net)["l0"]).axes[0]
        #expect(axis.interval(ofUnit: 1) == -1...3)
        #expect(axis.reachedInput(ofUnit: 1) == 1...3)
        #expect(axis.paddedCount(ofUnit: 1) == 1)
        #expect(axis.unreachedCount(ofUnit: 1) == 1)
        #expect(axis.interval(ofUnit: 0) == -2...2)
        #expect(axis.reachedInput(ofUnit: 0) == 0...2)
        #expect(axis.unreachedCount(ofUnit: 0) == 0)
        // Inside, reach and interval coincide; units 0…9 together read everything.
        #expect(axis.reachedInput(ofUnit: 5) == 3...7)
        #expect(axis.reachedInput == 0...9)
        #expect(axis.reachedInput(ofUnits: 8...20) == 6...9)
        #expect(axis.reachedInput(ofUnit: 10) == nil)
    }

    /// Pixels 0…3 and 6…9 reach the sum through two cropped-and-padded paths; units 4 and 5 of the
    /// sum are padding on both paths and read nothing, although their interval is [4, 4] and
    /// [5, 5] by the convention. A 3-tap convolution then reads [3, 3] at unit 4 and [6, 6] at 5.
    @Test func unitsBetweenPathsReadNothing() throws {
        let net = try Build.network([10], [
            ("a.crop", Build.pad(begin: [0], end: [-6]), ["input"]),
            ("a", Build.pad(begin: [0], end: [6]), ["a.crop"]),
            ("b.crop", Build.pad(begin: [-6], end: [0]), ["input"]),
            ("b", Build.pad(begin: [6], end: [0]), ["b.crop"]),
            ("sum", .add, ["a", "b"]),
            ("conv", Build.conv([3], padding: .symmetric([1])), ["sum"]),
        ])
        let geometry = try NetworkGeometry(net)
        let sum = try #require(geometry["sum"]).axes[0]
        #expect(sum.interval(ofUnit: 4) == 4...4)
        #expect(sum.reachedInput(ofUnit: 4) == nil)
        #expect(sum.unreachedCount(ofUnit: 4) == 1)
        #expect(sum.reachedInput(ofUnit: 6) == 6...6)
        let conv = try #require(geometry["conv"]).axes[0]
        #expect(conv.interval(ofUnit: 4) == 3...5)
        #expect(conv.reachedInput(ofUnit: 4) == 3...3)
        #expect(conv.reachedInput(ofUnit: 5) == 6...6)
        #expect(conv.reachedInput(ofUnits: 4...5) == 3...6)
        #expect(conv.unreachedCount(ofUnit: 4) == 2)
    }

    /// A valid 3×3 stride-2 convolution over 9×8 reads rows 0…8 (4 units, the last at 6…8) but
    /// columns 0…6 only (3 units, the last at 4…6). The global pool reads [0, 8] × [0, 6]: it is
    /// partially global, not global; as a gate it is still global context.
    @Test func reductionMissingAColumnIsPartiallyGlobal() throws {
        let net = try Build.network([9, 8], [
            ("conv", Build.conv([3, 3], stride: [2, 2]), ["input"]),
            ("pool", .globalPooling(.average), ["conv"]),
            ("gate", .pointwise("sigmoid"), ["pool"]),
            ("scale", .multiply, ["conv", "gate"]),
            ("flat", .flatten, ["scale"]),
        ])
        let geometry = try NetworkGeometry(net)
        for name in ["pool", "gate"] {
            let tensor = try #require(geometry[name])
            #expect(tensor.flags.contains(.partiallyGlobal) && !tensor.flags.contains(.global))
            #expect(tensor.axes.map(\.receptiveField) == [9, 7])
            #expect(tensor.axes.map(\.effectiveStride) == [0, 0])
            #expect(tensor.axes.map { $0.interval(ofUnit: 0) } == [0...8, 0...6])
            #expect(tensor.axes.map { $0.reachedInput(ofUnit: 0) } == [0...8, 0...6])
        }
        let scale = try #require(geometry["scale"])
        #expect(scale.flags == [.globalContext])
        #expect(geometry.merge(named: "scale")?.contextInputs == ["gate"])
        let flat = try #require(geometry["flat"])
        #expect(flat.flags == [.globalContext, .partiallyGlobal])
        #expect(flat.axes.map { $0.reachedInput } == [0...8, 0...6])
    }

    /// Two reductions that each miss a border, merged: the sum reads both borders, so it is global.
    @Test func mergedReductionsAreGlobalWhenTogetherTheyReadEverything() throws {
        let net = try Build.network([8], [
            ("head", Build.pad(begin: [0], end: [-1]), ["input"]),
            ("tail", Build.pad(begin: [-1], end: [0]), ["input"]),
            ("headPool", .globalPooling(.max), ["head"]),
            ("tailPool", .globalPooling(.max), ["tail"]),
            ("sum", .add, ["headPool", "tailPool"]),
        ])
        let geometry = try NetworkGeometry(net)
        #expect(geometry["headPool"]?.flags == [.partiallyGlobal])
        #expect(geometry["headPool"]?.axes[0].reachedInput == 0...6)
        #expect(geometry["tailPool"]?.axes[0].reachedInput == 1...7)
        let sum = try #require(geometry["sum"])
        #expect(sum.flags.contains(.global) && !sum.flags.contains(.partiallyGlobal))
        #expect(sum.axes[0].interval(ofUnit: 0) == 0...7)
    }

    /// Fifty million pixels, two same convolutions, three million units of padding, another
    /// same convolution: the analysis tabulates only a few units near the borders. The last unit
    /// of the stack reads [N − 3, N − 1] of its interval [N − 3, N + 1]; after the padding, unit
    /// 2 999 999 of the last convolution reads stack unit 0, i.e. pixels [0, 2].
    @Test func longAxesTabulateOnlyTheBorders() throws {
        let n = 50_000_000, shift = 3_000_000
        let same = Build.conv([3], padding: .symmetric([1]))
        let net = try Build.chain([n], [same, same, Build.pad(begin: [shift], end: [0]), same])
        let geometry = try NetworkGeometry(net)
        let stack = try #require(geometry["l1"]).axes[0]
        #expect(stack.interval(ofUnit: n - 1) == (n - 3)...(n + 1))
        #expect(stack.reachedInput(ofUnit: n - 1) == (n - 3)...(n - 1))
        #expect(stack.reachedInput(ofUnit: n / 2) == stack.interval(ofUnit: n / 2))
        let last = try #require(geometry["l3"]).axes[0]
        #expect(last.reachedInput(ofUnit: 0) == nil)
        #expect(last.reachedInput(ofUnit: shift - 2) == nil)
        #expect(last.reachedInput(ofUnit: shift - 1) == 0...2)
        #expect(last.interval(ofUnit: shift - 1) == -4...2)
        #expect(last.reachedInput == 0...(n - 1))
        for tensor in geometry.tensors {
            #expect(tensor.axes[0].reach.lo.count <= 8, "\(tensor.name)")
        }
    }
}
