import FoveaGeometry

extension ZooGraph {
    /// torchvision `efficientnet_b0`: MBConv stages `features.1…7` (1×1 expansion, depthwise
    /// k×k, squeeze-and-excitation to a quarter of the block's input width, 1×1 projection),
    /// with stochastic depth and a residual add when the shape is unchanged.
    static func efficientNetB0() -> ZooGraph {
        // (expansion, kernel, stride, input channels, output channels, layers)
        let stages = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
                      (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]
        var g = ZooGraph()
        var x = g.convNormActivation("features.0", Network.inputName, 32, kernel: 3, stride: 2, activation: "silu")
        for (s, stage) in stages.enumerated() {
            let (expansion, kernel, firstStride, firstInput, output, layers) = stage
            for l in 0..<layers {
                let p = "features.\(s + 1).\(l)"
                let input = l == 0 ? firstInput : output
                let stride = l == 0 ? firstStride : 1
                let expanded = input * expansion
                var y = x
                var layer = 0
                if expanded != input {
                    y = g.convNormActivation("\(p).block.0", y, expanded, kernel: 1, activation: "silu")
                    layer = 1
                }
                y = g.convNormActivation("\(p).block.\(layer)", y, expanded, kernel: kernel, stride: stride,
                                         groups: expanded, activation: "silu")
                y = g.squeezeExcitation("\(p).block.\(layer + 1)", y, channels: expanded,
                                        squeeze: max(1, input / 4), activation: "silu", gate: "sigmoid")
                y = g.convNormActivation("\(p).block.\(layer + 2)", y, output, kernel: 1, activation: nil)
                if stride == 1 && input == output {
                    y = g.pointwise("\(p).stochastic_depth", "stochastic_depth", y)
                    y = g.add("\(p).add", y, x)
                }
                x = y
            }
        }
        x = g.convNormActivation("features.8", x, 1280, kernel: 1, activation: "silu")
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.flatten("flatten", x)
        x = g.pointwise("classifier.0", "dropout", x)
        g.linear("classifier.1", x, 1000)
        return g
    }
}
