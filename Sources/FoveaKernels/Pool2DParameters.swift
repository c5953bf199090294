/// The shape of a 2-D pooling window over `planes` independent `height × width` planes
/// (for NCHW input, `planes = N·C`).
///
/// Output unit `(i, j)` pools input rows `i·strideH − padTop + u·dilationH` and columns
/// `j·strideW − padLeft + v·dilationW`. Padding never contributes a maximum; for averages it
/// counts as zeros only in the divisor rule chosen by `countIncludePad`.
public struct Pool2DParameters: Sendable, Hashable {
    public var planes: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideH: Int
    public var strideW: Int
    public var dilationH: Int = 1
    public var dilationW: Int = 1
    public var padTop: Int = 0
    public var padBottom: Int = 0
    public var padLeft: Int = 0
    public var padRight: Int = 0
    /// Round the output size up; a window that would start in the end padding is dropped.
    public var ceilMode: Bool = false

    public init(planes: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                strideH: Int, strideW: Int, dilationH: Int = 1, dilationW: Int = 1,
                padTop: Int = 0, padBottom: Int = 0, padLeft: Int = 0, padRight: Int = 0,
                ceilMode: Bool = false) {
        self.planes = planes
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideH = strideH
        self.strideW = strideW
        self.dilationH = dilationH
        self.dilationW = dilationW
        self.padTop = padTop
        self.padBottom = padBottom
        self.padLeft = padLeft
        self.padRight = padRight
        self.ceilMode = ceilMode
    }

    public var outHeight: Int {
        SlidingWindowMath.outputSize(input: height, kernel: kernelHeight, stride: strideH, dilation: dilationH,
                                     padBegin: padTop, padEnd: padBottom, ceilMode: ceilMode)
    }
    public var outWidth: Int {
        SlidingWindowMath.outputSize(input: width, kernel: kernelWidth, stride: strideW, dilation: dilationW,
                                     padBegin: padLeft, padEnd: padRight, ceilMode: ceilMode)
    }
    public var inputCount: Int { planes * height * width }
    public var outputCount: Int { planes * outHeight * outWidth }

    /// Whether the kernels can run this configuration: positive sizes, strides and dilations,
    /// non-negative padding and at least one output position.
    public var isValid: Bool {
        planes > 0 && height > 0 && width > 0 && kernelHeight > 0 && kernelWidth > 0
            && strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0
            && min(padTop, padBottom, padLeft, padRight) >= 0 && outHeight > 0 && outWidth > 0
    }
}
