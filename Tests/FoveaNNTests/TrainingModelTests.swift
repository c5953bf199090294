import FoveaGeometry
import FoveaTensor
import Testing
@testable import FoveaNN

/// Small networks for the training tests.
enum TrainingNetworks {
    static func conv(_ out: Int, _ k: Int, padding: Int = 0, bias: Bool = true) -> Layer {
        .convolution(Convolution(window: SlidingWindow(kernel: [k, k], padding: .symmetric([padding, padding])),
                                 outChannels: out, bias: bias))
    }

    static let maxPool2 = Layer.pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [2, 2], stride: [2, 2])))

    /// conv(4, 3×3, pad 1) – relu – maxpool 2 – flatten – linear(classes), on 1×6×6.
    static func tiny(classes: Int = 3) throws -> Network {
        try Network(name: "tiny", inputChannels: 1, inputSize: [6, 6], nodes: [
            Node("conv1", conv(4, 3, padding: 1), inputs: ["input"]),
            Node("relu1", .pointwise("relu"), inputs: ["conv1"]),
            Node("pool1", maxPool2, inputs: ["relu1"]),
            Node("flatten", .flatten, inputs: ["pool1"]),
            Node("fc", .linear(Linear(outFeatures: classes)), inputs: ["flatten"]),
        ])
    }

    /// Two branches merged by add, one by concat, then a linear layer straight on the image tensor.
    static func graph() throws -> Network {
        try Network(name: "graph", inputChannels: 2, inputSize: [5, 5], nodes: [
            Node("stem", conv(3, 3, padding: 1), inputs: ["input"]),
            Node("a", conv(3, 3, padding: 1), inputs: ["stem"]),
            Node("a_relu", .pointwise("relu"), inputs: ["a"]),
            Node("b", conv(3, 1, bias: false), inputs: ["stem"]),
            Node("sum", .add, inputs: ["a_relu", "b", "stem"]),
            Node("c", conv(2, 3, padding: 1), inputs: ["input"]),
            Node("cat", .concat, inputs: ["sum", "c"]),
            Node("id", .pointwise("identity"), inputs: ["cat"]),
            Node("head", .linear(Linear(outFeatures: 4)), inputs: ["id"]),
        ])
    }
}

@Suite struct TrainingModelTests {
    @Test func namesAndShapesFollowPyTorchStateDict() throws {
        var generator = SplitMix64(seed: 1)
        let model = try TrainableModel(network: try TrainingNetworks.tiny(), inputShape: [1, 6, 6], generator: &generator)
        #expect(model.parameterNames == ["conv1.weight", "conv1.bias", "fc.weight", "fc.bias"])
        #expect(model.parameters.map(\.shape) == [[4, 1, 3, 3], [4], [3, 36], [3]])
        #expect(model.classes == 3)
        #expect(model.parameterCount == 36 + 4 + 108 + 3)
    }

    /// Every value lies in `[−1/√fan_in, 1/√fan_in)` and the draws fill that range.
    @Test func defaultInitialisationIsKaimingUniform() throws {
        var generator = SplitMix64(seed: 9)
        let network = try Network(name: "wide", inputChannels: 3, inputSize: [8, 8], nodes: [
            Node("conv", TrainingNetworks.conv(64, 3), inputs: ["input"]),
            Node("fc", .linear(Linear(outFeatures: 50)), inputs: ["conv"]),
        ])
        let model = try TrainableModel(network: network, inputShape: [3, 8, 8], generator: &generator)
        let fanIns = [27, 27, 64 * 36, 64 * 36]
        for (tensor, fanIn) in zip(model.parameters, fanIns) {
            let bound = 1 / Float(fanIn).squareRoot()
            #expect(tensor.scalars.allSatisfy { $0 >= -bound && $0 < bound })
            if tensor.count >= 1000 {
                #expect(tensor.scalars.max()! > 0.99 * bound && tensor.scalars.min()! < -0.99 * bound)
                let mean = tensor.scalars.reduce(0, +) / Float(tensor.count)
                #expect(abs(mean) < 0.05 * bound)
            }
        }
    }

