import Foundation
import Testing
@testable import FoveaModels

/// Untrusted files: every malformed input must give a typed one-line error, never a trap.
@Suite struct ONNXRobustnessTests {
    typealias B = ONNXBuilder

    static let resnet = try! Data(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("resnet18.onnx"))

    @Test func truncatedFilesAreRefused() {
        for length in stride(from: 0, to: Self.resnet.count - 1, by: 61) {
            let error = B.error(Self.resnet.prefix(length))
            #expect(error != nil, "prefix of \(length) bytes loaded")
        }
    }

    @Test func corruptedBytesNeverTrap() {
        var generator = SplitMix(seed: 42)
        var loaded = 0
        for _ in 0..<300 {
            var bytes = [UInt8](Self.resnet)
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let i = Int(generator.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let error = B.error(Data(bytes)) {
                #expect(!error.description.contains("\n"))
            } else {
                loaded += 1
            }
        }
        #expect(loaded < 300)
    }

    @Test func wrongWireTypesAndGroupsAreMalformed() {
        // Field 7 (graph) written as a varint, then as a start-group.
        #expect(isMalformed(B.error(Data([0x38, 0x01]))))
        #expect(isMalformed(B.error(Data([0x3B, 0x3C]))))
        // A length that runs past the end of the data.
        #expect(isMalformed(B.error(Data([0x3A, 0x7F, 0x00]))))
        // A varint longer than ten bytes.
        #expect(isMalformed(B.error(Data([0x08] + Array(repeating: 0xFF, count: 11)))))
    }

    func isMalformed(_ error: ONNXError?) -> Bool {
        if case .malformed? = error { return true }
        return false
    }

    @Test func graphStructureErrors() {
        let relu = { (i: String, o: String) in B.node("Relu", [i], [o], name: "n_" + o) }
        let cycle = B.error(B.model([relu("b", "a"), relu("a", "b"), relu("x", "c")], outputs: ["c"]))
        #expect(cycle == .cycle(node: "n_a", tensor: "a") || cycle == .cycle(node: "n_b", tensor: "b"))
        #expect(B.error(B.model([relu("missing", "y")], outputs: ["y"])) == .danglingInput(node: "n_y", tensor: "missing"))
        #expect(B.error(B.model([relu("x", "y"), B.node("Relu", ["x"], ["y"], name: "again")], outputs: ["y"]))
                == .duplicateTensor(tensor: "y", node: "again"))
        #expect(B.error(B.model([relu("x", "y")], outputs: ["nowhere"])) == .danglingInput(node: "graph output", tensor: "nowhere"))
        #expect(B.error(B.model([relu("x", "y")], outputs: ["y"], opset: 6)) == .unsupportedOpset(6))
        #expect(B.error(Onnx_ModelProto()) == .invalidModel("no opset_import for the default ONNX domain"))
        var noGraph = B.model([], outputs: [])
        noGraph.clearGraph()
        #expect(B.error(noGraph) == .invalidModel("the model has no graph"))
        // An output that does not depend on the input.
        #expect(B.error(B.model([B.node("Constant", [], ["c"], ["value_int": .int(3)])], outputs: ["c"])) == .noSpatialOutput)
    }

    @Test func subgraphsAreRefused() {
        #expect(B.error(B.model([B.node("If", ["x"], ["y"], name: "branch")], outputs: ["y"])) == .subgraph(op: "If", node: "branch"))
        #expect(B.error(B.model([B.node("Loop", ["", "", "x"], ["y"], name: "loop")], outputs: ["y"])) == .subgraph(op: "Loop", node: "loop"))
        var node = B.node("Custom", ["x"], ["y"], name: "holder")
        var attribute = Onnx_AttributeProto()
        attribute.name = "body"
        attribute.type = .graph
        node.attribute = [attribute]
        #expect(B.error(B.model([node], outputs: ["y"])) == .subgraph(op: "Custom", node: "holder"))
    }

