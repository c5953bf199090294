import Foundation
import Testing

/// `fovea rf model.onnx`: the torchvision exports against PyTorch's truths and the zoo, the
/// outputs listing, assumed-pointwise operators, symbolic input sizes, verification, and
/// one-line errors with exit status 2.
@Suite struct ONNXCLITests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let exports = tests.appendingPathComponent("FoveaModelsTests/Fixtures/onnx")
    /// Made by scripts/onnx/make_cli_fixtures.py: symbolic [batch, 3, height, width] input and a
    /// com.example.FancyAct activation; receptive fields derived by hand in that script.
    static let customOp = tests.appendingPathComponent("FoveaCLITests/Fixtures/custom_op.onnx").path

    struct Endpoint: Decodable {
        let endpoint: String
        let onnx_output: String
        let rf: [Int]
        let stride: [Int]
        let padding: [Int]
        let shape_at_onnx_input: [Int]
    }
    struct Model: Decodable { let endpoints: [Endpoint] }
    struct Truth: Decodable { let models: [String: Model] }

    /// The gradient-method truths of shared/fixtures/rf (a copy beside the model tests).
    static let truth: Result<Truth, any Error> = Result {
        let url = tests.appendingPathComponent("FoveaModelsTests/Fixtures/torchvision_rf_truth.json")
        return try JSONDecoder().decode(Truth.self, from: Data(contentsOf: url))
    }

    func rf(_ arguments: [String]) throws -> CLITests.Result {
        try CLITests().run(["rf"] + arguments)
    }

    func export(_ name: String) -> String { Self.exports.appendingPathComponent("\(name).onnx").path }

    /// The JSON report of a successful run.
    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try rf(arguments + ["--format", "json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The only layer of a `--at` JSON report.
    func layer(_ arguments: [String]) throws -> [String: Any] {
        let layers = try #require(try json(arguments)["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        return try #require(layers.first)
    }

    @Test(arguments: ["alexnet", "vgg16", "resnet18", "googlenet", "mobilenet_v2"])
    func torchvisionTruthAtEveryEndpoint(_ name: String) throws {
        let model = try #require(try Self.truth.get().models[name])
        #expect(!model.endpoints.isEmpty)
        for endpoint in model.endpoints {
            let object = try json([export(name), "--at", endpoint.onnx_output])
            #expect(object["model"] as? String == name)
            #expect((object["input"] as? [String: Any])?["size"] as? [Int] == [224, 224])
            #expect(object["assumptions"] as? [Any] != nil, "the key is present for ONNX models")
            let layers = try #require(object["layers"] as? [[String: Any]])
            let layer = try #require(layers.first)
            let label = "\(name) \(endpoint.endpoint)"
            #expect(layer["name"] as? String == endpoint.onnx_output, "\(label)")
            #expect(layer["output_size"] as? [Int] == Array(endpoint.shape_at_onnx_input[2...]), "\(label)")
            #expect(layer["channels"] as? Int == endpoint.shape_at_onnx_input[1], "\(label)")
            #expect(layer["receptive_field"] as? [Int] == endpoint.rf, "\(label)")
            #expect(layer["effective_stride"] as? [Int] == endpoint.stride, "\(label)")
            #expect(layer["effective_padding"] as? [Int] == endpoint.padding, "\(label)")
        }
    }

    @Test(arguments: ["resnet18", "googlenet", "mobilenet_v2"])
    func zooAndONNXReportTheSameNumbers(_ name: String) throws {
        let model = try #require(try Self.truth.get().models[name])
        for endpoint in model.endpoints {
            let zoo = try layer([name, "--at", endpoint.endpoint, "--input", "224"])
            let onnx = try layer([export(name), "--at", endpoint.onnx_output])
            for key in ["output_size", "receptive_field", "effective_stride", "effective_padding"] {
                let a = try #require(zoo[key] as? [Double], "\(name) \(endpoint.endpoint) zoo \(key)")
                let b = try #require(onnx[key] as? [Double], "\(name) \(endpoint.endpoint) onnx \(key)")
                #expect(a == b, "\(name) \(endpoint.endpoint) \(key)")
            }
            #expect(zoo["channels"] as? Int == onnx["channels"] as? Int, "\(name) \(endpoint.endpoint)")
        }
    }

    @Test func listOutputsTableAndJSON() throws {
        let model = try #require(try Self.truth.get().models["resnet18"])
        let table = try rf([export("resnet18"), "--list-outputs"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "resnet18: input 'input' 1×3×224×224 (declared 1×3×224×224), opset 17, 6 outputs")
        #expect(lines.contains { $0.hasPrefix("logits ") && $0.hasSuffix("1×1000") })
        for endpoint in model.endpoints {
            let shape = endpoint.shape_at_onnx_input.map(String.init).joined(separator: "×")
            let row = try #require(lines.first { $0.hasPrefix(endpoint.onnx_output + " ") }, "\(endpoint.onnx_output)")
            let cells = row.split(separator: " ").map(String.init)
            #expect(cells == [endpoint.onnx_output, endpoint.onnx_output, shape, shape])
        }

        let object = try json([export("resnet18"), "--list-outputs"])
        #expect(object["model"] as? String == "resnet18")
        let outputs = try #require(object["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["name"] as? String } == ["logits", "maxpool", "layer1", "layer2", "layer3", "layer4"])
        for endpoint in model.endpoints {
            let output = try #require(outputs.first { $0["name"] as? String == endpoint.onnx_output })
            #expect(output["shape"] as? [Int] == endpoint.shape_at_onnx_input)
            #expect(output["declared_shape"] as? [Int] == endpoint.shape_at_onnx_input)
        }
    }

    @Test func listOutputsResolvesSymbolicDimensions() throws {
        let object = try json([Self.customOp, "--list-outputs", "--input", "32,40", "--assume-pointwise", "com.example.FancyAct"])
        let input = try #require(object["input"] as? [String: Any])
        #expect(input["name"] as? String == "image")
        #expect(input["shape"] as? [Int] == [1, 3, 32, 40])
        let declared = try #require(input["declared_shape"] as? [Any])
        #expect(declared.map { "\($0)" } == ["batch", "3", "height", "width"])
        let outputs = try #require(object["outputs"] as? [[String: Any]])
        // Conv 3×3 s2 p1: ⌊(32 + 2 − 3)/2⌋ + 1 = 16, ⌊(40 + 2 − 3)/2⌋ + 1 = 20; 2×2 pool halves that.
        #expect(outputs.map { $0["shape"] as? [Int] } == [[1, 8, 16, 20], [1, 8, 8, 10]])
        let assumptions = try #require(object["assumptions"] as? [[String: Any]])
        #expect(assumptions.first?["nodes"] as? [String] == ["act1", "act2"])
        let csv = try rf([Self.customOp, "--list-outputs", "--input", "32", "--assume-pointwise", "FancyAct", "--format", "csv"])
        #expect(csv.stdout == "output,node,declared,shape\nact1,act1,batch×8×?×?,1×8×16×16\n"
                + "pool,pool,batch×8×pooled_h×pooled_w,1×8×8×8\n\nassumed_pointwise,node,onnx_node\n"
                + "FancyAct,act1,fancy1\nFancyAct,act2,fancy2\n")
    }

    @Test func unknownOperatorNeedsAssumePointwise() throws {
        let refused = try rf([Self.customOp, "--input", "32"])
        #expect(refused.status == 2 && refused.stdout.isEmpty)
        #expect(refused.stderr.filter { $0 == "\n" }.count == 1)
        for part in ["com.example.FancyAct", "'fancy1'", "'act1'", "--assume-pointwise com.example.FancyAct"] {
            #expect(refused.stderr.contains(part), "\(part): \(refused.stderr)")
        }

        // Hand derivation (scripts/onnx/make_cli_fixtures.py): act1 r 3 S 2 P 1, pool r 9 S 4 P 3.
        let table = try rf([Self.customOp, "--input", "32", "--assume-pointwise", "com.example.FancyAct"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first { $0.hasPrefix("act1 ") }?.split(separator: " ").suffix(3) == ["3", "2", "1"])
        #expect(lines.first { $0.hasPrefix("pool ") }?.split(separator: " ").suffix(3) == ["9", "4", "3"])
        #expect(lines.contains("assumed element-wise (--assume-pointwise): com.example.FancyAct → act1, act2"))

        // Repeated and comma-separated forms; an operator the graph does not have is reported as such.
        for form in [["--assume-pointwise", "FancyAct", "--assume-pointwise", "Gelu"], ["--assume-pointwise", "Gelu,FancyAct"]] {
            let object = try json([Self.customOp, "--input", "32", "--at", "pool"] + form)
            let assumptions = try #require(object["assumptions"] as? [[String: Any]])
            #expect(assumptions.map { $0["op"] as? String } == ["FancyAct", "Gelu"])
            #expect(assumptions.map { $0["nodes"] as? [String] } == [["act1", "act2"], []])
            #expect(assumptions.first?["onnx_nodes"] as? [String] == ["fancy1", "fancy2"])
            let layer = try #require((object["layers"] as? [[String: Any]])?.first)
            #expect(layer["receptive_field"] as? [Int] == [9, 9])
        }
        let csv = try rf([Self.customOp, "--input", "32", "--assume-pointwise", "FancyAct", "--format", "csv"])
        #expect(csv.stdout.contains("assumed_pointwise,node,onnx_node\nFancyAct,act1,fancy1\nFancyAct,act2,fancy2\n"))
        let markdown = try rf([Self.customOp, "--input", "32", "--assume-pointwise", "FancyAct", "--format", "markdown"])
        #expect(markdown.stdout.contains("assumed element-wise (--assume-pointwise): FancyAct → act1, act2"))
    }

    @Test func atAcceptsTensorAndNodeNames() throws {
        // The graph input tensor 'image' is the network's `input` node; 'act2' is a node and a tensor.
        // act2 = conv1 (3×3 s2 p1) then conv2 (3×3 p1): r 7, S 2, P 3, so unit (0, 15) sees [−3, 3] × [27, 33].
        let act2 = try json([Self.customOp, "--input", "32", "--assume-pointwise", "FancyAct", "--at", "act2", "--unit", "0,15"])
        #expect((act2["layers"] as? [[String: Any]])?.first?["receptive_field"] as? [Int] == [7, 7])
        #expect((act2["unit"] as? [String: Any])?["interval"] as? [[Int]] == [[-3, 3], [27, 33]])
        let unit = try json([Self.customOp, "--input", "32", "--assume-pointwise", "FancyAct", "--at", "image", "--unit", "3,4"])
        #expect((unit["unit"] as? [String: Any])?["node"] as? String == "input")
        #expect((unit["unit"] as? [String: Any])?["interval"] as? [[Int]] == [[3, 3], [4, 4]])
    }

    @Test func verifyOnONNXModels() throws {
        let custom = try rf([Self.customOp, "--input", "24,20", "--assume-pointwise", "FancyAct", "--verify"])
        #expect(custom.status == 0, "\(custom.stderr)")
        #expect(custom.stdout.contains("verification of pool"))
        #expect(custom.stdout.contains("agrees ("))
        #expect(!custom.stdout.contains("DISAGREES"))
        let object = try json([export("resnet18"), "--at", "layer4", "--verify"])
        #expect((object["verification"] as? [String: Any])?["passed"] as? Bool == true)
    }

    /// Each bad input: one line on stderr, exit status 2, nothing on stdout.
    @Test func badInputBattery() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        func file(_ name: String, _ bytes: Data) throws -> String {
            let url = scratch.appendingPathComponent(name)
            try bytes.write(to: url)
            return url.path
        }
        let resnet = try Data(contentsOf: URL(fileURLWithPath: export("resnet18")))
        let cases: [([String], String)] = [
            ([try file("truncated.onnx", resnet.prefix(resnet.count / 2))], "truncated.onnx: not a valid ONNX protobuf"),
            ([try file("empty.onnx", Data())], "empty.onnx: invalid model"),
            ([try file("text.onnx", Data("not a model\n".utf8))], "text.onnx: not a valid ONNX protobuf"),
            ([scratch.appendingPathComponent("none.onnx").path], "none.onnx: cannot read: no such file"),
            ([Self.customOp, "--assume-pointwise", "FancyAct"], "spatial dimension 2 is 'height'; give the input size (--input H,W)"),
            ([export("resnet18"), "--input", "2,3,4"], "input size has 3 values, the input has 2 spatial axes"),
            ([export("resnet18"), "--input", "0"], "--input '0': expected N or one value per spatial axis (H,W)"),
            ([export("resnet18"), "--input", "6x4"], "--input '6x4'"),
            ([export("resnet18"), "--at", "layer9"], "no node or container 'layer9'"),
            ([export("resnet18"), "--assume-pointwise", "Gelu,"], "--assume-pointwise 'Gelu,'"),
            ([export("resnet18"), "--list-outputs", "--at", "layer4"], "--list-outputs takes no --at"),
            (["resnet18", "--list-outputs"], "--list-outputs applies to .onnx models only"),
            (["resnet18", "--assume-pointwise", "Gelu"], "--assume-pointwise applies to .onnx models only"),
        ]
        for (arguments, message) in cases {
            let result = try rf(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("fovea: error: "), "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(arguments)")
        }
    }
}
