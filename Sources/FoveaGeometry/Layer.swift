/// How a sliding window is padded along the spatial axes.
public enum Padding: Sendable, Hashable {
    /// Explicit zero padding before (`begin`) and after (`end`) each spatial axis.
    case explicit(begin: [Int], end: [Int])
    /// Output size `ceil(n / s)`; total padding `max((out − 1)·s + d(k − 1) + 1 − n, 0)` with the
    /// odd pixel at the end (ONNX `SAME_UPPER`, TensorFlow `SAME`), computed from the actual input.
    case sameUpper
    /// As `sameUpper`, with the odd pixel at the beginning (ONNX `SAME_LOWER`).
    case sameLower
    /// No padding.
    case valid

    /// Symmetric explicit padding of `p[a]` pixels on both sides of axis `a`.
    public static func symmetric(_ p: [Int]) -> Padding { .explicit(begin: p, end: p) }
}

/// The geometry shared by convolutions and pooling windows, one entry per spatial axis.
public struct SlidingWindow: Sendable, Hashable {
    /// Kernel extent per axis (before dilation).
    public var kernel: [Int]
    /// Step between windows per axis.
    public var stride: [Int]
    /// Spacing between kernel taps per axis; the effective kernel is `d·(k − 1) + 1`.
    public var dilation: [Int]
    /// Padding rule.
    public var padding: Padding
    /// Use `ceil` instead of `floor` for the output size; a window that would start in the end
    /// padding is dropped (PyTorch and ONNX rule).
    public var ceilMode: Bool

    /// Creates a window; `stride` and `dilation` default to 1 and padding to none.
    public init(kernel: [Int], stride: [Int]? = nil, dilation: [Int]? = nil,
                padding: Padding? = nil, ceilMode: Bool = false) {
        self.kernel = kernel
        self.stride = stride ?? Array(repeating: 1, count: kernel.count)
        self.dilation = dilation ?? Array(repeating: 1, count: kernel.count)
        self.padding = padding ?? .explicit(begin: Array(repeating: 0, count: kernel.count),
                                            end: Array(repeating: 0, count: kernel.count))
        self.ceilMode = ceilMode
    }

    /// The number of spatial axes.
    public var spatialRank: Int { kernel.count }
}

/// A convolution (also grouped and depthwise); per-position `Linear` layers that act on
/// channels only (channels-last MLPs, ConvNeXt) are 1×1 convolutions.
public struct Convolution: Sendable, Hashable {
    public var window: SlidingWindow
    /// Output channels, when known.
    public var outChannels: Int?
    /// Channel groups (`C_in / groups` inputs per output channel).
    public var groups: Int
    /// Whether the layer has a bias.
    public var bias: Bool

    public init(window: SlidingWindow, outChannels: Int? = nil, groups: Int = 1, bias: Bool = true) {
        self.window = window
        self.outChannels = outChannels
        self.groups = groups
        self.bias = bias
    }
}

/// A transposed convolution: input unit `i` writes to output units `i·s − padBegin + t·d`
/// for taps `t` in `0..<k`; the output size is `(n − 1)·s − padBegin − padEnd + d(k − 1) + 1 + outputPadding`.
public struct TransposedConvolution: Sendable, Hashable {
    public var kernel: [Int]
    public var stride: [Int]
    public var dilation: [Int]
    public var padBegin: [Int]
    public var padEnd: [Int]
    public var outputPadding: [Int]
    public var outChannels: Int?
    public var groups: Int
    public var bias: Bool

    public init(kernel: [Int], stride: [Int]? = nil, dilation: [Int]? = nil, padBegin: [Int]? = nil,
                padEnd: [Int]? = nil, outputPadding: [Int]? = nil, outChannels: Int? = nil,
                groups: Int = 1, bias: Bool = true) {
        let ones = Array(repeating: 1, count: kernel.count)
        let zeros = Array(repeating: 0, count: kernel.count)
        self.kernel = kernel
        self.stride = stride ?? ones
        self.dilation = dilation ?? ones
        self.padBegin = padBegin ?? zeros
        self.padEnd = padEnd ?? padBegin ?? zeros
        self.outputPadding = outputPadding ?? zeros
        self.outChannels = outChannels
        self.groups = groups
        self.bias = bias
    }
}

/// The reduction of a pooling layer.
public enum PoolKind: Sendable, Hashable {
    case max
    case average
    /// Lp pooling with exponent `p`.
    case lp(Double)
}

/// A pooling window.
public struct Pooling: Sendable, Hashable {
    public var kind: PoolKind
    public var window: SlidingWindow
    /// Average pooling: whether padded positions count in the divisor.
    public var countIncludePad: Bool

