import FoveaGeometry
import FoveaTensor

/// A tiny forward and backward pass written out term by term: every output as its sum of
/// products, the loss and `∂E/∂o`, then `∂E/∂w`, `∂E/∂b` and `∂E/∂x` of every layer, each entry
/// as the sum of the terms that produce it, which position won each max-pooling window, and which
/// input rows and columns no window reads.
///
/// The numbers are those of Fovea's layers (`Conv2D`, `MaxPool2D`, `AvgPool2D`, `MSELoss`, the
/// same code `fovea grad` runs); the terms are enumerated from the window geometry.
public struct Explanation: Sendable {
    public let problem: ExplainProblem
    public let input: Tensor
    /// Each layer's module, with its weight and bias for convolutions.
    public let modules: [any Module]
    /// Each layer's forward pass (input, output, argmax for max pooling).
    public let passes: [ForwardPass]
    /// The target, shaped like the last output.
    public let target: Tensor
    /// `E = c·Σ(o − y)²` as `fovea grad` writes it to `loss.npy` (float32).
    public let loss: Float
    /// `∂E/∂o` of the last output.
    public let outputGradient: Tensor
    /// `∂E/∂` the input of each layer (index 0: `∂E/∂x`).
    public let inputGradients: [Tensor]
    /// `[∂E/∂w, ∂E/∂b]` of each convolution, empty for pooling.
    public let parameterGradients: [[Tensor]]
    /// The derivation.
    public let document: ExplainDocument

    /// Runs the layers and writes the derivation.
    /// - Throws: `ExplainError` for sizes above the limits (pointing to `fovea grad`), values that
    ///   cannot be read, and configurations the layers reject.
    public init(_ problem: ExplainProblem) throws(ExplainError) {
        self.problem = problem
        let size = try Self.inputSize(problem)
        guard size.count == 2, size.allSatisfy({ $0 >= 1 }) else {
            throw .invalidSize(option: "--input", text: size.map(String.init).joined(separator: "x"))
        }
        let single = problem.layers.count == 1
        let command: String = switch (single, problem.layers.first) {
        case (true, .convolution?): "fovea grad conv2d"
        case (true, .maxPooling?): "fovea grad maxpool2d"
        case (true, .averagePooling?): "fovea grad avgpool2d"
        default: "fovea grad"
        }
        guard size.allSatisfy({ $0 <= ExplainProblem.maximumInputSize }) else {
            throw .tooLarge(what: "input", size: size, limit: ExplainProblem.maximumInputSize, command: command)
        }
        guard problem.layers.count <= ExplainProblem.maximumLayers else {
            throw .tooManyLayers(count: problem.layers.count, limit: ExplainProblem.maximumLayers)
        }
        input = try problem.input.tensor(height: size[0], width: size[1], option: "--values")

        var modules: [any Module] = []
        var windows: [ExplainWriter.Window] = []
        var passes: [ForwardPass] = []
        var current = input
        for (index, layer) in problem.layers.enumerated() {
            let number = index + 1
            let module: any Module
            do {
                switch layer {
                case let .convolution(kernel, stride, padding, weight, bias):
                    try Self.checkKernel(kernel, command: command)
                    let w = try weight.tensor(height: kernel[0], width: kernel[1], option: single ? "--weight" : "layer \(number) weight")
                    let b = try bias.tensor(height: 1, width: 1, option: single ? "--bias" : "layer \(number) bias")
                    module = try Conv2D(weight: w, bias: try b.reshaped(to: [1]), stride: stride, padding: padding,
                                        name: "conv2d")
                case let .maxPooling(kernel, stride, padding):
                    try Self.checkKernel(kernel, command: command)
                    module = try MaxPool2D(kernel: kernel, stride: stride, padding: padding)
                case let .averagePooling(kernel, stride, padding, countIncludePad):
                    try Self.checkKernel(kernel, command: command)
                    module = try AvgPool2D(kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
                }
                let pass = try module.forward(current)
                windows.append(try ExplainWriter.Window.of(module, input: current.shape))
                modules.append(module)
                passes.append(pass)
                current = pass.output
            } catch let error as ExplainError {
                throw error
            } catch {
                throw .layer(index: number, description: "\(error)")
            }
        }
        self.modules = modules
        self.passes = passes
        target = try problem.target.tensor(height: current.shape[2], width: current.shape[3], option: "--target")
        var gradients: [Tensor] = []
        var parameters: [[Tensor]] = []
        do {
            let value = try MSELoss(reduction: problem.reduction).evaluate(output: current, target: target)
            loss = Float(value.value)
            outputGradient = value.gradient
            var gradient = value.gradient
            for index in modules.indices.reversed() {
                let result = try modules[index].backward(passes[index], gradOutput: gradient)
                gradients.insert(result.input, at: 0)
                parameters.insert(result.parameters, at: 0)
                gradient = result.input
            }
        } catch {
            throw .layer(index: modules.count, description: "\(error)")
        }
        inputGradients = gradients
        parameterGradients = parameters
        var writer = ExplainWriter(problem: problem, input: input, modules: modules, windows: windows, passes: passes, target: target,
                                   loss: loss, outputGradient: outputGradient, inputGradients: gradients,
                                   parameterGradients: parameters)
        document = writer.document()
    }

    /// The derivation in `format`.
    public func rendered(as format: ExplainFormat) -> String { document.rendered(as: format) }

    private static func inputSize(_ problem: ExplainProblem) throws(ExplainError) -> [Int] {
        let fromFile = try problem.input.fileSize(option: "--values")
        switch (problem.inputSize, fromFile) {
        case let (given?, file?) where given != file: throw .inputSizeMismatch(given: given, file: file)
        case let (given?, _): return given
        case let (nil, file?): return file
        case (nil, nil): throw .missingInputSize
        }
    }

    private static func checkKernel(_ kernel: [Int], command: String) throws(ExplainError) {
        guard kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            throw .invalidSize(option: "--kernel", text: kernel.map(String.init).joined(separator: "x"))
        }
        guard kernel.allSatisfy({ $0 <= ExplainProblem.maximumKernelSize }) else {
            throw .tooLarge(what: "kernel", size: kernel, limit: ExplainProblem.maximumKernelSize, command: command)
        }
    }
}
