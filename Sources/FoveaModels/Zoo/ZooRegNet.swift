import FoveaGeometry

extension ZooGraph {
    /// torchvision `regnet_y_400mf`: a 3×3/2 stem, then stages `trunk_output.block1…4` of
    /// 1-3-6-6 residual bottleneck blocks of widths 48-104-208-440 (group width 8, bottleneck
    /// ratio 1). Each block's first unit strides 2 in its grouped 3×3 convolution and projects
    /// the shortcut with a strided 1×1 convolution; squeeze-and-excitation squeezes to a quarter
    /// of the block's input width.
    static func regNetY400MF() -> ZooGraph {
        let depths = [1, 3, 6, 6]
        let widths = [48, 104, 208, 440]
        let groupWidth = 8
        var g = ZooGraph()
        var x = g.convNormActivation("stem", Network.inputName, 32, kernel: 3, stride: 2, activation: "relu")
        var channels = 32
        for (s, depth) in depths.enumerated() {
            let width = widths[s]
            for b in 0..<depth {
                let p = "trunk_output.block\(s + 1).block\(s + 1)-\(b)"
                let stride = b == 0 ? 2 : 1
                let input = x
                var shortcut = input
                if channels != width || stride != 1 {
                    shortcut = g.convNormActivation("\(p).proj", input, width, kernel: 1, stride: stride,
                                                    activation: nil)
                }
                var y = g.convNormActivation("\(p).f.a", input, width, kernel: 1, activation: "relu")
                y = g.convNormActivation("\(p).f.b", y, width, kernel: 3, stride: stride, groups: width / groupWidth,
                                         activation: "relu")
                let squeeze = Int((0.25 * Double(channels)).rounded())
                y = g.squeezeExcitation("\(p).f.se", y, channels: width, squeeze: squeeze, activation: "relu",
                                        gate: "sigmoid")
                y = g.convNormActivation("\(p).f.c", y, width, kernel: 1, activation: nil)
                x = g.add("\(p).add", shortcut, y)
                x = g.pointwise("\(p).activation", "relu", x)
                channels = width
            }
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.flatten("flatten", x)
        g.linear("fc", x, 1000)
        return g
    }
}
