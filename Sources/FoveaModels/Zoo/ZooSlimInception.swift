import FoveaGeometry

extension ZooGraph {
    /// A TF-Slim Inception convolution: batch norm and ReLU, no bias.
    private mutating func slimUnit(_ scope: String, _ input: String, _ out: Int, _ kernel: [Int], stride: Int = 1,
                                   padding: SlimPadding = .same) -> String {
        slimConv(scope, input, out, kernel: kernel, stride: stride, padding: padding, batchNorm: true,
                 activation: "relu")
    }

    /// TF-Slim `inception_v3` (nets/inception_v3.py) up to its logits; scopes as in TF with `/`
    /// written `.` (`Mixed_6b.Branch_2.Conv2d_0d_7x1`). The stem is VALID except
    /// `Conv2d_2b_3x3`; the mixed blocks are SAME except their stride-2 reductions. The logits
    /// head pools 8×8, its size at the default 299 input.
    static func inceptionV3Slim() -> ZooGraph {
        var g = ZooGraph()
        var x = g.slimUnit("Conv2d_1a_3x3", Network.inputName, 32, [3, 3], stride: 2, padding: .valid)
        x = g.slimUnit("Conv2d_2a_3x3", x, 32, [3, 3], padding: .valid)
        x = g.slimUnit("Conv2d_2b_3x3", x, 64, [3, 3], padding: .same)
        x = g.slimPool("MaxPool_3a_3x3", x, .max, kernel: 3, stride: 2, padding: .valid)
        x = g.slimUnit("Conv2d_3b_1x1", x, 80, [1, 1], padding: .valid)
        x = g.slimUnit("Conv2d_4a_3x3", x, 192, [3, 3], padding: .valid)
        x = g.slimPool("MaxPool_5a_3x3", x, .max, kernel: 3, stride: 2, padding: .valid)
        // The 35×35 blocks; Mixed_5c keeps the irregular scope names of the released checkpoint.
        for (p, pool, branch1) in [("Mixed_5b", 32, ["Conv2d_0a_1x1", "Conv2d_0b_5x5"]),
                                   ("Mixed_5c", 64, ["Conv2d_0b_1x1", "Conv_1_0c_5x5"]),
                                   ("Mixed_5d", 64, ["Conv2d_0a_1x1", "Conv2d_0b_5x5"])] {
            let b0 = g.slimUnit("\(p).Branch_0.Conv2d_0a_1x1", x, 64, [1, 1])
            var b1 = g.slimUnit("\(p).Branch_1.\(branch1[0])", x, 48, [1, 1])
            b1 = g.slimUnit("\(p).Branch_1.\(branch1[1])", b1, 64, [5, 5])
            var b2 = g.slimUnit("\(p).Branch_2.Conv2d_0a_1x1", x, 64, [1, 1])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0b_3x3", b2, 96, [3, 3])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0c_3x3", b2, 96, [3, 3])
            var b3 = g.slimPool("\(p).Branch_3.AvgPool_0a_3x3", x, .average, kernel: 3, stride: 1, padding: .same)
            b3 = g.slimUnit("\(p).Branch_3.Conv2d_0b_1x1", b3, pool, [1, 1])
            x = g.concat("\(p).concat", [b0, b1, b2, b3])
        }
        do {
            let p = "Mixed_6a"
            let b0 = g.slimUnit("\(p).Branch_0.Conv2d_1a_1x1", x, 384, [3, 3], stride: 2, padding: .valid)
            var b1 = g.slimUnit("\(p).Branch_1.Conv2d_0a_1x1", x, 64, [1, 1])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_0b_3x3", b1, 96, [3, 3])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_1a_1x1", b1, 96, [3, 3], stride: 2, padding: .valid)
            let b2 = g.slimPool("\(p).Branch_2.MaxPool_1a_3x3", x, .max, kernel: 3, stride: 2, padding: .valid)
            x = g.concat("\(p).concat", [b0, b1, b2])
        }
        for (p, c7) in [("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)] {
            let b0 = g.slimUnit("\(p).Branch_0.Conv2d_0a_1x1", x, 192, [1, 1])
            var b1 = g.slimUnit("\(p).Branch_1.Conv2d_0a_1x1", x, c7, [1, 1])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_0b_1x7", b1, c7, [1, 7])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_0c_7x1", b1, 192, [7, 1])
            var b2 = g.slimUnit("\(p).Branch_2.Conv2d_0a_1x1", x, c7, [1, 1])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0b_7x1", b2, c7, [7, 1])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0c_1x7", b2, c7, [1, 7])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0d_7x1", b2, c7, [7, 1])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0e_1x7", b2, 192, [1, 7])
            var b3 = g.slimPool("\(p).Branch_3.AvgPool_0a_3x3", x, .average, kernel: 3, stride: 1, padding: .same)
            b3 = g.slimUnit("\(p).Branch_3.Conv2d_0b_1x1", b3, 192, [1, 1])
            x = g.concat("\(p).concat", [b0, b1, b2, b3])
        }
        do {
            let p = "Mixed_7a"
            var b0 = g.slimUnit("\(p).Branch_0.Conv2d_0a_1x1", x, 192, [1, 1])
            b0 = g.slimUnit("\(p).Branch_0.Conv2d_1a_3x3", b0, 320, [3, 3], stride: 2, padding: .valid)
            var b1 = g.slimUnit("\(p).Branch_1.Conv2d_0a_1x1", x, 192, [1, 1])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_0b_1x7", b1, 192, [1, 7])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_0c_7x1", b1, 192, [7, 1])
            b1 = g.slimUnit("\(p).Branch_1.Conv2d_1a_3x3", b1, 192, [3, 3], stride: 2, padding: .valid)
            let b2 = g.slimPool("\(p).Branch_2.MaxPool_1a_3x3", x, .max, kernel: 3, stride: 2, padding: .valid)
            x = g.concat("\(p).concat", [b0, b1, b2])
        }
        for (p, branch1Second) in [("Mixed_7b", "Conv2d_0b_3x1"), ("Mixed_7c", "Conv2d_0c_3x1")] {
            let b0 = g.slimUnit("\(p).Branch_0.Conv2d_0a_1x1", x, 320, [1, 1])
            let b1 = g.slimUnit("\(p).Branch_1.Conv2d_0a_1x1", x, 384, [1, 1])
            let b1a = g.slimUnit("\(p).Branch_1.Conv2d_0b_1x3", b1, 384, [1, 3])
            let b1b = g.slimUnit("\(p).Branch_1.\(branch1Second)", b1, 384, [3, 1])
            let b1Out = g.concat("\(p).Branch_1.concat", [b1a, b1b])
            var b2 = g.slimUnit("\(p).Branch_2.Conv2d_0a_1x1", x, 448, [1, 1])
            b2 = g.slimUnit("\(p).Branch_2.Conv2d_0b_3x3", b2, 384, [3, 3])
            let b2a = g.slimUnit("\(p).Branch_2.Conv2d_0c_1x3", b2, 384, [1, 3])
            let b2b = g.slimUnit("\(p).Branch_2.Conv2d_0d_3x1", b2, 384, [3, 1])
            let b2Out = g.concat("\(p).Branch_2.concat", [b2a, b2b])
            var b3 = g.slimPool("\(p).Branch_3.AvgPool_0a_3x3", x, .average, kernel: 3, stride: 1, padding: .same)
            b3 = g.slimUnit("\(p).Branch_3.Conv2d_0b_1x1", b3, 192, [1, 1])
            x = g.concat("\(p).concat", [b0, b1Out, b2Out, b3])
        }
        x = g.slimPool("Logits.AvgPool_1a_8x8", x, .average, kernel: 8, stride: 1, padding: .valid)
        x = g.pointwise("Logits.Dropout_1b", "dropout", x)
        x = g.slimConv("Logits.Conv2d_1c_1x1", x, 1000, kernel: [1, 1], padding: .same, batchNorm: false,
                       activation: nil)
        g.flatten("Logits.SpatialSqueeze", x)
        return g
    }
}