    @Test func absurdDimensionsAreRefused() {
        let relu = B.node("Relu", ["x"], ["y"])
        #expect(B.error(B.model([relu], shape: [.value(1), .value(3), .value(-5), .value(4)], outputs: ["y"]))
                == .invalidDimension(tensor: "x", field: "shape[2]", value: -5))
        #expect(B.error(B.model([relu], shape: [.value(1), .value(3), .value(1 << 40), .value(4)], outputs: ["y"]))
                == .invalidDimension(tensor: "x", field: "shape[2]", value: 1 << 40))
        let conv = B.node("Conv", ["x", "w"], ["y"])
        #expect(B.error(B.model([conv], initializers: [B.external("w", dims: [8, 3, 1 << 33, 3])], outputs: ["y"]))
                == .invalidDimension(tensor: "w", field: "dims[2]", value: 1 << 33))
        // Element counts that overflow, from a ConstantOfShape and a Reshape target.
        let huge = B.model([B.node("ConstantOfShape", ["s"], ["c"]), B.node("Add", ["x", "c"], ["y"])],
                           initializers: [B.ints("s", [Int(Int32.max), Int(Int32.max), Int(Int32.max)])], outputs: ["y"])
        guard case .invalidDimension? = B.error(huge) else { Issue.record("ConstantOfShape"); return }
        let reshape = B.model([B.node("Reshape", ["x", "s"], ["y"])], initializers: [B.ints("s", [1 << 40, -1])], outputs: ["y"])
        #expect(B.error(reshape) != nil)
        let range = B.model([B.node("Range", ["a", "b", "c"], ["r"]), B.node("Add", ["x", "r"], ["y"])],
                            initializers: [B.ints("a", [0], dims: []), B.ints("b", [1 << 50], dims: []), B.ints("c", [1], dims: [])],
                            outputs: ["y"])
        #expect(B.error(range) != nil)
        // Found by fuzzing: a keep-aspect Resize with a huge negative size, a Range past Int64.
        let fit = B.model([B.node("Resize", ["x", "", "", "s"], ["y"], ["axes": .ints([2, 3]),
                                                                       "keep_aspect_ratio_policy": .string("not_larger")])],
                          initializers: [B.ints("s", [12, -4_395_513_236_313_604_095])], outputs: ["y"], opset: 18)
        #expect(B.error(fit)?.description.contains("size") == true)
        let wide = B.model([B.node("Range", ["a", "b", "c"], ["r"]), B.node("Reshape", ["x", "r"], ["y"])],
                           initializers: [B.ints("a", [Int.max - 10], dims: []), B.ints("b", [Int.max], dims: []),
                                          B.ints("c", [3], dims: [])], outputs: ["y"])
        #expect(B.error(wide) != nil)
        let dilated = B.model([B.node("MaxPool", ["x"], ["y"], ["kernel_shape": .ints([3, 3]), "dilations": .ints([1 << 30, 4])])],
                              outputs: ["y"])
        #expect(B.error(dilated) != nil)
        // Found by fuzzing: slicing a constant with a huge axis, of unknown values or of zero elements,
        // listed the indices of every axis first (2^31 − 1 of them) and ran out of time and memory.
        for dims in [[Int(Int32.max), 3], [0, Int(Int32.max)]] {
            let sliced = B.model([B.node("ConstantOfShape", ["s"], ["c"]), B.node("Slice", ["c", "b", "e", "a"], ["d"]),
                                  B.node("Relu", ["x"], ["y"])],
                                 initializers: [B.ints("s", dims), B.ints("b", [0]), B.ints("e", [2]), B.ints("a", [1])],
                                 outputs: ["y"])
            #expect(B.error(sliced) == nil, "\(dims)")
        }
        // Found by fuzzing: a pad of Int64.min (its magnitude was taken with abs, which traps).
        let minPad = B.model([B.node("Pad", ["x", "p"], ["y"])], initializers: [B.ints("p", [0, 0, Int.min, 0, 0, 0, 1, 0])],
                             outputs: ["y"], opset: 11)
        #expect(B.error(minPad)?.description.contains("out of range") == true)
        // Found by fuzzing: a binary operator on constants with one operand read a second one.
        for op in ["Sub", "Div", "Mul", "Pow", "Equal", "Mod"] {
            for a in [B.ints("a", [4, 2]), B.floats("a", [4, 2])] {
                let lone = B.model([B.node(op, ["a"], ["c"]), B.node("Relu", ["x"], ["y"])], initializers: [a], outputs: ["y"])
                #expect(B.error(lone) == nil, "\(op)")
            }
        }
        // Found by fuzzing: split sizes whose sum overflows.
        let split = B.model([B.node("Split", ["x", "s"], ["a", "b"], ["axis": .int(2)])],
                            initializers: [B.ints("s", [Int.max, 2])], outputs: ["a", "b"])
        #expect(B.error(split)?.description.contains("does not divide") == true)
        // Kernels larger than the padded input.
        let big = B.model([B.node("MaxPool", ["x"], ["y"], ["kernel_shape": .ints([40, 3])])], outputs: ["y"])
        guard case .invalidNode(let op, _, _, _)? = B.error(big) else { Issue.record("kernel"); return }
        #expect(op == "MaxPool")
    }

    @Test func manyMessagesAreRefusedBeforeDecoding() {
        // A graph input whose shape declares two million empty dimensions: 4 MB on the wire.
        let count = 2_000_000
        var shape = Data()
        for _ in 0..<count { shape.append(contentsOf: [0x0A, 0x00]) }
        func wrap(_ field: UInt8, _ body: Data) -> Data {
            var d = Data([field])
            var n = body.count
            repeat {
                d.append(UInt8(n & 0x7F) | (n > 0x7F ? 0x80 : 0))
                n >>= 7
            } while n > 0
            return d + body
        }
        let tensorType = wrap(0x12, shape)                  // TypeProto.Tensor.shape
        let type = wrap(0x0A, tensorType)                   // TypeProto.tensor_type
        let valueInfo = wrap(0x12, type)                    // ValueInfoProto.type
        let graph = wrap(0x5A, valueInfo)                   // GraphProto.input
        let model = wrap(0x3A, graph)                       // ModelProto.graph
        guard case .limitExceeded(_, let seen, let limit)? = B.error(model) else { Issue.record("not refused"); return }
        #expect(seen > limit)
    }

    @Test func wrongAttributeTypesAndBadValuesNameTheField() {
        let stringKernel = B.model([B.node("MaxPool", ["x"], ["y"], name: "pool", ["kernel_shape": .string("3")])], outputs: ["y"])
        guard case .invalidNode(_, let node, _, let problem)? = B.error(stringKernel) else { Issue.record("type"); return }
        #expect(node == "pool" && problem.contains("kernel_shape"))
        let zeroStride = B.model([B.node("MaxPool", ["x"], ["y"], ["kernel_shape": .ints([2, 2]), "strides": .ints([0, 1])])], outputs: ["y"])
        #expect(B.error(zeroStride)?.description.contains("strides") == true)
        let badPad = B.model([B.node("Pad", ["x", "p"], ["y"], ["mode": .string("wrap")])], initializers: [B.ints("p", [0, 0, 1, 1, 0, 0, 1, 1])],
                             outputs: ["y"], opset: 19)
        #expect(B.error(badPad)?.description.contains("wrap") == true)
        let zeroStep = B.model([B.node("Slice", ["x", "a", "b", "c", "d"], ["y"])],
                               initializers: [B.ints("a", [0]), B.ints("b", [4]), B.ints("c", [2]), B.ints("d", [0])], outputs: ["y"])
        #expect(B.error(zeroStep)?.description.contains("step") == true)
        let missingPads = B.model([B.node("Pad", ["x", "p"], ["y"])], initializers: [B.external("p", dims: [8])], outputs: ["y"])
        #expect(B.error(missingPads)?.description.contains("external file") == true)
    }
}

/// A small deterministic generator for the corruption test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
