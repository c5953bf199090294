@testable import FoveaModels
import Testing

/// Bad specs: one error naming the file, the line, the field (or node) and the problem.
@Suite struct SpecErrorTests {
    /// A two-axis header followed by `body`.
    static func spec(_ body: String) -> String { "input: {size: [8, 8]}\n" + body }

    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let line: Int?
        let field: String?
        let message: String
        var description: String { message }
    }

    static let cases: [Case] = [
        Case(text: spec("layers:\n  - conv: {kernel: 3}\n  - convv: {kernel: 3}\n"), line: 4, field: "layers[1].convv",
             message: "unknown op 'convv'"),
        Case(text: spec("layers:\n  - conv: {kernel: 3, strid: 2}\n"), line: 3, field: "layers[0].conv.strid",
             message: "unknown key 'strid' (allowed: name, inputs, kernel, stride,"),
        Case(text: spec("layers:\n  - conv: {kernel: \"3\"}\n"), line: 3, field: "layers[0].conv.kernel",
             message: "expected an integer, got the text '3'"),
        Case(text: spec("layers:\n  - conv: {kernel: 2.5}\n"), line: 3, field: "layers[0].conv.kernel",
             message: "expected an integer, got the number 2.5"),
        Case(text: spec("layers:\n  - conv: {kernel: [3, 3, 3]}\n"), line: 3, field: "layers[0].conv.kernel",
             message: "has 3 entries; the network has 2 spatial axes"),
        Case(text: spec("layers:\n  - conv: {stride: 2}\n"), line: 3, field: "layers[0].conv",
             message: "missing parameter 'kernel'"),
        Case(text: spec("layers:\n  - conv: {kernel: 3, padding: half}\n"), line: 3, field: "layers[0].conv.padding",
             message: "unknown padding 'half'"),
        Case(text: spec("layers:\n  - flatten: 3\n"), line: 3, field: "layers[0].flatten",
             message: "'flatten' takes no value"),
        Case(text: spec("layers:\n  - {conv: {kernel: 3}, relu: null}\n"), line: 3, field: "layers[0]",
             message: "a layer is an operation name"),
        Case(text: spec("layers:\n  - resize: {scale: 2, size: 4}\n"), line: 3, field: "layers[0].resize.size",
             message: "either 'scale' or 'size'"),
        Case(text: spec("layers:\n  - resize: {scale: 2, mode: area}\n"), line: 3, field: "layers[0].resize.mode",
             message: "unknown resize mode 'area'"),
        Case(text: spec("nodes:\n  a: {op: conv, kernel: 1, inputs: input}\n  s: {op: add, inputs: [a, b]}\n"), line: 4,
             field: nil, message: "node 's': input 'b' does not exist"),
        Case(text: spec("nodes:\n  a: {op: relu, inputs: c}\n  b: {op: relu, inputs: a}\n  c: {op: relu, inputs: b}\n"),
             line: 3, field: nil, message: "cycle: 'a' → 'b' → 'c' → 'a'"),
        Case(text: spec("layers:\n  - add\n"), line: 3, field: nil, message: "node 'add1': takes at least 2 input(s), got 1"),
        Case(text: spec("layers:\n  - relu\n  - relu: {name: relu1}\n"), line: 4, field: "layers[1].relu.name",
             message: "duplicate node name 'relu1' (first defined on line 3)"),
        Case(text: spec("layers:\n  - relu: {name: input}\n"), line: 3, field: "layers[0].relu.name",
             message: "'input' is the network input"),
        Case(text: spec("layers: [relu]\noutputs: [nope]\n"), line: 3, field: nil, message: "output 'nope' is not a node"),
        Case(text: spec("layers: [relu]\nnodes: {a: relu}\n"), line: 3, field: "nodes", message: "not both"),
        Case(text: spec("layers: []\n"), line: 1, field: nil, message: "the network has no layers"),
        Case(text: spec("layer: [relu]\n"), line: 1, field: nil, message: "missing 'layers'"),
        Case(text: "input: {size: 8}\nlayers: [relu]\n", line: 1, field: "input.size", message: "expected a list"),
        Case(text: "input: {size: [8], chanels: 3}\nlayers: [relu]\n", line: 1, field: "input.chanels",
             message: "unknown key 'chanels'"),
        Case(text: spec("layers:\n  - conv: {kernel: 3\n"), line: 4, field: nil, message: "not valid YAML/JSON"),
        Case(text: "", line: nil, field: nil, message: "the file is empty"),
    ]

    @Test(arguments: cases) func parsingFails(_ bad: Case) throws {
        let error = try #require(SpecSupport.error(bad.text))
        #expect(error.file == "net.yaml")
        #expect(error.line == bad.line)
        #expect(error.field == bad.field)
        #expect(error.message.contains(bad.message), "\(error.message)")
        #expect(!error.description.contains("\n"))
    }

    /// Values are checked by the analysis at the input size in use; the error names the node's line.
    @Test(arguments: [
        ("layers:\n  - conv: {kernel: [3, -1]}\n", [8, 8], 3, "node 'conv1': kernel on axis 1 is -1; must be at least 1"),
        ("layers:\n  - conv: {kernel: 3, padding: -1}\n", [8, 8], 3, "node 'conv1': padding begin on axis 0 is -1"),
        ("layers:\n  - relu\n  - conv: {kernel: 3, stride: 2}\n  - conv: 5\n", [8, 8], 5,
         "node 'conv2': effective kernel 5 on axis 0 is larger than the padded input 3 (input 8×8)"),
        ("layers:\n  - conv: 3\n", [2, 8], 3, "node 'conv1': effective kernel 3 on axis 0 is larger than the padded input 2 (input 2×8)"),
        ("layers:\n  - crop: 4\n", [8, 8], 3, "node 'crop1': output size on axis 0 would be 0"),
    ] as [(String, [Int], Int, String)])
    func analysisFails(_ body: String, size: [Int], line: Int, message: String) throws {
        let spec = try SpecSupport.parse(Self.spec(body))
        let error = try #require(throws: SpecError.self) { try spec.geometry(inputSize: size) }
        #expect(error.line == line)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func negativeInputSizeNamesTheInputLine() throws {
        let spec = try SpecSupport.parse("name: n\ninput: {size: [8, -8]}\nlayers: [relu]\n")
        let error = try #require(throws: SpecError.self) { try spec.geometry() }
        #expect(error.line == 2)
        #expect(error.message == "input size [8, -8]: expected 2 sizes of at least 1")
    }

    @Test func duplicateKeysAreNamed() throws {
        let error = try #require(SpecSupport.error(Self.spec("layers:\n  - relu\nlayers: []\n")))
        #expect(error.message == "duplicate key 'layers'")
        #expect(error.line != nil)
    }

    @Test func missingFileIsOneLine() throws {
        let error = try #require(throws: SpecError.self) { try SpecFile.load(path: "/nonexistent/net.yaml") }
        #expect(error.description == "/nonexistent/net.yaml: no such file")
    }
}
