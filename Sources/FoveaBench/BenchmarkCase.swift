import FoveaKernels

/// One of the standard benchmark cases, named as `torch_bench.py` names them so that the two
/// can be compared side by side.
public enum BenchmarkCase: String, CaseIterable, Sendable {
    case resnet3x3x64 = "resnet_3x3_64_56"
    case resnet3x3x128 = "resnet_3x3_128_28"
    case resnet3x3x256 = "resnet_3x3_256_14"
    case stem7x7 = "stem_7x7_s2_3to64_224"
    case lenet5x5 = "lenet_5x5_1to32_28"
    case pointwise1x1 = "pointwise_1x1_64_56"
    case maxPool3x3 = "maxpool2d_3x3_s2_p1"
    case leNet5TrainStep = "lenet5_train_step"
    case sgemm1024 = "sgemm_1024"
    case sgemm2048 = "sgemm_2048"

    /// The case's name on the command line and in JSON.
    public var name: String { rawValue }

    /// The convolution of a conv case (float32, NCHW, with bias), or nil.
    public var convolution: Conv2DParameters? {
        switch self {
        case .resnet3x3x64: Self.conv(32, 64, 64, 56, kernel: 3, stride: 1, pad: 1)
        case .resnet3x3x128: Self.conv(32, 128, 128, 28, kernel: 3, stride: 1, pad: 1)
        case .resnet3x3x256: Self.conv(32, 256, 256, 14, kernel: 3, stride: 1, pad: 1)
        case .stem7x7: Self.conv(32, 3, 64, 224, kernel: 7, stride: 2, pad: 3)
        case .lenet5x5: Self.conv(64, 1, 32, 28, kernel: 5, stride: 1, pad: 0)
        case .pointwise1x1: Self.conv(32, 64, 64, 56, kernel: 1, stride: 1, pad: 0)
        default: nil
        }
    }

    /// The max pooling of the pooling case: 3×3, stride 2, padding 1 on (32, 64, 112, 112).
    static let maxPool = Pool2DParameters(
        planes: 32 * 64, height: 112, width: 112, kernelHeight: 3, kernelWidth: 3,
        strideH: 2, strideW: 2, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1)

    /// The size of the square matrices of a GEMM case, or nil.
    public var matrixSize: Int? {
        switch self {
        case .sgemm1024: 1024
        case .sgemm2048: 2048
        default: nil
        }
    }

    /// One line saying what the case computes.
    public var summary: String {
        if let p = convolution {
            return "conv2d N\(p.batch), \(p.inChannels)→\(p.outChannels), \(p.height)², k\(p.kernelHeight)"
                + (p.strideH > 1 ? " s\(p.strideH)" : "") + (p.padTop > 0 ? " p\(p.padTop)" : "")
        }
        if let n = matrixSize { return "sgemm \(n)×\(n)×\(n)" }
        switch self {
        case .maxPool3x3: return "maxpool2d 3×3 s2 p1 on (32, 64, 112, 112)"
        default: return "LeNet-5 training step (MSE, SGD), batch 64 of 28²"
        }
    }

    /// Floating-point operations of the timed work whose rate is reported, counted as
    /// `torch_bench.py` counts them: a multiply-add is 2; forward+backward of a convolution is
    /// 3× its forward; a GEMM is its one product. Nil where no rate is reported.
    public var flops: Double? {
        if let p = convolution {
            let multiplyAdds = p.batch * p.outChannels * p.outHeight * p.outWidth
                * p.groupInChannels * p.kernelHeight * p.kernelWidth
            return 3 * 2 * Double(multiplyAdds)
        }
        if let n = matrixSize { return 2 * Double(n) * Double(n) * Double(n) }
        return nil
    }

    private static func conv(_ batch: Int, _ inChannels: Int, _ outChannels: Int, _ size: Int,
                             kernel: Int, stride: Int, pad: Int) -> Conv2DParameters {
        Conv2DParameters(
            batch: batch, inChannels: inChannels, height: size, width: size, outChannels: outChannels,
            kernelHeight: kernel, kernelWidth: kernel, strideH: stride, strideW: stride,
            padTop: pad, padBottom: pad, padLeft: pad, padRight: pad)
    }
}
