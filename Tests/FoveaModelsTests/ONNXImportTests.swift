import Foundation
import Testing
import FoveaGeometry
@testable import FoveaModels

/// Import options and graph-level behaviour, on models built in memory.
@Suite struct ONNXImportTests {
    typealias B = ONNXBuilder

    let conv = B.node("Conv", ["x", "w"], ["y"], ["pads": .ints([1, 1, 1, 1])])
    let weight = B.external("w", dims: [8, 3, 3, 3])

    @Test func weightsInMissingExternalFilesAreNotNeeded() throws {
        let m = try B.load(B.model([conv], initializers: [weight], outputs: ["y"]))
        guard case .convolution(let c) = m.network.nodes[0].layer else { Issue.record("not a conv"); return }
        #expect(c.window.kernel == [3, 3] && c.outChannels == 8 && !c.bias)
        #expect(m.shape(ofTensor: "y") == [1, 8, 16, 16])
        #expect(m.nodeName(forTensor: "x") == Network.inputName)
        #expect(m.input.name == "x" && m.input.channelAxis == 1 && m.input.spatialAxes == [2, 3])
    }

    @Test func unreadableFilesAreNamed() {
        let missing = URL(fileURLWithPath: "/nonexistent/model.onnx")
        #expect(throws: ONNXError.self) { try ONNXModel(contentsOf: missing) }
        do {
            _ = try ONNXModel(contentsOf: missing)
        } catch {
            guard case .unreadable(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == missing.path)
        }
    }

    @Test func symbolicDimensionsNeedTheInputSize() throws {
        let model = B.model([conv], initializers: [weight],
                            shape: [.symbol("batch"), .value(3), .symbol("height"), .symbol("width")], outputs: ["y"])
        let error = try #require(B.error(model))
        guard case .invalidInput(let name, let problem) = error else { Issue.record("\(error)"); return }
        #expect(name == "x" && problem.contains("height"))
        let m = try B.load(model, options: .init(inputSize: [40, 30]))
        #expect(m.input.shape == [1, 3, 40, 30] && m.network.inputSize == [40, 30])
        #expect(m.input.declaredShape == [.symbol("batch"), .value(3), .symbol("height"), .symbol("width")])
        #expect(m.outputs[0].shape == [1, 8, 40, 30])
        // A given size also overrides fixed dimensions; one value serves every axis; a wrong count is refused.
        #expect(try B.load(B.model([conv], initializers: [weight], outputs: ["y"]), options: .init(inputSize: [9, 7])).outputs[0].shape == [1, 8, 9, 7])
        #expect(try B.load(model, options: .init(inputSize: [40])).input.shape == [1, 3, 40, 40])
        #expect(B.error(model, options: .init(inputSize: [40, 30, 20])) != nil)
        #expect(B.error(model, options: .init(inputSize: [0, 10])) != nil)
    }

    @Test func unknownOperatorsNameTheOpNodeAndTensorAndCanBeAssumedPointwise() throws {
        let model = B.model([conv, B.node("FancyAct", ["y"], ["z"], name: "act1")], initializers: [weight], outputs: ["z"])
        let error = try #require(B.error(model))
        #expect(error == .unsupportedOperator(op: "FancyAct", node: "act1", tensor: "z"))
        #expect(error.description.contains("--assume-pointwise FancyAct"))
        let m = try B.load(model, options: .init(assumePointwise: ["FancyAct"]))
        #expect(m.network.node(named: "z")?.layer == .pointwise("fancyact"))
        #expect(m.assumptions == [ONNXModel.Assumption(op: "FancyAct", node: "act1", tensor: "z")])
        #expect(m.options.assumePointwise == ["FancyAct"])
        // A custom domain is named in the error.
        let custom = B.model([conv, B.node("Gelu", ["y"], ["z"], domain: "com.microsoft")], initializers: [weight], outputs: ["z"])
        guard case .unsupportedOperator(let op, _, _)? = B.error(custom) else { Issue.record("custom domain"); return }
        #expect(op == "com.microsoft.Gelu")
        // The hint's domain-qualified name is accepted; a bare op type of another domain also matches.
        for assumed in ["com.microsoft.Gelu", "Gelu"] {
            let m = try B.load(custom, options: .init(assumePointwise: [assumed]))
            #expect(m.assumptions == [ONNXModel.Assumption(op: "com.microsoft.Gelu", node: "#1 Gelu", tensor: "z")], "\(assumed)")
        }
    }

