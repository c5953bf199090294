import Foundation
import Testing
import FoveaGeometry
@testable import FoveaModels

/// The small fixtures made by scripts/onnx/make_fixtures.py: every graph output's shape must be
/// the one PyTorch's forward pass (or the hand computation, checked with onnx.reference) gave.
@Suite struct ONNXFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx/extra")

    struct Field: Decodable { let rf: [Int]; let stride: [Int]; let padding: [Int]; let holes: [Int] }
    struct Expected: Decodable {
        let opset: Int
        let input: [Int]
        let outputs: [String: [Int]]
        let receptive_fields: [String: Field]?
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    static func load(_ name: String, options: ONNXModel.Options = .init()) throws -> ONNXModel {
        try ONNXModel(contentsOf: directory.appendingPathComponent("\(name).onnx"), options: options)
    }

    static let all: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func fixturesArePresent() {
        #expect(Self.all.count >= 20)
    }

    @Test(arguments: all)
    func outputShapesMatch(_ name: String) throws {
        let truth = try Self.expected(name)
        let model = try Self.load(name)
        #expect(model.opsetVersion == truth.opset)
        #expect(model.input.shape == truth.input)
        #expect(model.network.inputSize == Array(truth.input[2...]))
        for (output, shape) in truth.outputs {
            let found = try #require(model.outputs.first { $0.name == output }, "\(name): no output \(output)")
            #expect(found.shape == shape, "\(name): \(output)")
            #expect(found.nodeName != nil)
        }
    }
}
