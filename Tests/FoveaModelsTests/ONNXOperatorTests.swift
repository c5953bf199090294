import Foundation
import Testing
import FoveaGeometry
@testable import FoveaModels

/// The layers imported from the operator-form fixtures, against parameters derived by hand from
/// each node's attributes and the ONNX operator definitions.
@Suite struct ONNXOperatorTests {
    func layer(_ model: ONNXModel, _ tensor: String) throws -> Layer {
        let name = try #require(model.nodeName(forTensor: tensor), "no node for \(tensor)")
        return try #require(model.network.node(named: name)).layer
    }

    func load(_ name: String) throws -> ONNXModel { try ONNXFixtureTests.load(name) }

    @Test func convTransposeForms() throws {
        let m = try load("convtranspose_forms")
        guard case .transposedConvolution(let op1) = try layer(m, "op1") else { Issue.record("op1"); return }
        #expect(op1 == TransposedConvolution(kernel: [3, 3], stride: [2, 2], padBegin: [1, 1], padEnd: [1, 1],
                                             outputPadding: [1, 1], outChannels: 3, bias: false))
        // output_shape 15×16 from 7 with k4 s2: total padding 16 − 15 = 1 on h, 0 on w; SAME_UPPER puts it at the end.
        guard case .transposedConvolution(let shaped) = try layer(m, "shape15x16") else { Issue.record("shape"); return }
        #expect(shaped.padBegin == [0, 0] && shaped.padEnd == [1, 0] && shaped.kernel == [4, 4])
        // SAME_UPPER, k3 s2, 7 → 14: total 12 + 3 − 14 = 1, at the end; SAME_LOWER s3 → 21: total 0.
        guard case .transposedConvolution(let upper) = try layer(m, "same_upper"),
              case .transposedConvolution(let lower) = try layer(m, "same_lower") else { Issue.record("same"); return }
        #expect(upper.padBegin == [0, 0] && upper.padEnd == [1, 1])
        #expect(lower.padBegin == [0, 0] && lower.padEnd == [0, 0] && lower.stride == [3, 3])
        guard case .transposedConvolution(let dilated) = try layer(m, "dilated") else { Issue.record("dilated"); return }
        #expect(dilated.dilation == [2, 2] && dilated.padBegin == [0, 0] && dilated.padEnd == [1, 1])

        let n = try load("convtranspose_output_shape")
        // Without auto_pad the odd pixel of the total padding goes to the beginning.
        guard case .transposedConvolution(let notset) = try layer(n, "shape15x16"),
              case .transposedConvolution(let grouped) = try layer(n, "dilated_grouped") else { Issue.record("n"); return }
        #expect(notset.padBegin == [1, 0] && notset.padEnd == [0, 0])
        #expect(grouped.groups == 2 && grouped.outChannels == 4 && grouped.dilation == [2, 2])
    }

    @Test func autoPadCeilModeAndPoolingKinds() throws {
        let m = try load("auto_pad_forms")
        guard case .convolution(let upper) = try layer(m, "same_upper"),
              case .convolution(let lower) = try layer(m, "same_lower"),
              case .convolution(let valid) = try layer(m, "valid"),
              case .convolution(let inferred) = try layer(m, "no_kernel_shape") else { Issue.record("conv"); return }
        #expect(upper.window.padding == .sameUpper && upper.window.stride == [2, 2] && upper.outChannels == 4)
        #expect(lower.window.padding == .sameLower && lower.window.kernel == [4, 4] && lower.window.stride == [2, 3])
        #expect(valid.window.padding == .valid && valid.window.dilation == [2, 1])
        #expect(inferred.window.kernel == [4, 4] && inferred.window.padding == .explicit(begin: [1, 2], end: [1, 2]))
        guard case .pooling(let maxSame) = try layer(m, "max_same"),
              case .pooling(let maxCeil) = try layer(m, "max_ceil"),
              case .pooling(let avg) = try layer(m, "avg_ceil"),
              case .pooling(let lp) = try layer(m, "lp") else { Issue.record("pool"); return }
        #expect(maxSame.kind == .max && maxSame.window.padding == .sameUpper)
        #expect(maxCeil.window.ceilMode && maxCeil.window.dilation == [1, 2] && maxCeil.window.kernel == [2, 3])
        #expect(avg.kind == .average && avg.countIncludePad && avg.window.ceilMode)
        #expect(lp.kind == .lp(3))
        #expect(try layer(m, "global") == .globalPooling(.max))
    }

    @Test func resizeAndUpsampleAcrossOpsets() throws {
        func resize(_ file: String, _ tensor: String) throws -> Resize? {
            if case .resize(let r) = try layer(try load(file), tensor) { return r }
            return nil
        }
        // Upsample and Resize-10 map output x to input x / scale, rounding down.
        #expect(try resize("resize_opset7", "nearest") == Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([2, 3])))
        #expect(try resize("resize_opset7", "linear") == Resize(mode: .linear, coordinateTransform: .asymmetric, target: .scales([1.5, 2])))
        #expect(try resize("resize_opset9", "nearest") == Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([2, 2])))
        #expect(try resize("resize_opset10", "linear") == Resize(mode: .linear, coordinateTransform: .asymmetric, target: .scales([0.5, 0.75])))
        #expect(try resize("resize_opset11", "scaled") == Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([2, 2])))
        #expect(try resize("resize_opset11", "sized") == Resize(mode: .linear, coordinateTransform: .alignCorners, target: .sizes([5, 11])))
        #expect(try resize("resize_opset13", "sized") == Resize(mode: .nearest(.roundPreferCeil), coordinateTransform: .halfPixel, target: .sizes([3, 20])))
        #expect(try resize("resize_opset13", "scaled") == Resize(mode: .linear, coordinateTransform: .pytorchHalfPixel, target: .scales([1.5, 0.5])))
        // keep_aspect_ratio_policy not_larger: 6×8 into 12×12 scales both by 1.5.
        #expect(try resize("resize_opset18", "fit") == Resize(mode: .linear, coordinateTransform: .halfPixel, target: .sizes([9, 12])))
        // axes [3, 2] with scales [0.5, 2]: h ×2, w ×0.5; default nearest_mode round_prefer_floor.
        #expect(try resize("resize_opset18", "axes") == Resize(mode: .nearest(.roundPreferFloor), coordinateTransform: .halfPixel, target: .scales([2, 0.5])))
    }

    @Test func padAttributeAndInputForms() throws {
        let p7 = try load("pad_opset7"), p11 = try load("pad_opset11"), p18 = try load("pad_opset18")
        #expect(try layer(p7, "constant") == .pad(Pad(begin: [1, 2], end: [3, 4], mode: .constant)))
        #expect(try layer(p7, "crop") == .pad(Pad(begin: [-1, 0], end: [-2, -3], mode: .constant)))
        #expect(try layer(p11, "reflect") == .pad(Pad(begin: [2, 1], end: [1, 3], mode: .reflect)))
        #expect(try layer(p11, "edge") == .pad(Pad(begin: [2, 1], end: [1, 3], mode: .edge)))
        // The channel padding of 'mixed' changes channels only.
        #expect(try layer(p11, "mixed") == .pad(Pad(begin: [-2, 2], end: [1, -1], mode: .constant)))
        // axes [-1, 2], pads [1, -2, 0, 3]: w begins +1 ends 0, h begins −2 ends +3.
        #expect(try layer(p18, "padded") == .pad(Pad(begin: [-2, 1], end: [3, 0], mode: .constant)))
    }

    /// The input indices a slice layer keeps on each spatial axis of sizes `sizes`.
    func kept(_ layer: Layer, sizes: [Int]) -> [[Int]]? {
        guard case .slice(let s) = layer else { return nil }
        return sizes.indices.map { sliceIndices(n: sizes[$0], start: s.start[$0], end: s.end[$0], step: s.step[$0]) }
    }

    @Test func sliceAndSplitOnSpatialAxes() throws {
        let s9 = try load("slice_opset9"), s13 = try load("slice_opset13"), s18 = try load("split_opset18")
        let all = { (n: Int) in Array(0..<n) }
        #expect(kept(try layer(s9, "attr"), sizes: [10, 12]) == [Array(1...8), Array(8...11)])
        #expect(kept(try layer(s13, "stepped"), sizes: [10, 12]) == [[0, 2, 4, 6, 8], [1, 4, 7, 10]])
        #expect(kept(try layer(s13, "reversed"), sizes: [10, 12]) == [all(10), [11, 9, 7, 5, 3, 1]])
        #expect(kept(try layer(s13, "top"), sizes: [10, 12]) == [Array(0..<4), all(12)])
        #expect(kept(try layer(s13, "bottom"), sizes: [10, 12]) == [Array(4..<10), all(12)])
        #expect(try layer(s13, "channels") == .pointwise("slice"))
        #expect(kept(try layer(s18, "mid"), sizes: [10, 12]) == [all(10), Array(4..<8)])
        #expect(try layer(s18, "c1") == .pointwise("split"))
    }

    @Test(arguments: [13, 18])
    func reductionsSoftmaxAndSqueeze(opset: Int) throws {
        let m = try load("reduce_opset\(opset)")
        #expect(try layer(m, "mean_keep") == .globalPooling(.average))
        #expect(try layer(m, "max_drop") == .globalPooling(.max))
        #expect(try layer(m, "mean_w") == .adaptivePooling(AdaptivePooling(kind: .average, outputSize: [nil, 1])))
        #expect(try layer(m, "softmax_c") == .pointwise("softmax"))
        // Softmax over w: the value at a position depends on its row's statistics.
        #expect(try layer(m, "softmax_w") == .multiply)
        let stats = try #require(m.network.node(named: "softmax_w::stats"))
        #expect(stats.layer == .adaptivePooling(AdaptivePooling(kind: .average, outputSize: [nil, 1])))
        #expect(try layer(m, "squeezed") == .pointwise("squeeze"))
        #expect(try layer(m, "gated") == .multiply)
        #expect(m.shape(ofTensor: "unsqueezed") == [1, 4, 1, 1])
    }

    @Test func opsetVariantsImportTheSameGeometry() throws {
        // Older exporters write AvgPool as Pad(0) + AveragePool without count_include_pad: the same
        // geometry, so zero pads are dropped and the divisor rule is ignored where nothing is padded.
        func spatialLayers(_ opset: Int) throws -> [Layer] {
            try load("variants_opset\(opset)").network.nodes.map(\.layer).compactMap { layer -> Layer? in
                switch layer {
                case .pointwise, .batchNorm: return nil
                case .pad(let p) where p.begin.allSatisfy({ $0 == 0 }) && p.end.allSatisfy({ $0 == 0 }): return nil
                case .pooling(var p) where p.window.padding == .symmetric([0, 0]):
                    p.countIncludePad = true
                    return .pooling(p)
                default: return layer
                }
            }
        }
        let reference = try spatialLayers(17)
        #expect(reference.contains(.pad(Pad(begin: [1, 1], end: [2, 2], mode: .reflect))))
        #expect(reference.contains(.resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([2, 2])))))
        for opset in [9, 11, 13, 21] {
            let layers = try spatialLayers(opset)
            // Opset 9 exports interpolate as Upsample (asymmetric, floor), later ones as Resize.
            #expect(layers.dropLast() == reference.dropLast(), "opset \(opset)")
        }
        // Opset 7 has no upsampling but the same layers before it.
        #expect(try spatialLayers(7) == Array(reference.dropLast()))
    }

    @Test func squeezeExcitationAndChannelsLastBlocks() throws {
        let se = try load("se_net")
        #expect(try layer(se, "se1") == .multiply)
        #expect(try layer(se, "/se2/ReduceMean_output_0") == .globalPooling(.average))
        #expect(try layer(se, "/se2/fc1/Gemm_output_0") == .linear(Linear(outFeatures: 8, bias: true)))
        #expect(try layer(se, "se2") == .multiply)

        let cx = try load("convnext_block")
        #expect(try layer(cx, "/Transpose_output_0") == .pointwise("transpose"))
        #expect(try layer(cx, "/norm/LayerNormalization_output_0") == .pointwise("layernormalization"))
        guard case .convolution(let fc1) = try layer(cx, "/fc1/MatMul_output_0") else { Issue.record("fc1"); return }
        #expect(fc1.window.kernel == [1, 1] && fc1.outChannels == 32)
        #expect(cx.shape(ofTensor: "/fc1/MatMul_output_0") == [1, 8, 8, 32])
        // InstanceNorm and GroupNorm (exported as Reshape → InstanceNormalization → Reshape) keep the map.
        #expect(try layer(cx, "/inorm/InstanceNormalization_output_0") == .multiply)
        #expect(try layer(cx, "/gnorm/Reshape_output_0") == .pointwise("reshape"))
        #expect(try layer(cx, "/gnorm/InstanceNormalization_output_0") == .multiply)
        #expect(!cx.network.nodes.contains { $0.layer == .flatten })

        let shuffle = try load("shuffle_net")
        #expect(!shuffle.network.nodes.contains { $0.layer == .flatten })
        #expect(try layer(shuffle, "tokens") == .pointwise("transpose"))
    }

    @Test func torchvisionLayers() throws {
        let resnet = try ONNXModel(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("resnet18.onnx"))
        guard case .pooling(let pool) = try layer(resnet, "maxpool") else { Issue.record("maxpool"); return }
        #expect(pool.kind == .max && pool.window == SlidingWindow(kernel: [3, 3], stride: [2, 2], padding: .symmetric([1, 1])))
        #expect(resnet.network.nodes.filter { $0.layer == .add }.count == 8)
        #expect(try layer(resnet, "logits") == .linear(Linear(outFeatures: 1000, bias: true)))

        let mobilenet = try ONNXModel(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("mobilenet_v2.onnx"))
        #expect(try layer(mobilenet, "features.18") == .pointwise("relu6"))
        let depthwise = mobilenet.network.nodes.compactMap { node -> Convolution? in
            if case .convolution(let c) = node.layer, c.groups > 1 { return c }
            return nil
        }
        #expect(depthwise.count == 17 && depthwise.allSatisfy { $0.groups == $0.outChannels })

        let googlenet = try ONNXModel(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("googlenet.onnx"))
        #expect(try layer(googlenet, "inception3b") == .concat)
        #expect(googlenet.network.nodes.filter { $0.layer == .concat }.count == 9)
    }
}
