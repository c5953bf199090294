import Testing
@testable import FoveaGeometry

/// Output sizes against values derived by hand from the PyTorch/ONNX formulas (and matching
/// what PyTorch returns for the same layers).
@Suite struct SizeRuleTests {
    private func size(_ layer: Layer, input: [Int]) throws -> [Int] {
        try #require(try NetworkGeometry(Build.chain(input, [layer]))["l0"]).outputSize
    }

    @Test func floorRuleWithPaddingAndDilation() throws {
        // floor((7 + 2 − 3)/2) + 1 = 4
        #expect(try size(Build.conv([3], stride: [2], padding: .symmetric([1])), input: [7]) == [4])
        // effective kernel 2·(3 − 1) + 1 = 5 on 10 → 6
        #expect(try size(Build.conv([3], dilation: [2]), input: [10]) == [6])
        // asymmetric padding (0, 2), kernel 3, input 10 → 10
        #expect(try size(Build.conv([3], padding: Build.explicit([0], [2])), input: [10]) == [10])
    }

    @Test func ceilModeDropsWindowStartingInEndPadding() throws {
        // 6, k3 s2 p1: ceil(5/2) + 1 = 4; the last window starts at 6 − 1 = 5 < 6, kept.
        #expect(try size(Build.pool([3], stride: [2], padding: .symmetric([1]), ceilMode: true), input: [6]) == [4])
        // 5, k2 s2 p1: ceil(5/2) + 1 = 4, but window 3 starts at 3·2 − 1 = 5 (end padding): 3.
        #expect(try size(Build.pool([2], stride: [2], padding: .symmetric([1]), ceilMode: true), input: [5]) == [3])
        // 5, k2 s2: ceil(3/2) + 1 = 3 (the last window hangs over the end); floor gives 2.
        #expect(try size(Build.pool([2], stride: [2], ceilMode: true), input: [5]) == [3])
        #expect(try size(Build.pool([2], stride: [2]), input: [5]) == [2])
    }

    @Test func samePaddingFromActualInputSize() throws {
        // 5, k4 s2: out ceil(5/2) = 3, total (3 − 1)·2 + 4 − 5 = 3: upper (1, 2), lower (2, 1).
        let window = SlidingWindow(kernel: [4], stride: [2], padding: .sameUpper)
        let upper = try window.resolved(inputSize: [5])
        #expect(upper.outputSize == [3] && upper.padBegin == [1] && upper.padEnd == [2])
        var lowerWindow = window
        lowerWindow.padding = .sameLower
        let lower = try lowerWindow.resolved(inputSize: [5])
        #expect(lower.outputSize == [3] && lower.padBegin == [2] && lower.padEnd == [1])
        // 8, k3 s2: out 4, total 6 + 3 − 8 = 1 → TensorFlow's SAME pads only at the end.
        let tf = try SlidingWindow(kernel: [3], stride: [2], padding: .sameUpper).resolved(inputSize: [8])
        #expect(tf.padBegin == [0] && tf.padEnd == [1] && tf.outputSize == [4])
        // 9, k1 s2: out 5, total max(8 + 1 − 9, 0) = 0.
        let none = try SlidingWindow(kernel: [1], stride: [2], padding: .sameUpper).resolved(inputSize: [9])
        #expect(none.padBegin == [0] && none.padEnd == [0] && none.outputSize == [5])
        // The receptive field uses the begin padding: P = 1 (upper) or 2 (lower).
        let net = try Build.chain([5], [.convolution(Convolution(window: lowerWindow))])
        #expect(try NetworkGeometry(net)["l0"]?.axes[0].affine == AffineReceptiveField(size: 4, stride: 2, padding: 2))
    }

    @Test func transposedConvolutionWithOutputPadding() throws {
        // (4 − 1)·2 − 1 − 1 + 3 + 1 = 8 (the usual ×2 upsampling block)
        let layer = Layer.transposedConvolution(TransposedConvolution(kernel: [3], stride: [2], padBegin: [1],
                                                                      outputPadding: [1]))
        #expect(try size(layer, input: [4]) == [8])
        // dilation 2, k 3, s 3, no padding: (5 − 1)·3 + 5 = 17
        let dilated = Layer.transposedConvolution(TransposedConvolution(kernel: [3], stride: [3], dilation: [2]))
        #expect(try size(dilated, input: [5]) == [17])
    }

    @Test func resizeByScalesAndSizes() throws {
        func resize(_ target: Resize.Target) -> Layer {
            .resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: target))
        }
        #expect(try size(resize(.scales([2, 3])), input: [3, 5]) == [6, 15])
        #expect(try size(resize(.scales([0.5])), input: [7]) == [3])  // floor(3.5)
        #expect(try size(resize(.sizes([3, 11])), input: [5, 4]) == [3, 11])
    }

    @Test func adaptiveAndGlobalPooling() throws {
        let adaptive = Layer.adaptivePooling(AdaptivePooling(kind: .average, outputSize: [4, nil]))
        #expect(try size(adaptive, input: [10, 6]) == [4, 6])
        #expect(try size(.globalPooling(.max), input: [7, 9]) == [1, 1])
        #expect(try size(.flatten, input: [7, 9]) == [1, 1])
    }

    @Test func padCropAndSlice() throws {
        #expect(try size(Build.pad(begin: [-2], end: [1]), input: [10]) == [9])
        // ONNX clamping: start −3 → 7, end INT_MAX → 10: 3 units.
        #expect(try size(.slice(Slice(start: [-3], end: [Int.max])), input: [10]) == [3])
        // Reversed with step −2: start −1 → 9, end INT_MIN → −1: 9, 7, 5, 3, 1.
        #expect(try size(.slice(Slice(start: [-1], end: [Int.min], step: [-2])), input: [10]) == [5])
        // start 100 clamps to 9, end −100 to −1, step −3: 9, 6, 3, 0.
        #expect(try size(.slice(Slice(start: [100], end: [-100], step: [-3])), input: [10]) == [4])
        // Positive step 3 from 1 to 8: 1, 4, 7.
        #expect(try size(.slice(Slice(start: [1], end: [8], step: [3])), input: [10]) == [3])
    }

    /// 3-D: [5, 8, 9], kernel 3 stride [1, 2, 2] padding 1 → [5, 4, 5]; then [1, 3, 3] valid → [5, 2, 3].
    /// Receptive fields: depth 3/1/1, height and width 3 + 2·2 = 7, S 2, P 1.
    @Test func threeDimensionalNetwork() throws {
        let net = try Build.chain([5, 8, 9], [
            Build.conv([3, 3, 3], stride: [1, 2, 2], padding: .symmetric([1, 1, 1])),
            Build.conv([1, 3, 3]),
        ])
        let t = try #require(try NetworkGeometry(net)["l1"])
        #expect(t.outputSize == [5, 2, 3])
        #expect(t.axes.map(\.affine) == [AffineReceptiveField(size: 3, stride: 1, padding: 1),
                                          AffineReceptiveField(size: 7, stride: 2, padding: 1),
                                          AffineReceptiveField(size: 7, stride: 2, padding: 1)])
    }

    @Test func elementWiseMergesBroadcastSizeOne() throws {
        let net = try Build.network([6, 6], [
            ("map", Build.conv([1, 1]), ["input"]),
            ("dot", .globalPooling(.average), ["input"]),
            ("sum", .add, ["map", "dot"]),
        ])
        #expect(try NetworkGeometry(net)["sum"]?.outputSize == [6, 6])
    }
}
