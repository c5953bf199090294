import FoveaGeometry

/// TensorFlow's two padding modes as TF-Slim layers use them.
enum SlimPadding {
    /// Output `ceil(n / s)`, padding computed from the actual input size with the odd pixel at
    /// the end: Fovea's `.sameUpper`.
    case same
    case valid

    var padding: Padding { self == .same ? .sameUpper : .valid }
}

extension ZooGraph {
    /// A TF-Slim `conv2d` under `scope`: `<scope>.Conv2D` (with bias unless batch-normalised),
    /// optional `<scope>.BatchNorm`, optional activation `<scope>.Relu` / `<scope>.Relu6`.
    mutating func slimConv(_ scope: String, _ input: String, _ out: Int, kernel: [Int], stride: Int = 1,
                           padding: SlimPadding, batchNorm: Bool, activation: String?) -> String {
        slimConv(scope, input, out, kernel: kernel, stride: stride, padding: padding.padding,
                 batchNorm: batchNorm, activation: activation)
    }

    /// As above with any Fovea padding (explicit padding models `resnet_utils.conv2d_same`).
    mutating func slimConv(_ scope: String, _ input: String, _ out: Int, kernel: [Int], stride: Int = 1,
                           padding: Padding, batchNorm: Bool, activation: String?, groups: Int = 1,
                           op: String = "Conv2D") -> String {
        var x = conv("\(scope).\(op)", input, out, kernel: kernel, stride: [stride, stride], padding: padding,
                     groups: groups, bias: !batchNorm)
        if batchNorm { x = self.batchNorm("\(scope).BatchNorm", x) }
        if let activation { x = pointwise("\(scope).\(activation == "relu6" ? "Relu6" : "Relu")", activation, x) }
        return x
    }

    /// A TF-Slim `max_pool2d` / `avg_pool2d` (TensorFlow's average pool never counts padding).
    mutating func slimPool(_ name: String, _ input: String, _ kind: PoolKind, kernel: Int, stride: Int,
                           padding: SlimPadding) -> String {
        pool(name, input, kind, kernel: kernel, stride: stride, padding: padding.padding, countIncludePad: false)
    }

    /// The fully convolutional classifier of TF-Slim's AlexNet and VGG: `fc6` (k×k VALID),
    /// `fc7` and `fc8` as 1×1 convolutions, dropout between, then `fc8.squeezed`.
    private mutating func slimFullyConvolutionalHead(_ input: String, fc6Kernel: Int) {
        var x = slimConv("fc6", input, 4096, kernel: [fc6Kernel, fc6Kernel], padding: .valid, batchNorm: false,
                         activation: "relu")
        x = pointwise("dropout6", "dropout", x)
        x = slimConv("fc7", x, 4096, kernel: [1, 1], padding: .same, batchNorm: false, activation: "relu")
        x = pointwise("dropout7", "dropout", x)
        x = slimConv("fc8", x, 1000, kernel: [1, 1], padding: .same, batchNorm: false, activation: nil)
        flatten("fc8.squeezed", x)
    }

    /// TF-Slim `alexnet_v2` (nets/alexnet.py): VALID 11×11/4 stem, SAME stride-1 convolutions,
    /// VALID 3×3/2 max pools, no normalisation.
    static func alexNetV2() -> ZooGraph {
        var g = ZooGraph()
        var x = g.slimConv("conv1", Network.inputName, 64, kernel: [11, 11], stride: 4, padding: .valid,
                           batchNorm: false, activation: "relu")
        x = g.slimPool("pool1", x, .max, kernel: 3, stride: 2, padding: .valid)
        x = g.slimConv("conv2", x, 192, kernel: [5, 5], padding: .same, batchNorm: false, activation: "relu")
        x = g.slimPool("pool2", x, .max, kernel: 3, stride: 2, padding: .valid)
        x = g.slimConv("conv3", x, 384, kernel: [3, 3], padding: .same, batchNorm: false, activation: "relu")
        x = g.slimConv("conv4", x, 384, kernel: [3, 3], padding: .same, batchNorm: false, activation: "relu")
        x = g.slimConv("conv5", x, 256, kernel: [3, 3], padding: .same, batchNorm: false, activation: "relu")
        x = g.slimPool("pool5", x, .max, kernel: 3, stride: 2, padding: .valid)
        g.slimFullyConvolutionalHead(x, fc6Kernel: 5)
        return g
    }

