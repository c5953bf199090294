import Testing
@testable import FoveaGeometry

/// The test networks with hand-derived answers.
@Suite struct KnownAnswerTests {
    /// `1×1 s4 ‖ pad(1, 0) + 3×3 s2 valid + 1×1 s2` → add, input 8. By hand: the left path is
    /// r 1, S 4, P 0; the right path r 3, S 4, P 1 (centre offset 0 on both), union 3/4/1.
    @Test func parallelPathsMergeAligned() throws {
        let net = try Build.network([8, 8], [
            ("a", Build.conv([1, 1], stride: [4, 4]), ["input"]),
            ("pad", Build.pad(begin: [1, 1], end: [0, 0]), ["input"]),
            ("b1", Build.conv([3, 3], stride: [2, 2], padding: .valid), ["pad"]),
            ("b2", Build.conv([1, 1], stride: [2, 2]), ["b1"]),
            ("add", .add, ["a", "b2"]),
        ])
        let geometry = try NetworkGeometry(net)
        let add = try #require(geometry["add"])
        #expect(add.outputSize == [2, 2])
        for axis in add.axes {
            #expect(axis.affine == AffineReceptiveField(size: 3, stride: 4, padding: 1))
        }
        #expect(add.isAligned)
        #expect(geometry["b2"]?.axes[0].affine == AffineReceptiveField(size: 3, stride: 4, padding: 1))
        #expect(geometry["a"]?.axes[0].affine == AffineReceptiveField(size: 1, stride: 4, padding: 0))
        let merge = try #require(geometry.merge(named: "add"))
        #expect(merge.isAligned)
        #expect(merge.axes[0].centreOffsets == [0, 0])
        #expect(merge.axes[0].strides == [4, 4])
    }

    /// `[3, 5]` s2 then `[3, 1]` s2, valid: height r = 3 + 2·2 = 7, width r = 5 + 0·2 = 5, S = 4, P = 0.
    @Test func nonSquareKernels() throws {
        let net = try Build.chain([32, 32], [
            Build.conv([3, 5], stride: [2, 2], padding: .valid),
            Build.conv([3, 1], stride: [2, 2], padding: .valid),
        ])
        let last = try #require(try NetworkGeometry(net)["l1"])
        #expect(last.axes[0].affine == AffineReceptiveField(size: 7, stride: 4, padding: 0))
        #expect(last.axes[1].affine == AffineReceptiveField(size: 5, stride: 4, padding: 0))
        // Heights 32 → 15 → 7, widths 32 → 14 → 7.
        #expect(last.outputSize == [7, 7])
    }

    /// `1×1 s1 ‖ 3×3 s1 padding (0, 2)` merged by add: centre offsets 0 and 1 → misaligned by 1 px.
    @Test func misalignedMergeIsDiagnosed() throws {
        let net = try Build.network([10, 10], [
            ("left", Build.conv([1, 1]), ["input"]),
            ("right", Build.conv([3, 3], padding: Build.explicit([0, 0], [2, 2])), ["input"]),
            ("sum", .add, ["left", "right"]),
            ("after", .pointwise("relu"), ["sum"]),
        ])
        let geometry = try NetworkGeometry(net)
        let merge = try #require(geometry.merge(named: "sum"))
        #expect(!merge.isAligned)
        #expect(merge.node == "sum")
        #expect(merge.paths == ["left", "right"])
        #expect(merge.axes.map(\.mismatch) == [1, 1])
        #expect(merge.axes.allSatisfy { !$0.hasStrideMismatch })
        #expect(merge.axes[0].centreOffsets == [0, 1])
        #expect(merge.description.contains("'sum'") && merge.description.contains("'left'")
                && merge.description.contains("'right'") && merge.description.contains("1 px"))
        // The union still covers [i, i + 2]: r 3, S 1, P 0.
        let sum = try #require(geometry["sum"])
        #expect(sum.axes[1].affine == AffineReceptiveField(size: 3, stride: 1, padding: 0))
        #expect(!sum.isAligned)
        #expect(geometry["after"]?.flags.contains(.misaligned) == true)
    }
}
