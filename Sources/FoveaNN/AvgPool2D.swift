import FoveaGeometry
import FoveaKernels
import FoveaTensor

/// 2-D average pooling on NCHW input. Padding adds zeros to the sum; with `countIncludePad` the
/// divisor counts the window clipped to the input plus padding (in ceil mode a window may
/// overhang the end padding, and those taps do not count), otherwise only the input elements.
public struct AvgPool2D: Module {
    public let name: String
    public let ceilMode: Bool
    public let countIncludePad: Bool
    public var implementation: KernelImplementation
    let window: WindowSettings

    /// Creates an average pooling layer; `kernel` and `stride` (default: the kernel) are (H, W).
    /// Padding on every side must be at most half the kernel, as in PyTorch.
    public init(kernel: [Int], stride: [Int]? = nil, padding: Padding = .valid, ceilMode: Bool = false,
                countIncludePad: Bool = true, name: String = "avgpool2d",
                implementation: KernelImplementation = .fast) throws {
        window = try WindowSettings(layer: name, kernel: kernel, stride: stride ?? kernel, dilation: [1, 1], padding: padding)
        if case let .explicit(begin, end) = padding {
            try window.checkPoolPadding(layer: name, begin: begin, end: end)
        }
        self.name = name
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.implementation = implementation
    }

    public var kernel: [Int] { window.kernel }
    public var stride: [Int] { window.stride }
    public var padding: Padding { window.padding }

    public var geometry: Layer {
        .pooling(Pooling(kind: .average, window: window.slidingWindow(ceilMode: ceilMode), countIncludePad: countIncludePad))
    }

    /// The kernel parameters for an NCHW input shape, after checking that the layer can run on it.
    public func kernelParameters(forInput shape: [Int]) throws -> Pool2DParameters {
        try poolParameters(window, ceilMode: ceilMode, layer: name, shape: shape)
    }

    public func outputShape(forInput shape: [Int]) throws -> [Int] {
        let p = try kernelParameters(forInput: shape)
        return [shape[0], shape[1], p.outHeight, p.outWidth]
    }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        let p = try kernelParameters(forInput: input.shape)
        let output = switch implementation {
        case .fast: Pool2DKernels.averageForward(p, input: input.scalars, countIncludePad: countIncludePad)
        case .reference: ReferencePool2D.averageForward(p, input: input.scalars, countIncludePad: countIncludePad)
        }
        return ForwardPass(input: input, output: makeTensor([input.shape[0], input.shape[1], p.outHeight, p.outWidth], output))
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        let p = try kernelParameters(forInput: pass.input.shape)
        try checkGradOutput(gradOutput, pass)
        let dx = switch implementation {
        case .fast: Pool2DKernels.averageBackward(p, gradOutput: gradOutput.scalars, countIncludePad: countIncludePad)
        case .reference: ReferencePool2D.averageBackward(p, gradOutput: gradOutput.scalars, countIncludePad: countIncludePad)
        }
        return Gradients(input: makeTensor(pass.input.shape, dx))
    }
}