    /// TF-Slim `vgg_16` (nets/vgg.py): SAME 3×3 convolutions `convN/convN_i`, VALID 2×2/2 pools.
    static func vgg16Slim() -> ZooGraph {
        var g = ZooGraph()
        var x = Network.inputName
        for (stage, (count, width)) in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)].enumerated() {
            for i in 1...count {
                x = g.slimConv("conv\(stage + 1).conv\(stage + 1)_\(i)", x, width, kernel: [3, 3], padding: .same,
                               batchNorm: false, activation: "relu")
            }
            x = g.slimPool("pool\(stage + 1)", x, .max, kernel: 2, stride: 2, padding: .valid)
        }
        g.slimFullyConvolutionalHead(x, fc6Kernel: 7)
        return g
    }

    /// TF-Slim `mobilenet_v1` (nets/mobilenet_v1.py): a SAME 3×3/2 convolution, then 13
    /// depthwise-separable pairs `Conv2d_i_depthwise` / `Conv2d_i_pointwise`, all SAME, batch
    /// norm and ReLU6; the logits head pools 7×7 (its size at the default 224 input).
    static func mobileNetV1() -> ZooGraph {
        let separable = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512), (1, 512), (1, 512), (1, 512),
                         (1, 512), (1, 512), (2, 1024), (1, 1024)]
        var g = ZooGraph()
        var x = g.slimConv("Conv2d_0", Network.inputName, 32, kernel: [3, 3], stride: 2, padding: .same,
                           batchNorm: true, activation: "relu6")
        var channels = 32
        for (i, (stride, depth)) in separable.enumerated() {
            x = g.slimConv("Conv2d_\(i + 1)_depthwise", x, channels, kernel: [3, 3], stride: stride,
                           padding: .sameUpper, batchNorm: true, activation: "relu6", groups: channels,
                           op: "depthwise")
            x = g.slimConv("Conv2d_\(i + 1)_pointwise", x, depth, kernel: [1, 1], padding: .same, batchNorm: true,
                           activation: "relu6")
            channels = depth
        }
        x = g.slimPool("Logits.AvgPool_1a", x, .average, kernel: 7, stride: 1, padding: .valid)
        x = g.pointwise("Logits.Dropout_1b", "dropout", x)
        x = g.slimConv("Logits.Conv2d_1c_1x1", x, 1000, kernel: [1, 1], padding: .same, batchNorm: false,
                       activation: nil)
        g.flatten("Logits.SpatialSqueeze", x)
        return g
    }

    /// TF-Slim `resnet_v1_50/101/152` (nets/resnet_v1.py, resnet_utils.py): `units[i]` bottleneck
    /// units in `block{i+1}`; a block's stride (2, 2, 2, 1) sits on the 3×3 convolution of its
    /// LAST unit, whose shortcut is then a 1×1/2 max pool (`shortcut`) since the depth is
    /// unchanged. Strided convolutions use `conv2d_same` (explicit padding (k − 1)/2 each
    /// side, then VALID); `pool1` is a SAME 3×3/2 max pool, padded according to the input size.
    static func resNetV1(units: [Int]) -> ZooGraph {
        var g = ZooGraph()
        var x = g.slimConv("conv1", Network.inputName, 64, kernel: [7, 7], stride: 2, padding: .symmetric([3, 3]),
                           batchNorm: true, activation: "relu")
        x = g.slimPool("pool1", x, .max, kernel: 3, stride: 2, padding: .same)
        var channels = 64
        for (b, count) in units.enumerated() {
            let base = 64 << b
            let depth = 4 * base
            for u in 1...count {
                let p = "block\(b + 1).unit_\(u).bottleneck_v1"
                let stride = u == count && b < 3 ? 2 : 1
                var shortcut = x
                if depth != channels {
                    shortcut = g.slimConv("\(p).shortcut", x, depth, kernel: [1, 1], stride: stride, padding: .same,
                                          batchNorm: true, activation: nil)
                } else if stride > 1 {
                    shortcut = g.slimPool("\(p).shortcut", x, .max, kernel: 1, stride: stride, padding: .same)
                }
                var y = g.slimConv("\(p).conv1", x, base, kernel: [1, 1], padding: .same, batchNorm: true,
                                   activation: "relu")
                y = g.slimConv("\(p).conv2", y, base, kernel: [3, 3], stride: stride,
                               padding: stride == 1 ? .sameUpper : .symmetric([1, 1]), batchNorm: true,
                               activation: "relu")
                y = g.slimConv("\(p).conv3", y, depth, kernel: [1, 1], padding: .same, batchNorm: true,
                               activation: nil)
                x = g.add("\(p).add", shortcut, y)
                x = g.pointwise("\(p).Relu", "relu", x)
                channels = depth
            }
        }
        x = g.node("pool5", .globalPooling(.average), [x])
        x = g.slimConv("logits", x, 1000, kernel: [1, 1], padding: .same, batchNorm: false, activation: nil)
        g.flatten("SpatialSqueeze", x)
        return g
    }
}