    @Test func sameSeedSameParametersOtherSeedOther() throws {
        func build(_ seed: UInt64) throws -> [Tensor] {
            var generator = SplitMix64(seed: seed)
            return try TrainableModel(network: try TrainingNetworks.tiny(), inputShape: [1, 6, 6], generator: &generator).parameters
        }
        #expect(try build(5) == build(5))
        #expect(try build(5) != build(6))
    }

    /// A sequential model's gradients are those of the same layers run through `Sequential`.
    @Test func sequentialModelMatchesSequentialChain() throws {
        var generator = SplitMix64(seed: 3)
        let model = try TrainableModel(network: try TrainingNetworks.tiny(), inputShape: [1, 6, 6], generator: &generator)
        let p = model.parameters
        let chain = Sequential([
            try Conv2D(weight: p[0], bias: p[1], padding: .symmetric([1, 1])), ReLU(),
            try MaxPool2D(kernel: [2, 2]), Flatten(), try Dense(weight: p[2], bias: p[3]),
        ])
        var data = SplitMix64(seed: 4)
        let x = try Tensor(shape: [2, 1, 6, 6], scalars: (0..<72).map { _ in data.nextUnitFloat() * 2 - 1 })
        let passes = try chain.forward(x)
        let trace = try model.forward(x)
        #expect(trace.output == passes.last?.output)
        let loss = try SoftmaxCrossEntropyLoss().evaluate(logits: trace.output, labels: [0, 2])
        let expected = try chain.backward(passes, gradOutput: loss.gradient).parameters.flatMap { $0 }
        #expect(try model.backward(trace, gradOutput: loss.gradient) == expected)
    }

