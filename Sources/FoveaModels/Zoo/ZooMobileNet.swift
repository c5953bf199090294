import FoveaGeometry

extension ZooGraph {
    /// torchvision's `Conv2dNormActivation`: convolution with padding `(k − 1)/2` and no bias,
    /// batch norm, then the activation unless it is `nil`; named `<prefix>.0`, `.1`, `.2`.
    mutating func convNormActivation(_ prefix: String, _ input: String, _ out: Int, kernel: Int, stride: Int = 1,
                                     groups: Int = 1, activation: String?) -> String {
        var x = conv("\(prefix).0", input, out, kernel: kernel, stride: stride, padding: (kernel - 1) / 2,
                     groups: groups, bias: false)
        x = batchNorm("\(prefix).1", x)
        if let activation { x = pointwise("\(prefix).2", activation, x) }
        return x
    }

    /// torchvision's `SqueezeExcitation`: a gate computed from the globally pooled input
    /// (`avgpool` → `fc1` → `activation` → `fc2` → `scale_activation`) multiplies the input.
    mutating func squeezeExcitation(_ prefix: String, _ input: String, channels: Int, squeeze: Int,
                                    activation: String, gate: String) -> String {
        var s = adaptiveAvgPool("\(prefix).avgpool", input, size: 1)
        s = conv("\(prefix).fc1", s, squeeze, kernel: 1)
        s = pointwise("\(prefix).activation", activation, s)
        s = conv("\(prefix).fc2", s, channels, kernel: 1)
        s = pointwise("\(prefix).scale_activation", gate, s)
        return multiply("\(prefix).mul", s, input)
    }

    /// torchvision's `_make_divisible`: the nearest multiple of `divisor` that is at least
    /// `divisor` and loses at most 10 % of `value`.
    static func makeDivisible(_ value: Double, _ divisor: Int = 8) -> Int {
        var rounded = max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
        if Double(rounded) < 0.9 * value { rounded += divisor }
        return rounded
    }

