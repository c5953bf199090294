import FoveaGeometry
import FoveaKernels
import FoveaTensor

/// A 2-D convolution (cross-correlation, as in PyTorch and ONNX) on NCHW input with OIHW
/// weights `[C_out, C_in/groups, kH, kW]`, per-axis stride and dilation, explicit (also
/// asymmetric), `same` or `valid` padding, channel groups (incl. depthwise) and an optional bias.
public struct Conv2D: Module {
    public let name: String
    /// `[C_out, C_in/groups, kH, kW]`.
    public let weight: Tensor
    /// `[C_out]`, or nil for no bias.
    public let bias: Tensor?
    /// Channel groups.
    public let groups: Int
    /// Kernels to run.
    public var implementation: KernelImplementation
    let window: WindowSettings

    /// Creates a convolution; `stride` and `dilation` are (H, W), `padding` as in `FoveaGeometry`
    /// (explicit begin (top, left) and end (bottom, right), `sameUpper`, `sameLower`, `valid`).
    /// - Throws: `LayerError` for a weight that is not rank 4, counts or values out of range,
    ///   output channels not divisible by `groups`, or a bias not shaped `[C_out]`.
    public init(weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1, 1], padding: Padding = .valid,
                dilation: [Int] = [1, 1], groups: Int = 1, name: String = "conv2d",
                implementation: KernelImplementation = .fast) throws {
        guard weight.rank == 4, weight.shape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.shapeMismatch(layer: name, tensor: "weight", expected: "[C_out, C_in/groups, kH, kW] with every size ≥ 1",
                                           actual: weight.shape)
        }
        guard groups >= 1 else {
            throw LayerError.invalidParameter(layer: name, parameter: "groups", detail: "must be at least 1, got \(groups)")
        }
        guard weight.shape[0] % groups == 0 else {
            throw LayerError.invalidParameter(layer: name, parameter: "groups",
                                              detail: "output channels \(weight.shape[0]) are not divisible by groups \(groups)")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw LayerError.shapeMismatch(layer: name, tensor: "bias", expected: "[\(weight.shape[0])]", actual: bias.shape)
        }
        self.window = try WindowSettings(layer: name, kernel: Array(weight.shape[2...]), stride: stride,
                                         dilation: dilation, padding: padding)
        self.name = name
        self.weight = weight
        self.bias = bias
        self.groups = groups
        self.implementation = implementation
    }

    public var stride: [Int] { window.stride }
    public var dilation: [Int] { window.dilation }
    public var padding: Padding { window.padding }

    public var geometry: Layer {
        .convolution(Convolution(window: window.slidingWindow(ceilMode: false), outChannels: weight.shape[0],
                                 groups: groups, bias: bias != nil))
    }

    public var parameters: [Tensor] { bias.map { [weight, $0] } ?? [weight] }

    public func withParameters(_ parameters: [Tensor]) throws -> Conv2D {
        guard parameters.count == self.parameters.count else {
            throw LayerError.invalidParameter(layer: name, parameter: "parameters",
                                              detail: "expected \(self.parameters.count) tensors, got \(parameters.count)")
        }
        guard parameters[0].shape == weight.shape else {
            throw LayerError.shapeMismatch(layer: name, tensor: "weight", expected: "\(weight.shape)", actual: parameters[0].shape)
        }
        return try Conv2D(weight: parameters[0], bias: bias == nil ? nil : parameters[1], stride: stride, padding: padding,
                          dilation: dilation, groups: groups, name: name, implementation: implementation)
    }

    /// The kernel parameters for an NCHW input shape, after checking that the layer can run on it.
    public func kernelParameters(forInput shape: [Int]) throws -> Conv2DParameters {
        try checkImageShape(shape, layer: name)
        let expectedChannels = weight.shape[1] * groups
        guard shape[1] == expectedChannels else {
            throw LayerError.invalidParameter(
                layer: name, parameter: "weight",
                detail: "input has \(shape[1]) channels but the weight expects \(weight.shape[1]) per group × \(groups) groups = \(expectedChannels)")
        }
        let size = Array(shape[2...])
        let (begin, end) = window.resolvedPadding(for: size)
        let p = Conv2DParameters(batch: shape[0], inChannels: shape[1], height: size[0], width: size[1],
                                 outChannels: weight.shape[0], kernelHeight: window.kernel[0], kernelWidth: window.kernel[1],
                                 strideH: stride[0], strideW: stride[1], dilationH: dilation[0], dilationW: dilation[1],
                                 padTop: begin[0], padBottom: end[0], padLeft: begin[1], padRight: end[1], groups: groups)
        try window.checkFits(layer: name, size: size, begin: begin, end: end, outputs: [p.outHeight, p.outWidth])
        return p
    }

    public func outputShape(forInput shape: [Int]) throws -> [Int] {
        let p = try kernelParameters(forInput: shape)
        return [p.batch, p.outChannels, p.outHeight, p.outWidth]
    }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        let p = try kernelParameters(forInput: input.shape)
        let output = switch implementation {
        case .fast: Conv2DKernels.forward(p, input: input.scalars, weight: weight.scalars, bias: bias?.scalars)
        case .reference: ReferenceConv2D.forward(p, input: input.scalars, weight: weight.scalars, bias: bias?.scalars)
        }
        return ForwardPass(input: input, output: makeTensor([p.batch, p.outChannels, p.outHeight, p.outWidth], output))
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        let p = try kernelParameters(forInput: pass.input.shape)
        try checkGradOutput(gradOutput, pass)
        let dx = switch implementation {
        case .fast: Conv2DKernels.backwardInput(p, gradOutput: gradOutput.scalars, weight: weight.scalars)
        case .reference: ReferenceConv2D.backwardInput(p, gradOutput: gradOutput.scalars, weight: weight.scalars)
        }
        return Gradients(input: makeTensor(pass.input.shape, dx), parameters: try parameterGradients(pass, gradOutput: gradOutput))
    }

    public func parameterGradients(_ pass: ForwardPass, gradOutput: Tensor) throws -> [Tensor] {
        let p = try kernelParameters(forInput: pass.input.shape)
        try checkGradOutput(gradOutput, pass)
        let dy = gradOutput.scalars
        let (dw, db): ([Float], [Float]?)
        switch implementation {
        case .fast:
            dw = Conv2DKernels.backwardWeight(p, input: pass.input.scalars, gradOutput: dy)
            db = bias == nil ? nil : Conv2DKernels.backwardBias(p, gradOutput: dy)
        case .reference:
            dw = ReferenceConv2D.backwardWeight(p, input: pass.input.scalars, gradOutput: dy)
            db = bias == nil ? nil : ReferenceConv2D.backwardBias(p, gradOutput: dy)
        }
        var parameters = [makeTensor(weight.shape, dw)]
        if let db { parameters.append(makeTensor([p.outChannels], db)) }
        return parameters
    }
}
