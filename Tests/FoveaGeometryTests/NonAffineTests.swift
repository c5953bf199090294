import Testing
@testable import FoveaGeometry

/// Exact per-unit intervals of non-affine layers (values derived by hand from each layer's
/// definition; they equal the gradient support PyTorch gives for the same layers).
@Suite struct NonAffineTests {
    private func intervals(_ tensor: TensorGeometry?, axis: Int = 0) throws -> [ClosedRange<Int>?] {
        let axisGeometry = try #require(tensor).axes[axis]
        return (0..<axisGeometry.outputSize).map { axisGeometry.interval(ofUnit: $0) }
    }

    @Test func transposedConvolutionIntervals() throws {
        // k3 s2 p1 op1 on 4: input i writes to 2i − 1 … 2i + 1.
        let net = try Build.chain([4], [.transposedConvolution(
            TransposedConvolution(kernel: [3], stride: [2], padBegin: [1], outputPadding: [1]))])
        let t = try #require(try NetworkGeometry(net)["l0"])
        #expect(try intervals(t) == [0...0, 0...1, 1...1, 1...2, 2...2, 2...3, 3...3, 3...3])
        #expect(!t.axes[0].isAffine)
        #expect(t.flags.contains(.nonAffine))
        #expect(t.axes[0].receptiveField == 2)
        #expect(t.axes[0].effectiveStride == 3.0 / 7.0)
        #expect(t.axes[0].effectivePadding == 0)
    }

    @Test func transposedUnitsNoInputReachesSeeNothing() throws {
        // k1 s2 on 3 → 5 units; odd units receive nothing.
        let net = try Build.chain([3], [.transposedConvolution(TransposedConvolution(kernel: [1], stride: [2]))])
        let t = try NetworkGeometry(net)["l0"]
        #expect(try intervals(t) == [0...0, nil, 1...1, nil, 2...2])
        #expect(t?.axes[0].paddedCount(ofUnit: 1) == 0)
        #expect(t?.axes[0].centre(ofUnit: 1) == nil)
    }

