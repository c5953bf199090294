import Foundation

/// Reference data for the zoo tests, read from `Fixtures/` beside this file.
enum ZooFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func load<T: Decodable>(_ type: T.Type, _ file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
    }

    /// `zoo_torchvision_facts.json` (scripts/zoo/torchvision_facts.py).
    static let facts: Result<TorchvisionFacts, any Error> = Result {
        try load(TorchvisionFacts.self, "zoo_torchvision_facts.json")
    }

    /// `torchvision_rf_truth.json` (shared fixture) and `zoo_rf_truth.json` (scripts/zoo/rf_truth.py).
    static let sharedTruth: Result<ReceptiveFieldTruth, any Error> = Result {
        try load(ReceptiveFieldTruth.self, "torchvision_rf_truth.json")
    }
    static let zooTruth: Result<ReceptiveFieldTruth, any Error> = Result {
        try load(ReceptiveFieldTruth.self, "zoo_rf_truth.json")
    }

    /// `slim_published_rf.json`: the TF-Slim rows of the receptive_field library's table.
    static let slimPublished: Result<SlimPublished, any Error> = Result {
        try load(SlimPublished.self, "slim_published_rf.json")
    }
}

/// What PyTorch says about each torchvision model at its default input size.
struct TorchvisionFacts: Decodable {
    struct Model: Decodable {
        let inputSize: [Int]
        let parameters: Int
        /// Parameters of modules Fovea treats as pointwise (layer norm, layer scale), by class.
        let otherParameters: [String: Int]
        let outputShape: [Int]
        let nodes: [TracedNode]

        enum CodingKeys: String, CodingKey {
            case inputSize = "input_size", parameters, otherParameters = "other_parameters"
            case outputShape = "output_shape", nodes
        }
    }

    /// One traced operation: qualified name, PyTorch op, output shape `[C, H, W]` or `[F]`.
    struct TracedNode: Decodable {
        let name: String
        let op: String
        let shape: [Int]

        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            name = try c.decode(String.self)
            op = try c.decode(String.self)
            shape = try c.decode([Int].self)
        }
    }

    let models: [String: Model]
}

/// Receptive fields measured in PyTorch by the gradient method, per axis `[h, w]`.
struct ReceptiveFieldTruth: Decodable {
    struct Endpoint: Decodable {
        let endpoint: String
        let rf: [Int]
        let stride: [Int]
        let padding: [Int]
    }
    struct Model: Decodable {
        let endpoints: [Endpoint]
    }
    let models: [String: Model]
}

/// Published TF-Slim receptive fields: rows `[model, input side, endpoint, r, S, P]`.
struct SlimPublished: Decodable {
    struct Row: Decodable {
        let model: String
        let resolution: Int
        let endpoint: String
        let rf: Int
        let stride: Int
        let padding: Int

        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            model = try c.decode(String.self)
            resolution = try c.decode(Int.self)
            endpoint = try c.decode(String.self)
            rf = try c.decode(Int.self)
            stride = try c.decode(Int.self)
            padding = try c.decode(Int.self)
        }
    }
    let rows: [Row]
}