    /// torchvision `mobilenet_v2`: inverted residual blocks `features.1…17` (expansion 1×1,
    /// depthwise 3×3, linear 1×1 projection), residual add when the shape is unchanged.
    static func mobileNetV2() -> ZooGraph {
        var g = ZooGraph()
        var x = g.convNormActivation("features.0", Network.inputName, 32, kernel: 3, stride: 2, activation: "relu6")
        // (expansion t, channels c, repeats n, first stride s)
        let settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                        (6, 160, 3, 2), (6, 320, 1, 1)]
        var channels = 32
        var index = 1
        for (t, c, n, s) in settings {
            for i in 0..<n {
                let p = "features.\(index).conv"
                let stride = i == 0 ? s : 1
                let hidden = channels * t
                var y = x
                var layer = 0
                if t != 1 {
                    y = g.convNormActivation("\(p).0", y, hidden, kernel: 1, activation: "relu6")
                    layer = 1
                }
                y = g.convNormActivation("\(p).\(layer)", y, hidden, kernel: 3, stride: stride, groups: hidden,
                                         activation: "relu6")
                y = g.conv("\(p).\(layer + 1)", y, c, kernel: 1, bias: false)
                y = g.batchNorm("\(p).\(layer + 2)", y)
                x = stride == 1 && channels == c ? g.add("features.\(index).add", x, y) : y
                channels = c
                index += 1
            }
        }
        x = g.convNormActivation("features.\(index)", x, 1280, kernel: 1, activation: "relu6")
        x = g.adaptiveAvgPool("adaptive_avg_pool2d", x, size: 1)
        x = g.flatten("flatten", x)
        x = g.pointwise("classifier.0", "dropout", x)
        g.linear("classifier.1", x, 1000)
        return g
    }

    /// One torchvision MobileNetV3 block setting: input channels, kernel, expanded channels,
    /// output channels, squeeze-and-excitation, hard-swish (else ReLU), stride.
    struct MobileNetV3Block {
        let input: Int, kernel: Int, expanded: Int, output: Int, se: Bool, hardSwish: Bool, stride: Int
        init(_ input: Int, _ kernel: Int, _ expanded: Int, _ output: Int, _ se: Bool, _ hardSwish: Bool,
             _ stride: Int) {
            (self.input, self.kernel, self.expanded, self.output) = (input, kernel, expanded, output)
            (self.se, self.hardSwish, self.stride) = (se, hardSwish, stride)
        }
    }

    static let mobileNetV3LargeBlocks: [MobileNetV3Block] = [
        .init(16, 3, 16, 16, false, false, 1), .init(16, 3, 64, 24, false, false, 2),
        .init(24, 3, 72, 24, false, false, 1), .init(24, 5, 72, 40, true, false, 2),
        .init(40, 5, 120, 40, true, false, 1), .init(40, 5, 120, 40, true, false, 1),
        .init(40, 3, 240, 80, false, true, 2), .init(80, 3, 200, 80, false, true, 1),
        .init(80, 3, 184, 80, false, true, 1), .init(80, 3, 184, 80, false, true, 1),
        .init(80, 3, 480, 112, true, true, 1), .init(112, 3, 672, 112, true, true, 1),
        .init(112, 5, 672, 160, true, true, 2), .init(160, 5, 960, 160, true, true, 1),
        .init(160, 5, 960, 160, true, true, 1),
    ]

    static let mobileNetV3SmallBlocks: [MobileNetV3Block] = [
        .init(16, 3, 16, 16, true, false, 2), .init(16, 3, 72, 24, false, false, 2),
        .init(24, 3, 88, 24, false, false, 1), .init(24, 5, 96, 40, true, true, 2),
        .init(40, 5, 240, 40, true, true, 1), .init(40, 5, 240, 40, true, true, 1),
        .init(40, 5, 120, 48, true, true, 1), .init(48, 5, 144, 48, true, true, 1),
        .init(48, 5, 288, 96, true, true, 2), .init(96, 5, 576, 96, true, true, 1),
        .init(96, 5, 576, 96, true, true, 1),
    ]

    /// torchvision `mobilenet_v3_large` / `mobilenet_v3_small`: blocks `features.i.block.*`
    /// (expansion, depthwise, squeeze-and-excitation with a hard-sigmoid gate, projection),
    /// then a 1×1 convolution to 6× the last width and a two-layer classifier.
    static func mobileNetV3(_ blocks: [MobileNetV3Block], lastChannel: Int) -> ZooGraph {
        var g = ZooGraph()
        var x = g.convNormActivation("features.0", Network.inputName, 16, kernel: 3, stride: 2,
                                     activation: "hardswish")
        for (i, b) in blocks.enumerated() {
            let p = "features.\(i + 1)"
            let activation = b.hardSwish ? "hardswish" : "relu"
            var y = x
            var layer = 0
            if b.expanded != b.input {
                y = g.convNormActivation("\(p).block.0", y, b.expanded, kernel: 1, activation: activation)
                layer += 1
            }
            y = g.convNormActivation("\(p).block.\(layer)", y, b.expanded, kernel: b.kernel, stride: b.stride,
                                     groups: b.expanded, activation: activation)
            layer += 1
            if b.se {
                y = g.squeezeExcitation("\(p).block.\(layer)", y, channels: b.expanded,
                                        squeeze: makeDivisible(Double(b.expanded / 4)), activation: "relu",
                                        gate: "hardsigmoid")
                layer += 1
            }
            y = g.convNormActivation("\(p).block.\(layer)", y, b.output, kernel: 1, activation: nil)
            x = b.stride == 1 && b.input == b.output ? g.add("\(p).add", y, x) : y
        }
        let last = blocks.last?.output ?? 16
        x = g.convNormActivation("features.\(blocks.count + 1)", x, 6 * last, kernel: 1, activation: "hardswish")
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.flatten("flatten", x)
        x = g.linear("classifier.0", x, lastChannel)
        x = g.pointwise("classifier.1", "hardswish", x)
        x = g.pointwise("classifier.2", "dropout", x)
        g.linear("classifier.3", x, 1000)
        return g
    }
}