    public init(kind: PoolKind, window: SlidingWindow, countIncludePad: Bool = true) {
        self.kind = kind
        self.window = window
        self.countIncludePad = countIncludePad
    }
}

/// Adaptive pooling: output unit `i` of `m` pools input `[floor(i·n/m), ceil((i+1)·n/m) − 1]`.
public struct AdaptivePooling: Sendable, Hashable {
    public var kind: PoolKind
    /// Output size per spatial axis; `nil` keeps the input size on that axis.
    public var outputSize: [Int?]

    public init(kind: PoolKind, outputSize: [Int?]) {
        self.kind = kind
        self.outputSize = outputSize
    }
}

/// Resampling to a new spatial size (ONNX `Resize`/`Upsample`, PyTorch `Upsample`/`interpolate`).
public struct Resize: Sendable, Hashable {
    /// How an output coordinate maps back to an input coordinate (ONNX `coordinate_transformation_mode`).
    public enum CoordinateTransform: String, Sendable, Hashable {
        case halfPixel = "half_pixel"
        case pytorchHalfPixel = "pytorch_half_pixel"
        case alignCorners = "align_corners"
        case asymmetric
        case tfHalfPixelForNN = "tf_half_pixel_for_nn"
    }
    /// How nearest mode rounds a fractional input coordinate (ONNX `nearest_mode`).
    public enum NearestRounding: String, Sendable, Hashable {
        case roundPreferFloor = "round_prefer_floor"
        case roundPreferCeil = "round_prefer_ceil"
        case floor
        case ceil
    }
    /// Interpolation.
    public enum Mode: Sendable, Hashable {
        case nearest(NearestRounding)
        case linear
        case cubic
    }
    /// The requested output, per spatial axis.
    public enum Target: Sendable, Hashable {
        /// Output size `floor(n · scale)`; the scale is also used in the coordinate mapping.
        case scales([Double])
        /// Explicit output sizes; the mapping uses `size / n`.
        case sizes([Int])
    }

    public var mode: Mode
    public var coordinateTransform: CoordinateTransform
    public var target: Target

    public init(mode: Mode, coordinateTransform: CoordinateTransform, target: Target) {
        self.mode = mode
        self.coordinateTransform = coordinateTransform
        self.target = target
    }
}

/// Explicit padding or cropping of the spatial axes (negative amounts crop).
public struct Pad: Sendable, Hashable {
    /// How padded values are produced; the geometry treats every mode as a shift of the grid.
    public enum Mode: String, Sendable, Hashable { case constant, reflect, edge }

    public var begin: [Int]
    public var end: [Int]
    public var mode: Mode

    public init(begin: [Int], end: [Int], mode: Mode = .constant) {
        self.begin = begin
        self.end = end
        self.mode = mode
    }
}

/// A strided slice of the spatial axes with ONNX `Slice` semantics (negative `start`/`end`
/// count from the end and are clamped to the axis; `step` may be negative).
public struct Slice: Sendable, Hashable {
    public var start: [Int]
    public var end: [Int]
    public var step: [Int]

    public init(start: [Int], end: [Int], step: [Int]? = nil) {
        self.start = start
        self.end = end
        self.step = step ?? Array(repeating: 1, count: start.count)
    }
}

/// A fully connected layer over the whole (flattened) input: every output sees every input unit.
public struct Linear: Sendable, Hashable {
    public var outFeatures: Int?
    public var bias: Bool

    public init(outFeatures: Int? = nil, bias: Bool = true) {
        self.outFeatures = outFeatures
        self.bias = bias
    }
}

/// One layer of a network, with every hyperparameter that affects geometry or parameters.
public enum Layer: Sendable, Hashable {
    case convolution(Convolution)
    case transposedConvolution(TransposedConvolution)
    case pooling(Pooling)
    case adaptivePooling(AdaptivePooling)
    /// Pooling over all spatial positions (output 1×…×1).
    case globalPooling(PoolKind)
    case resize(Resize)
    case pad(Pad)
    case slice(Slice)
    /// Batch normalization (per channel; no spatial effect).
    case batchNorm
    /// A per-element operation with no spatial effect: activations, normalization over channels,
    /// dropout, identity, scaling. The name is the operation (`relu`, `sigmoid`, `dropout`, …).
    case pointwise(String)
    /// Flattens channels and spatial axes into features: the result depends on the whole input.
    case flatten
    case linear(Linear)
    /// Element-wise sum of the inputs (residual connections).
    case add
    /// Element-wise product of the inputs (gates, squeeze-and-excitation).
    case multiply
    /// Concatenation of the inputs along channels.
    case concat
}
