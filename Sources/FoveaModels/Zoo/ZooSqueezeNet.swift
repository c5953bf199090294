import FoveaGeometry

extension ZooGraph {
    /// A stage of torchvision's SqueezeNet `features`: a ceil-mode 3×3/2 max pool or a Fire
    /// module (1×1 squeeze, then parallel 1×1 and 3×3 expands concatenated).
    enum SqueezeNetStage {
        case pool
        case fire(squeeze: Int, expand: Int)
    }

    /// torchvision `squeezenet1_0` (7×7 stem, 96 channels) or `squeezenet1_1` (3×3 stem, 64).
    static func squeezeNet(version11: Bool) -> ZooGraph {
        let stages: [SqueezeNetStage] = version11
            ? [.pool, .fire(squeeze: 16, expand: 64), .fire(squeeze: 16, expand: 64), .pool,
               .fire(squeeze: 32, expand: 128), .fire(squeeze: 32, expand: 128), .pool,
               .fire(squeeze: 48, expand: 192), .fire(squeeze: 48, expand: 192),
               .fire(squeeze: 64, expand: 256), .fire(squeeze: 64, expand: 256)]
            : [.pool, .fire(squeeze: 16, expand: 64), .fire(squeeze: 16, expand: 64),
               .fire(squeeze: 32, expand: 128), .pool, .fire(squeeze: 32, expand: 128),
               .fire(squeeze: 48, expand: 192), .fire(squeeze: 48, expand: 192),
               .fire(squeeze: 64, expand: 256), .pool, .fire(squeeze: 64, expand: 256)]
        var g = ZooGraph()
        var x = version11
            ? g.conv("features.0", Network.inputName, 64, kernel: 3, stride: 2)
            : g.conv("features.0", Network.inputName, 96, kernel: 7, stride: 2)
        x = g.pointwise("features.1", "relu", x)
        for (i, stage) in stages.enumerated() {
            let p = "features.\(i + 2)"
            switch stage {
            case .pool:
                x = g.maxPool(p, x, kernel: 3, stride: 2, ceilMode: true)
            case .fire(let squeeze, let expand):
                var s = g.conv("\(p).squeeze", x, squeeze, kernel: 1)
                s = g.pointwise("\(p).squeeze_activation", "relu", s)
                var e1 = g.conv("\(p).expand1x1", s, expand, kernel: 1)
                e1 = g.pointwise("\(p).expand1x1_activation", "relu", e1)
                var e3 = g.conv("\(p).expand3x3", s, expand, kernel: 3, padding: 1)
                e3 = g.pointwise("\(p).expand3x3_activation", "relu", e3)
                x = g.concat("\(p).cat", [e1, e3])
            }
        }
        x = g.pointwise("classifier.0", "dropout", x)
        x = g.conv("classifier.1", x, 1000, kernel: 1)
        x = g.pointwise("classifier.2", "relu", x)
        x = g.adaptiveAvgPool("classifier.3", x, size: 1)
        g.flatten("flatten", x)
        return g
    }
}
