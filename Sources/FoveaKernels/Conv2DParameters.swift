/// The shape of a 2-D convolution on NCHW input and OIHW weights (`C_out, C_in/groups, kH, kW`).
///
/// Output unit `(i, j)` reads input rows `i·strideH − padTop + u·dilationH` and columns
/// `j·strideW − padLeft + v·dilationW`; positions outside the input read zero. Kernels assume a
/// valid configuration (see `isValid`); layers check and report it before calling them.
public struct Conv2DParameters: Sendable, Hashable {
    public var batch: Int
    public var inChannels: Int
    public var height: Int
    public var width: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideH: Int = 1
    public var strideW: Int = 1
    public var dilationH: Int = 1
    public var dilationW: Int = 1
    public var padTop: Int = 0
    public var padBottom: Int = 0
    public var padLeft: Int = 0
    public var padRight: Int = 0
    public var groups: Int = 1

    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernelHeight: Int, kernelWidth: Int, strideH: Int = 1, strideW: Int = 1,
                dilationH: Int = 1, dilationW: Int = 1, padTop: Int = 0, padBottom: Int = 0,
                padLeft: Int = 0, padRight: Int = 0, groups: Int = 1) {
        self.batch = batch
        self.inChannels = inChannels
        self.height = height
        self.width = width
        self.outChannels = outChannels
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
        self.groups = groups
    }

    public var outHeight: Int {
        SlidingWindowMath.outputSize(input: height, kernel: kernelHeight, stride: strideH, dilation: dilationH,
                                     padBegin: padTop, padEnd: padBottom, ceilMode: false)
    }
    public var outWidth: Int {
        SlidingWindowMath.outputSize(input: width, kernel: kernelWidth, stride: strideW, dilation: dilationW,
                                     padBegin: padLeft, padEnd: padRight, ceilMode: false)
    }
    /// Input channels per group.
    public var groupInChannels: Int { inChannels / groups }
    /// Output channels per group.
    public var groupOutChannels: Int { outChannels / groups }

    public var inputCount: Int { batch * inChannels * height * width }
    public var weightCount: Int { outChannels * groupInChannels * kernelHeight * kernelWidth }
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }

    /// Whether the kernels can run this configuration: positive sizes, strides and dilations,
    /// non-negative padding, channels divisible by `groups`, and at least one output position.
    public var isValid: Bool {
        batch > 0 && inChannels > 0 && height > 0 && width > 0 && outChannels > 0
            && kernelHeight > 0 && kernelWidth > 0 && strideH > 0 && strideW > 0
            && dilationH > 0 && dilationW > 0 && min(padTop, padBottom, padLeft, padRight) >= 0
            && groups > 0 && inChannels % groups == 0 && outChannels % groups == 0
            && outHeight > 0 && outWidth > 0
    }
}
