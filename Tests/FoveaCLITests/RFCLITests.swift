import Foundation
import Testing

/// `fovea rf` as a user runs it: tables, formats, verification, and one-line errors with exit 2.
@Suite struct RFCLITests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")

    /// Runs `fovea rf …` through the gradient CLI tests' process runner.
    func rf(_ arguments: [String]) throws -> CLITests.Result {
        try CLITests().run(["rf"] + arguments)
    }

    func example(_ name: String) -> String { Self.examples.appendingPathComponent(name).path }

    @Test func zooModelTable() throws {
        let result = try rf(["resnet50"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("resnet50 at 224×224, 3 channels\n"))
        // torchvision resnet50 layer4 output: r 427, S 32, P 213 at 224.
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("layer4.2.relu_2 ") })
        #expect(row.split(separator: " ").contains("427"))
        #expect(result.stdout.contains("16 merges: all aligned"))
    }

    @Test func listShowsModelsWithInputSizes() throws {
        let result = try rf(["--list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("inception_v3 ") && $0.contains("299×299") })
        #expect(lines.contains { $0.hasPrefix("resnet50 ") && $0.contains("224×224") })
    }

    @Test func jsonAtOneNodeWithInputSize() throws {
        let result = try rf([example("known_nonsquare.yaml"), "--at", "conv2", "--input", "20,24", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["input"] as? [String: Any])?["size"] as? [Int] == [20, 24])
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        #expect(layers[0]["receptive_field"] as? [Int] == [7, 5])
        #expect(layers[0]["output_size"] as? [Int] == [4, 5])
    }

    @Test func unitInterval() throws {
        let result = try rf([example("known_aligned.yaml"), "--at", "sum", "--unit", "1,0"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("axis 0 (h): input [3, 5], centre 4, 0 of 3 in padding (0%)"))
        #expect(result.stdout.contains("axis 1 (w): input [-1, 1], centre 0, 1 of 3 in padding (33.3%)"))
    }

    @Test(arguments: ["known_aligned.yaml", "known_nonsquare.yaml", "known_misaligned.yaml"])
    func verifyAgrees(_ file: String) throws {
        let result = try rf([example(file), "--verify"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("agrees ("))
        #expect(!result.stdout.contains("DISAGREES"))
    }

    @Test func verifyInEveryFormat() throws {
        for format in ["json", "csv", "markdown"] {
            let result = try rf(["lenet5", "--verify", "--format", format])
            #expect(result.status == 0, "\(format)")
            #expect(result.stdout.contains("true") || result.stdout.contains("agrees"), "\(format)")
        }
    }

    /// Each bad input: one line on stderr, exit status 2, nothing on stdout.
    @Test func badInputBattery() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        func spec(_ name: String, _ text: String) throws -> String {
            let url = scratch.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
        let cases: [([String], String)] = [
            ([try spec("op.yaml", "input: {size: [8, 8]}\nlayers: [convv]\n")], "op.yaml:2: layers[0]: unknown op 'convv'"),
            ([try spec("cycle.yaml", "input: {size: [8]}\nnodes:\n  a: {op: relu, inputs: b}\n  b: {op: relu, inputs: a}\n")],
             "cycle.yaml:3: cycle: 'a' → 'b' → 'a'"),
            ([try spec("missing.yaml", "input: {size: [8]}\nnodes:\n  a: {op: add, inputs: [input, b]}\n")],
             "missing.yaml:3: node 'a': input 'b' does not exist"),
            ([try spec("negative.yaml", "input: {size: [8]}\nlayers:\n  - conv: -3\n")],
             "negative.yaml:3: node 'conv1': kernel on axis 0 is -3"),
            ([try spec("big.json", "{\"input\": {\"size\": [8]}, \"layers\": [{\"conv\": 5}]}"), "--input", "3"],
             "big.json:1: node 'conv1': effective kernel 5 on axis 0 is larger than the padded input 3 (input 3)"),
            (["resnet05"], "unknown model 'resnet05'; did you mean resnet50"),
            ([scratch.appendingPathComponent("none.yaml").path], "none.yaml: no such file"),
            ([try spec("model.onnx", "")], "model.onnx: invalid model: no opset_import for the default ONNX domain"),
            (["resnet50", "--at", "layer9"], "no node or container 'layer9'"),
            (["resnet50", "--input", "0"], "--input '0'"),
            (["resnet50", "--input", "2,3,4"], "--input '2,3,4'"),
            (["resnet50", "--at", "layer4", "--unit", "7,0"], "unit 7,0 is not a unit of 'layer4.2.relu_2'"),
            (["resnet50", "--input", "16", "--at", "layer4", "--unit", "a"], "--unit 'a'"),
            (["resnet50", "--format", "xml"], "xml"),
            ([], "give a model name or a spec file"),
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
