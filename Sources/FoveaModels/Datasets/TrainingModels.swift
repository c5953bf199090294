import FoveaGeometry

/// The networks `fovea train` can name, besides spec files: `lenet_digits`, a LeNet-style
/// network sized for the built-in 8×8 digits.
public enum TrainingModels {
    /// The default model for 1×8×8 images.
    public static let leNetDigitsName = "lenet_digits"

    /// LeNet-5's layer sequence and names (as in the zoo's `lenet5`) with 3×3 convolutions
    /// (padding 1), so that it fits 1×8×8 images, and twice the usual channels (16, 32), which the
    /// small images afford: conv1 16@3×3 – relu1 – pool1 2×2 → 16×4×4 – conv2 32@3×3 – relu2 –
    /// pool2 2×2 → 32×2×2 – flatten (128) – fc1 120 – relu3 – fc2 84 – relu4 – fc3 10;
    /// 31,294 parameters.
    public static func leNetDigits() throws -> Network {
        func conv(_ out: Int) -> Layer {
            .convolution(Convolution(window: SlidingWindow(kernel: [3, 3], padding: .symmetric([1, 1])), outChannels: out))
        }
        let pool = Layer.pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [2, 2], stride: [2, 2])))
        return try Network(name: leNetDigitsName, inputChannels: 1, inputSize: [8, 8], nodes: [
            Node("conv1", conv(16), inputs: [Network.inputName]),
            Node("relu1", .pointwise("relu"), inputs: ["conv1"]),
            Node("pool1", pool, inputs: ["relu1"]),
            Node("conv2", conv(32), inputs: ["pool1"]),
            Node("relu2", .pointwise("relu"), inputs: ["conv2"]),
            Node("pool2", pool, inputs: ["relu2"]),
            Node("flatten", .flatten, inputs: ["pool2"]),
            Node("fc1", .linear(Linear(outFeatures: 120)), inputs: ["flatten"]),
            Node("relu3", .pointwise("relu"), inputs: ["fc1"]),
            Node("fc2", .linear(Linear(outFeatures: 84)), inputs: ["relu3"]),
            Node("relu4", .pointwise("relu"), inputs: ["fc2"]),
            Node("fc3", .linear(Linear(outFeatures: 10)), inputs: ["relu4"]),
        ])
    }
}

extension TrainingModels {
    /// The network of a built-in name, or of a spec file whose text is `spec`.
    public static func network(named name: String, spec: String?) throws -> Network {
        if name == leNetDigitsName { return try leNetDigits() }
        throw TrainingModelError.unknownModel(name)
    }

    /// The text of the spec file `name` names, or nil for a built-in model.
    public static func specText(for name: String) throws -> String? {
        if name == leNetDigitsName { return nil }
        throw TrainingModelError.unknownModel(name)
    }
}

/// A model name that is neither built in nor a readable spec file.
public enum TrainingModelError: Error, Equatable, CustomStringConvertible {
    case unknownModel(String)

    public var description: String {
        switch self {
        case .unknownModel(let name): return "--model: unknown model '\(name)' (built in: \(TrainingModels.leNetDigitsName))"
        }
    }
}
