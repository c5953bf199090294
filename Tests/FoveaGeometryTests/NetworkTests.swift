import Testing
@testable import FoveaGeometry

@Suite struct NetworkTests {
    let conv = Layer.convolution(Convolution(window: SlidingWindow(kernel: [3, 3])))

    @Test func ordersNodesTopologically() throws {
        let net = try Network(name: "n", inputSize: [8, 8], nodes: [
            Node("b", conv, inputs: ["a"]),
            Node("a", conv, inputs: ["input"]),
        ])
        #expect(net.nodes.map(\.name) == ["a", "b"])
        #expect(net.outputs == ["b"])
    }

    @Test func rejectsCyclesAndMissingInputs() {
        #expect(throws: NetworkError.cycle(node: "a")) {
            try Network(name: "n", inputSize: [8], nodes: [
                Node("a", conv, inputs: ["b"]), Node("b", conv, inputs: ["a"]),
            ])
        }
        #expect(throws: NetworkError.missingInput(node: "a", input: "zz")) {
            try Network(name: "n", inputSize: [8], nodes: [Node("a", conv, inputs: ["zz"])])
        }
        #expect(throws: NetworkError.duplicateName("a")) {
            try Network(name: "n", inputSize: [8], nodes: [
                Node("a", conv, inputs: ["input"]), Node("a", conv, inputs: ["input"]),
            ])
        }
    }

    @Test func resolvesContainerPrefixes() throws {
        let net = try Network(name: "n", inputSize: [8, 8], nodes: [
            Node("layer1.0.conv1", conv, inputs: ["input"]),
            Node("layer1.0.relu", .pointwise("relu"), inputs: ["layer1.0.conv1"]),
            Node("layer10.conv", conv, inputs: ["layer1.0.relu"]),
        ])
        #expect(net.resolve(endpoint: "layer1") == "layer1.0.relu")
        #expect(net.resolve(endpoint: "layer1.0.conv1") == "layer1.0.conv1")
        #expect(net.resolve(endpoint: "layer2") == nil)
    }
}
