import FoveaGeometry

extension ZooGraph {
    /// torchvision `convnext_tiny`: a 4×4/4 patch stem, four stages of 3-3-9-3 blocks of widths
    /// 96-192-384-768 separated by layer norm + 2×2/2 convolutions. A block is a depthwise 7×7
    /// convolution, then a channels-last MLP (`Linear` over channels = 1×1 convolutions between
    /// the two `Permute`s) with layer norm and GELU, a learned per-channel layer scale (`mul`),
    /// stochastic depth and a residual add.
    static func convNeXtTiny() -> ZooGraph {
        let depths = [3, 3, 9, 3]
        let widths = [96, 192, 384, 768]
        var g = ZooGraph()
        var x = g.conv("features.0.0", Network.inputName, widths[0], kernel: 4, stride: 4)
        x = g.pointwise("features.0.1", "layer_norm", x)
        for (stage, depth) in depths.enumerated() {
            let dim = widths[stage]
            for b in 0..<depth {
                let p = "features.\(2 * stage + 1).\(b)"
                var y = g.conv("\(p).block.0", x, dim, kernel: 7, padding: 3, groups: dim)
                y = g.pointwise("\(p).block.1", "permute", y)
                y = g.pointwise("\(p).block.2", "layer_norm", y)
                y = g.conv("\(p).block.3", y, 4 * dim, kernel: 1)
                y = g.pointwise("\(p).block.4", "gelu", y)
                y = g.conv("\(p).block.5", y, dim, kernel: 1)
                y = g.pointwise("\(p).block.6", "permute", y)
                y = g.pointwise("\(p).mul", "layer_scale", y)
                y = g.pointwise("\(p).stochastic_depth", "stochastic_depth", y)
                x = g.add("\(p).add", y, x)
            }
            if stage < depths.count - 1 {
                let p = "features.\(2 * stage + 2)"
                x = g.pointwise("\(p).0", "layer_norm", x)
                x = g.conv("\(p).1", x, widths[stage + 1], kernel: 2, stride: 2)
            }
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.pointwise("classifier.0", "layer_norm", x)
        x = g.flatten("classifier.1", x)
        g.linear("classifier.2", x, 1000)
        return g
    }
}