    @Test func channelsLastInputsAreDetected() throws {
        let model = B.model([
            B.node("Transpose", ["x"], ["t"], ["perm": .ints([0, 3, 1, 2])]),
            B.node("Conv", ["t", "w"], ["y"], ["strides": .ints([2, 2])]),
        ], initializers: [weight], shape: [.value(1), .value(20), .value(12), .value(3)], outputs: ["y"])
        let m = try B.load(model)
        #expect(m.input.spatialAxes == [1, 2] && m.input.channelAxis == 3)
        #expect(m.network.inputSize == [20, 12] && m.network.inputChannels == 3)
        #expect(m.outputs[0].shape == [1, 8, 9, 5])
        guard case .convolution = try #require(m.network.node(named: "y")).layer else { Issue.record("conv"); return }
        // Forcing channels-first makes the conv read [N, H, W, C] as channels-first: the weight does not fit.
        #expect(B.error(model, options: .init(inputLayout: .channelsFirst)) != nil)
    }

    @Test func tensorNamedInputIsRenamedAndSecondOutputsAlias() throws {
        let model = B.model([
            B.node("MaxPool", ["x"], ["input", "indices"], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            B.node("Relu", ["indices"], ["r"]),
        ], outputs: ["input", "r"])
        let m = try B.load(model)
        let pooled = try #require(m.nodeName(forTensor: "input"))
        #expect(pooled != Network.inputName && m.network.node(named: pooled) != nil)
        #expect(m.nodeName(forTensor: "indices") == pooled)
        #expect(m.outputs.map(\.nodeName) == [pooled, "r"])
    }

    @Test func severalGraphInputsNeedAChoice() throws {
        var model = B.model([B.node("Add", ["x", "bias"], ["y"])], outputs: ["y"])
        model.graph.input.append(B.valueInfo("bias", [.value(1), .value(3), .value(1), .value(1)]))
        guard case .invalidInput(_, let problem)? = B.error(model) else { Issue.record("no error"); return }
        #expect(problem.contains("2 inputs"))
        let m = try B.load(model, options: .init(inputName: "x"))
        #expect(m.network.node(named: "y")?.layer == .pointwise("add"))
        #expect(B.error(model, options: .init(inputName: "nope")) != nil)
    }

    @Test func exporterShapeArithmeticIsEvaluated() throws {
        // x.view(x.size(0), -1) as torch exports it, then a Linear.
        let model = B.model([
            B.node("Shape", ["x"], ["s"]),
            B.node("Gather", ["s", "zero"], ["n"], ["axis": .int(0)]),
            B.node("Unsqueeze", ["n", "axes0"], ["n1"]),
            B.node("Concat", ["n1", "minus1"], ["target"], ["axis": .int(0)]),
            B.node("Reshape", ["x", "target"], ["flat"]),
            B.node("Gemm", ["flat", "fc"], ["logits"], ["transB": .int(1)]),
        ], initializers: [B.ints("zero", [0], dims: []), B.ints("axes0", [0]), B.ints("minus1", [-1]),
                          B.external("fc", dims: [10, 768])], outputs: ["logits"])
        let m = try B.load(model)
        #expect(m.shape(ofTensor: "flat") == [1, 768])
        #expect(m.network.node(named: "flat")?.layer == .pointwise("reshape"))
        #expect(m.network.node(named: "logits")?.layer == .linear(Linear(outFeatures: 10, bias: false)))
        #expect(m.outputs[0].shape == [1, 10])
    }

    @Test func quantizedWeightsAndActivationsKeepTheirShapes() throws {
        // QDQ export: int8 weight → DequantizeLinear (per-channel scale on axis 0) → Conv, and a
        // per-channel QuantizeLinear → DequantizeLinear pair on the activations.
        var int8 = B.external("wq", dims: [8, 3, 3, 3])
        int8.dataType = 3
        let model = B.model([
            B.node("DequantizeLinear", ["wq", "scale8"], ["w"], ["axis": .int(0)]),
            B.node("QuantizeLinear", ["x", "scale3"], ["xq"], ["axis": .int(1)]),
            B.node("DequantizeLinear", ["xq", "scale3"], ["xd"], ["axis": .int(1)]),
            B.node("Conv", ["xd", "w"], ["y"], ["pads": .ints([1, 1, 1, 1])]),
        ], initializers: [int8, B.floats("scale8", Array(repeating: 0.1, count: 8)), B.floats("scale3", [0.1, 0.2, 0.3])],
           outputs: ["y"])
        let m = try B.load(model)
        #expect(m.shape(ofTensor: "xd") == [1, 3, 16, 16])
        #expect(m.network.node(named: "xq")?.layer == .pointwise("quantizelinear"))
        guard case .convolution(let c)? = m.network.node(named: "y")?.layer else { Issue.record("conv"); return }
        #expect(c.outChannels == 8 && c.window.kernel == [3, 3])
    }

    @Test func splittingASpatialAxisFlattensAndTransposingSpatialAxesIsRefused() throws {
        // [1, 3, 16, 16] → [1, 3, 4, 64]: h is split, so the result depends on the whole input.
        let split = B.model([B.node("Reshape", ["x", "s"], ["y"])], initializers: [B.ints("s", [1, 3, 4, 64])], outputs: ["y"])
        #expect(try B.load(split).network.node(named: "y")?.layer == .flatten)
        let swap = B.model([B.node("Transpose", ["x"], ["y"], ["perm": .ints([0, 1, 3, 2])])], outputs: ["y"])
        guard case .invalidNode(let op, _, _, let problem)? = B.error(swap) else { Issue.record("no error"); return }
        #expect(op == "Transpose" && problem.contains("reorders"))
    }

    @Test func opsetSemanticsOfSoftmaxAndClip() throws {
        // Before opset 13, Softmax(axis 1) normalizes over all axes from 1: spatial statistics.
        let softmax = { (opset: Int) in B.model([B.node("Softmax", ["x"], ["y"], ["axis": .int(1)])], outputs: ["y"], opset: opset) }
        #expect(try B.load(softmax(11)).network.node(named: "y")?.layer == .multiply)
        #expect(try B.load(softmax(13)).network.node(named: "y")?.layer == .pointwise("softmax"))
        let clip6 = B.model([B.node("Clip", ["x"], ["y"], ["min": .float(0), "max": .float(6)])], outputs: ["y"], opset: 9)
        #expect(try B.load(clip6).network.node(named: "y")?.layer == .pointwise("relu6"))
        let clip11 = B.model([B.node("Clip", ["x", "lo", ""], ["y"])], initializers: [B.floats("lo", [0], dims: [])],
                             outputs: ["y"], opset: 11)
        #expect(try B.load(clip11).network.node(named: "y")?.layer == .pointwise("relu"))
    }

    @Test func matMulOverSpatialAxisIsGlobal() throws {
        // A Linear over the last (w) axis mixes positions: the result depends on whole rows.
        let model = B.model([B.node("MatMul", ["x", "m"], ["y"])], initializers: [B.external("m", dims: [16, 5])], outputs: ["y"])
        let m = try B.load(model)
        #expect(m.network.node(named: "y")?.layer == .linear(Linear(outFeatures: 5, bias: false)))
        #expect(m.shape(ofTensor: "y") == [1, 3, 16, 5])
        let attention = B.model([B.node("MatMul", ["x", "x"], ["y"])], outputs: ["y"])
        guard case .invalidNode(_, _, _, let problem)? = B.error(attention) else { Issue.record("no error"); return }
        #expect(problem.contains("both depend on the input"))
    }
}
