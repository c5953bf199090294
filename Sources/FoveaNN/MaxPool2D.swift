import FoveaGeometry
import FoveaKernels
import FoveaTensor

/// 2-D max pooling on NCHW input. Padding never wins (it acts as −∞); ties go to the first
/// maximum in row-major window order and NaN propagates; the gradient flows to each window's
/// maximum only, accumulating where windows overlap.
public struct MaxPool2D: Module {
    public let name: String
    /// Round the output size up, dropping a window that would start in the end padding.
    public let ceilMode: Bool
    public var implementation: KernelImplementation
    let window: WindowSettings

    /// Creates a max pooling layer; `kernel`, `stride` (default: the kernel) and `dilation` are
    /// (H, W). Padding on every side must be at most half the kernel, as in PyTorch.
    public init(kernel: [Int], stride: [Int]? = nil, padding: Padding = .valid, dilation: [Int] = [1, 1],
                ceilMode: Bool = false, name: String = "maxpool2d", implementation: KernelImplementation = .fast) throws {
        window = try WindowSettings(layer: name, kernel: kernel, stride: stride ?? kernel, dilation: dilation, padding: padding)
        if case let .explicit(begin, end) = padding {
            try window.checkPoolPadding(layer: name, begin: begin, end: end)
        }
        self.name = name
        self.ceilMode = ceilMode
        self.implementation = implementation
    }

    public var kernel: [Int] { window.kernel }
    public var stride: [Int] { window.stride }
    public var dilation: [Int] { window.dilation }
    public var padding: Padding { window.padding }

    public var geometry: Layer {
        .pooling(Pooling(kind: .max, window: window.slidingWindow(ceilMode: ceilMode)))
    }

    /// The kernel parameters for an NCHW input shape, after checking that the layer can run on it:
    /// the window fits, padding is at most half the kernel, and no window sees only padding.
    public func kernelParameters(forInput shape: [Int]) throws -> Pool2DParameters {
        let p = try poolParameters(window, ceilMode: ceilMode, layer: name, shape: shape)
        let axes = [(p.outHeight, p.height, p.strideH, p.dilationH, p.padTop),
                    (p.outWidth, p.width, p.strideW, p.dilationW, p.padLeft)]
        for (axis, (outputs, size, stride, dilation, padBegin)) in axes.enumerated() {
            for o in 0..<outputs {
                let first = o * stride - padBegin
                let seesInput = (0..<kernel[axis]).contains { first + $0 * dilation >= 0 && first + $0 * dilation < size }
                guard seesInput else {
                    throw LayerError.invalidParameter(
                        layer: name, parameter: "dilation",
                        detail: "window \(o) on axis \(axis == 0 ? "H" : "W") covers only padding (input \(size), kernel \(kernel[axis]), dilation \(dilation), padding \(padBegin))")
                }
            }
        }
        return p
    }

    public func outputShape(forInput shape: [Int]) throws -> [Int] {
        let p = try kernelParameters(forInput: shape)
        return [shape[0], shape[1], p.outHeight, p.outWidth]
    }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        let p = try kernelParameters(forInput: input.shape)
        let (output, argmax) = switch implementation {
        case .fast: Pool2DKernels.maxForward(p, input: input.scalars)
        case .reference: ReferencePool2D.maxForward(p, input: input.scalars)
        }
        let shape = [input.shape[0], input.shape[1], p.outHeight, p.outWidth]
        return ForwardPass(input: input, output: makeTensor(shape, output), argmax: argmax)
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        let p = try kernelParameters(forInput: pass.input.shape)
        try checkGradOutput(gradOutput, pass)
        let dx = switch implementation {
        case .fast where pass.argmax.count == p.outputCount:
            Pool2DKernels.maxBackward(p, gradOutput: gradOutput.scalars, argmax: pass.argmax)
        case .fast:
            Pool2DKernels.maxBackward(p, gradOutput: gradOutput.scalars,
                                      argmax: Pool2DKernels.maxForward(p, input: pass.input.scalars).argmax)
        case .reference:
            ReferencePool2D.maxBackward(p, input: pass.input.scalars, gradOutput: gradOutput.scalars)
        }
        return Gradients(input: makeTensor(pass.input.shape, dx))
    }
}

/// Kernel parameters of a pooling layer for an NCHW input shape, with the checks every pooling
/// layer shares: image shape, resolved padding at most half the kernel, and a window that fits.
func poolParameters(_ window: WindowSettings, ceilMode: Bool, layer: String, shape: [Int]) throws -> Pool2DParameters {
    try checkImageShape(shape, layer: layer)
    let size = Array(shape[2...])
    let (begin, end) = window.resolvedPadding(for: size)
    try window.checkPoolPadding(layer: layer, begin: begin, end: end)
    let p = Pool2DParameters(planes: shape[0] * shape[1], height: size[0], width: size[1],
                             kernelHeight: window.kernel[0], kernelWidth: window.kernel[1],
                             strideH: window.stride[0], strideW: window.stride[1],
                             dilationH: window.dilation[0], dilationW: window.dilation[1],
                             padTop: begin[0], padBottom: end[0], padLeft: begin[1], padRight: end[1], ceilMode: ceilMode)
    try window.checkFits(layer: layer, size: size, begin: begin, end: end, outputs: [p.outHeight, p.outWidth])
    return p
}