    @Test func resizeIntervals() throws {
        func network(_ mode: Resize.Mode, _ transform: Resize.CoordinateTransform, _ target: Resize.Target,
                     input: Int) throws -> TensorGeometry? {
            try NetworkGeometry(Build.chain([input], [.resize(Resize(mode: mode, coordinateTransform: transform,
                                                                     target: target))]))["l0"]
        }
        // PyTorch nearest ×2: unit j reads floor(j/2).
        #expect(try intervals(network(.nearest(.floor), .asymmetric, .scales([2]), input: 3))
                == [0...0, 0...0, 1...1, 1...1, 2...2, 2...2])
        // PyTorch linear ×2, align_corners=False: x = j/2 − 0.25, neighbours clamped.
        #expect(try intervals(network(.linear, .pytorchHalfPixel, .scales([2]), input: 4))
                == [0...0, 0...1, 0...1, 1...2, 1...2, 2...3, 2...3, 3...3])
        // Bicubic ×2: four neighbours around x, clamped to the input.
        #expect(try intervals(network(.cubic, .halfPixel, .scales([2]), input: 4))
                == [0...1, 0...2, 0...2, 0...3, 0...3, 1...3, 1...3, 2...3])
        // Nearest to size 3 from 5: x = j·5/3 → 0, 1, 3.
        #expect(try intervals(network(.nearest(.floor), .asymmetric, .sizes([3]), input: 5)) == [0...0, 1...1, 3...3])
        // Nearest ×0.5 on 7 reads units 0, 2, 4: exactly affine again (r 1, S 2, P 0).
        let down = try #require(try network(.nearest(.floor), .asymmetric, .scales([0.5]), input: 7))
        #expect(down.axes[0].affine == AffineReceptiveField(size: 1, stride: 2, padding: 0))
        #expect(!down.flags.contains(.nonAffine))
        // ONNX round_prefer_ceil with half_pixel, ×2 on 2: x = j/2 − 0.25 → −0.25, 0.25, 0.75, 1.25 → 0, 0, 1, 1.
        #expect(try intervals(network(.nearest(.roundPreferCeil), .halfPixel, .scales([2]), input: 2))
                == [0...0, 0...0, 1...1, 1...1])
        // align_corners to 5 from 3: x = j/2 → 0, 0.5, 1, 1.5, 2 (linear reads both neighbours).
        #expect(try intervals(network(.linear, .alignCorners, .sizes([5]), input: 3))
                == [0...0, 0...1, 1...1, 1...2, 2...2])
    }

    @Test func adaptivePoolingIntervals() throws {
        let net = try Build.chain([10, 12], [.adaptivePooling(AdaptivePooling(kind: .average, outputSize: [4, 4]))])
        let t = try #require(try NetworkGeometry(net)["l0"])
        // [floor(j·10/4), ceil((j+1)·10/4) − 1]
        #expect(try intervals(t, axis: 0) == [0...2, 2...4, 5...7, 7...9])
        #expect(!t.axes[0].isAffine)
        // 12 → 4 is a 3-wide, stride-3 window: collapsed to affine.
        #expect(t.axes[1].affine == AffineReceptiveField(size: 3, stride: 3, padding: 0))
    }

    @Test func negativeStepSliceIsTabulated() throws {
        let net = try Build.chain([10], [.slice(Slice(start: [-1], end: [Int.min], step: [-2]))])
        let t = try NetworkGeometry(net)["l0"]
        #expect(try intervals(t) == [9...9, 7...7, 5...5, 3...3, 1...1])
        #expect(t?.axes[0].isAffine == false)
        #expect(t?.axes[0].effectiveStride == -2)
    }

    /// Units outside a table's grid are extrapolated with the mean start spacing, rounded outward.
    @Test func paddingAfterTableExtrapolates() throws {
        // Nearest ×2 on 4: starts 0,0,1,1,2,2,3,3, mean spacing 3/7. A 3-tap conv with padding 1
        // reads unit −1 → shift floor(−3/7) = −1 → [−1, −1], and unit 8 → shift ceil(3/7) = 1 → [4, 4].
        let net = try Build.chain([4], [
            .resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([2]))),
            Build.conv([3], padding: .symmetric([1])),
        ])
        let t = try #require(try NetworkGeometry(net)["l1"])
        #expect(try intervals(t) == [-1...0, 0...1, 0...1, 1...2, 1...2, 2...3, 2...3, 3...4])
        #expect(t.axes[0].paddedCount(ofUnit: 0) == 1)
        #expect(t.axes[0].paddedCount(ofUnit: 7) == 1)
        #expect(t.axes[0].paddedCount(ofUnit: 3) == 0)
    }

    @Test func tableThatIsAffineCollapses() throws {
        // Transposed k2 s2 then conv k2 s2: unit j reads transposed units 2j, 2j + 1, both from input j.
        let net = try Build.chain([6], [
            .transposedConvolution(TransposedConvolution(kernel: [2], stride: [2])),
            Build.conv([2], stride: [2]),
        ])
        let geometry = try NetworkGeometry(net)
        #expect(geometry["l0"]?.axes[0].isAffine == false)
        #expect(geometry["l1"]?.axes[0].affine == AffineReceptiveField(size: 1, stride: 1, padding: 0))
        #expect(geometry["l1"]?.flags.contains(.nonAffine) == false)
    }

    @Test func mergeOfDifferentStridesIsDiagnosedAndTabulated() throws {
        // left: S 1; right: pad to 8, 1×1 stride 2: S 2. Unit j sees j and 2j.
        let net = try Build.network([4], [
            ("left", Build.conv([1]), ["input"]),
            ("pad", Build.pad(begin: [0], end: [4]), ["input"]),
            ("right", Build.conv([1], stride: [2]), ["pad"]),
            ("sum", .add, ["left", "right"]),
        ])
        let geometry = try NetworkGeometry(net)
        let merge = try #require(geometry.merge(named: "sum"))
        #expect(!merge.isAligned)
        #expect(merge.axes[0].hasStrideMismatch)
        #expect(merge.axes[0].strides == [1, 2])
        #expect(merge.axes[0].mismatch == 3)  // unit 3: centres 3 and 6
        #expect(merge.description.contains("stride 1 vs 2"))
        let sum = try #require(geometry["sum"])
        #expect(try intervals(sum) == [0...0, 1...2, 2...4, 3...6])
        #expect(sum.flags.isSuperset(of: [.misaligned, .nonAffine]))
        #expect(sum.axes[0].paddedCount(ofUnit: 3) == 3)  // 4, 5, 6 lie beyond the input of 4
    }

    @Test func globalReductions() throws {
        let net = try Build.network([9, 7], channels: 2, [
            ("conv", Build.conv([3, 3], padding: .symmetric([1, 1]), out: 4), ["input"]),
            ("flat", .flatten, ["conv"]),
            ("fc", .linear(Linear(outFeatures: 10)), ["flat"]),
            ("half", .adaptivePooling(AdaptivePooling(kind: .max, outputSize: [1, nil])), ["conv"]),
            ("whole", .adaptivePooling(AdaptivePooling(kind: .max, outputSize: [1, 1])), ["conv"]),
        ])
        let geometry = try NetworkGeometry(net)
        for name in ["flat", "fc", "whole"] {
            let t = try #require(geometry[name])
            #expect(t.flags.contains(.global))
            #expect(t.axes.map(\.receptiveField) == [9, 7])
            #expect(t.axes.map(\.effectiveStride) == [0, 0])
            #expect(t.axes[1].interval(ofUnit: 0) == 0...6)
            #expect(!t.flags.contains(.rfExceedsInput))
        }
        #expect(geometry["flat"]?.channels == 4 * 9 * 7)
        let half = try #require(geometry["half"])
        #expect(!half.flags.contains(.global))
        #expect(half.axes[0].interval(ofUnit: 0) == 0...8)
        #expect(half.axes[1].affine == AffineReceptiveField(size: 3, stride: 1, padding: 1))
    }

    @Test func globalBranchInConcatIsContext() throws {
        // ASPP-style image pooling: global pool, 1×1 conv, resize back, concat with a local path.
        let net = try Build.network([8, 8], [
            ("local", Build.conv([3, 3], padding: .symmetric([1, 1])), ["input"]),
            ("pool", .globalPooling(.average), ["input"]),
            ("proj", Build.conv([1, 1]), ["pool"]),
            ("up", .resize(Resize(mode: .linear, coordinateTransform: .alignCorners, target: .sizes([8, 8]))), ["proj"]),
            ("cat", .concat, ["local", "up"]),
        ])
        let geometry = try NetworkGeometry(net)
        #expect(geometry["up"]?.flags.contains(.global) == true)
        let cat = try #require(geometry["cat"])
        #expect(cat.flags.contains(.globalContext))
        #expect(cat.axes[0].affine == AffineReceptiveField(size: 3, stride: 1, padding: 1))
        #expect(geometry.merge(named: "cat")?.contextInputs == ["up"])
    }

    @Test func receptiveFieldLargerThanInputIsFlagged() throws {
        let net = try Build.chain([4], [Build.conv([7], padding: .symmetric([3]))])
        let t = try #require(try NetworkGeometry(net)["l0"])
        #expect(t.flags.contains(.rfExceedsInput))
        #expect(t.axes[0].interval(ofUnit: 0) == -3...3)
        #expect(t.axes[0].paddedCount(ofUnit: 0) == 3)
        #expect(t.axes[0].paddedCount(ofUnit: 1) == 2 + 1)  // [−2, 4]: −2, −1 and 4
    }
}