    /// Add, concat, identity and a linear layer on an image tensor: back-propagated gradients agree
    /// with central differences of the loss.
    @Test func graphGradientsMatchFiniteDifferences() throws {
        var generator = SplitMix64(seed: 11)
        let model = try TrainableModel(network: try TrainingNetworks.graph(), inputShape: [2, 5, 5], generator: &generator)
        #expect(model.parameterNames == ["stem.weight", "stem.bias", "a.weight", "a.bias", "b.weight", "c.weight", "c.bias",
                                         "head.weight", "head.bias"])
        #expect(model.parameters.last?.shape == [4])
        #expect(model.parameters[7].shape == [4, 5 * 25])
        var data = SplitMix64(seed: 12)
        let x = try Tensor(shape: [3, 2, 5, 5], scalars: (0..<150).map { _ in data.nextUnitFloat() * 2 - 1 })
        let labels = [1, 3, 0]
        let trace = try model.forward(x)
        let analytic = try model.backward(trace, gradOutput: try SoftmaxCrossEntropyLoss().evaluate(logits: trace.output, labels: labels).gradient)
        for index in model.parameters.indices {
            let point = model.parameters[index].scalars
            let entries = Array(stride(from: 0, to: point.count, by: max(1, point.count / 12)))
            let numerical = try GradientCheck.numericalGradient(at: point, entries: entries) { values in
                var parameters = model.parameters
                parameters[index].scalars = values
                let logits = try model.withParameters(parameters).logits(x)
                return try SoftmaxCrossEntropyLoss().evaluate(logits: logits, labels: labels).value
            }
            for i in entries {
                #expect(abs(Double(analytic[index].scalars[i]) - numerical[i]) < 2e-3,
                        "\(model.parameterNames[index])[\(i)]: \(analytic[index].scalars[i]) vs \(numerical[i])")
            }
        }
    }

    /// Global average and max pooling pool the whole image: gradients agree with central differences.
    @Test(arguments: [PoolKind.average, .max])
    func globalPoolingGradientsMatchFiniteDifferences(kind: PoolKind) throws {
        let network = try Network(name: "global", inputChannels: 1, inputSize: [5, 4], nodes: [
            Node("conv", TrainingNetworks.conv(3, 3, padding: 1), inputs: ["input"]),
            Node("pool", .globalPooling(kind), inputs: ["conv"]),
            Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["pool"]),
        ])
        var generator = SplitMix64(seed: 5)
        let model = try TrainableModel(network: network, inputShape: [1, 5, 4], generator: &generator)
        #expect(model.parameters[2].shape == [2, 3])
        let x = try Tensor(shape: [2, 1, 5, 4], scalars: (0..<40).map { _ in generator.nextUnitFloat() * 2 - 1 })
        let trace = try model.forward(x)
        let analytic = try model.backward(trace, gradOutput: try SoftmaxCrossEntropyLoss().evaluate(logits: trace.output, labels: [0, 1]).gradient)
        let numerical = try GradientCheck.numericalGradient(at: model.parameters[0].scalars) { values in
            var parameters = model.parameters
            parameters[0].scalars = values
            return try SoftmaxCrossEntropyLoss().evaluate(logits: try model.withParameters(parameters).logits(x), labels: [0, 1]).value
        }
        for (a, n) in zip(analytic[0].scalars, numerical) { #expect(abs(Double(a) - n) < 2e-3) }
    }

    @Test func buildErrorsNameTheNode() throws {
        func message(_ nodes: [Node], inputShape: [Int] = [1, 6, 6]) throws -> String {
            let network = try Network(name: "bad", inputChannels: 1, inputSize: [6, 6], nodes: nodes)
            var generator = SplitMix64(seed: 0)
            do {
                _ = try TrainableModel(network: network, inputShape: inputShape, generator: &generator)
                return "built"
            } catch {
                #expect(!error.description.contains("\n"))
                return error.description
            }
        }
        let fc = Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["bn"])
        #expect(try message([Node("bn", .batchNorm, inputs: ["input"]), fc]).contains("node 'bn': batch normalization has no trainable"))
        #expect(try message([Node("s", .pointwise("sigmoid"), inputs: ["input"]),
                             Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["s"])]).contains("pointwise 'sigmoid'"))
        #expect(try message([Node("c", .convolution(Convolution(window: SlidingWindow(kernel: [3, 3]))), inputs: ["input"]),
                             Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["c"])])
            .contains("node 'c': the number of output channels must be given"))
        #expect(try message([Node("c", TrainingNetworks.conv(2, 7), inputs: ["input"]),
                             Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["c"])]).contains("node 'c': kernel"))
        #expect(try message([Node("c", TrainingNetworks.conv(2, 3), inputs: ["input"])]).contains("classifier ends in [N, classes]"))
        #expect(try message([Node("c", TrainingNetworks.conv(2, 3), inputs: ["input"]),
                             Node("d", TrainingNetworks.conv(2, 3), inputs: ["input"]),
                             Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["c"])])
            .contains("node 'd': does not contribute to the output 'fc'"))
        #expect(try message([Node("c", TrainingNetworks.conv(2, 3), inputs: ["input"]),
                             Node("d", TrainingNetworks.conv(3, 3), inputs: ["input"]),
                             Node("sum", .add, inputs: ["c", "d"]),
                             Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["sum"])]).contains("node 'sum': add needs inputs of one shape"))
        #expect(try message([Node("fc", .linear(Linear(outFeatures: 2)), inputs: ["input"])], inputShape: [3, 6, 6])
            .contains("takes 1×6×6 images"))
    }

    @Test func withParametersChecksCountAndShapes() throws {
        var generator = SplitMix64(seed: 1)
        let model = try TrainableModel(network: try TrainingNetworks.tiny(), inputShape: [1, 6, 6], generator: &generator)
        #expect(throws: ModelError.self) { try model.withParameters(Array(model.parameters.dropLast())) }
        var wrong = model.parameters
        wrong[2] = try Tensor(shape: [36, 3], repeating: 0)
        #expect(throws: ModelError.self) { try model.withParameters(wrong) }
        #expect(throws: ModelError.self) { try model.forward(try Tensor(shape: [1, 1, 5, 5], repeating: 0)) }
    }
}
