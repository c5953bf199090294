import FoveaGeometry

extension ZooGraph {
    /// torchvision's `BasicConv2d`: bias-free convolution, batch norm, functional ReLU, named
    /// `<prefix>.conv`, `<prefix>.bn`, `<prefix>.relu`.
    mutating func basicConv(_ prefix: String, _ input: String, _ out: Int, kernel: [Int], stride: Int = 1,
                            padding: [Int] = [0, 0]) -> String {
        var x = conv("\(prefix).conv", input, out, kernel: kernel, stride: [stride, stride],
                     padding: .symmetric(padding), bias: false)
        x = batchNorm("\(prefix).bn", x)
        return pointwise("\(prefix).relu", "relu", x)
    }

    /// torchvision `googlenet(aux_logits=False)`. As in torchvision, the third branch of every
    /// inception module uses a 3×3 convolution where the paper has 5×5.
    static func googLeNet() -> ZooGraph {
        var g = ZooGraph()
        var x = g.basicConv("conv1", Network.inputName, 64, kernel: [7, 7], stride: 2, padding: [3, 3])
        x = g.maxPool("maxpool1", x, kernel: 3, stride: 2, ceilMode: true)
        x = g.basicConv("conv2", x, 64, kernel: [1, 1])
        x = g.basicConv("conv3", x, 192, kernel: [3, 3], padding: [1, 1])
        x = g.maxPool("maxpool2", x, kernel: 3, stride: 2, ceilMode: true)
        // (name, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)
        let modules: [(String, Int, Int, Int, Int, Int, Int)] = [
            ("inception3a", 64, 96, 128, 16, 32, 32), ("inception3b", 128, 128, 192, 32, 96, 64),
            ("inception4a", 192, 96, 208, 16, 48, 64), ("inception4b", 160, 112, 224, 24, 64, 64),
            ("inception4c", 128, 128, 256, 24, 64, 64), ("inception4d", 112, 144, 288, 32, 64, 64),
            ("inception4e", 256, 160, 320, 32, 128, 128), ("inception5a", 256, 160, 320, 32, 128, 128),
            ("inception5b", 384, 192, 384, 48, 128, 128),
        ]
        for (p, c1, c3r, c3, c5r, c5, pool) in modules {
            let b1 = g.basicConv("\(p).branch1", x, c1, kernel: [1, 1])
            var b2 = g.basicConv("\(p).branch2.0", x, c3r, kernel: [1, 1])
            b2 = g.basicConv("\(p).branch2.1", b2, c3, kernel: [3, 3], padding: [1, 1])
            var b3 = g.basicConv("\(p).branch3.0", x, c5r, kernel: [1, 1])
            b3 = g.basicConv("\(p).branch3.1", b3, c5, kernel: [3, 3], padding: [1, 1])
            var b4 = g.maxPool("\(p).branch4.0", x, kernel: 3, stride: 1, padding: 1, ceilMode: true)
            b4 = g.basicConv("\(p).branch4.1", b4, pool, kernel: [1, 1])
            x = g.concat("\(p).cat", [b1, b2, b3, b4])
            if p == "inception3b" { x = g.maxPool("maxpool3", x, kernel: 3, stride: 2, ceilMode: true) }
            if p == "inception4e" { x = g.maxPool("maxpool4", x, kernel: 2, stride: 2, ceilMode: true) }
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.flatten("flatten", x)
        x = g.pointwise("dropout", "dropout", x)
        g.linear("fc", x, 1000)
        return g
    }

    /// torchvision `inception_v3(aux_logits=False)` (the auxiliary head only runs in training).
    static func inceptionV3() -> ZooGraph {
        var g = ZooGraph()
        var x = g.basicConv("Conv2d_1a_3x3", Network.inputName, 32, kernel: [3, 3], stride: 2)
        x = g.basicConv("Conv2d_2a_3x3", x, 32, kernel: [3, 3])
        x = g.basicConv("Conv2d_2b_3x3", x, 64, kernel: [3, 3], padding: [1, 1])
        x = g.maxPool("maxpool1", x, kernel: 3, stride: 2)
        x = g.basicConv("Conv2d_3b_1x1", x, 80, kernel: [1, 1])
        x = g.basicConv("Conv2d_4a_3x3", x, 192, kernel: [3, 3])
        x = g.maxPool("maxpool2", x, kernel: 3, stride: 2)
        for (p, poolFeatures) in [("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)] {
            x = g.inceptionA(p, x, poolFeatures: poolFeatures)
        }
        x = g.inceptionB("Mixed_6a", x)
        for (p, c7) in [("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)] {
            x = g.inceptionC(p, x, c7: c7)
        }
        x = g.inceptionD("Mixed_7a", x)
        x = g.inceptionE("Mixed_7b", x)
        x = g.inceptionE("Mixed_7c", x)
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.pointwise("dropout", "dropout", x)
        x = g.flatten("flatten", x)
        g.linear("fc", x, 1000)
        return g
    }

    private mutating func inceptionA(_ p: String, _ x: String, poolFeatures: Int) -> String {
        let b1 = basicConv("\(p).branch1x1", x, 64, kernel: [1, 1])
        var b5 = basicConv("\(p).branch5x5_1", x, 48, kernel: [1, 1])
        b5 = basicConv("\(p).branch5x5_2", b5, 64, kernel: [5, 5], padding: [2, 2])
        var b3 = basicConv("\(p).branch3x3dbl_1", x, 64, kernel: [1, 1])
        b3 = basicConv("\(p).branch3x3dbl_2", b3, 96, kernel: [3, 3], padding: [1, 1])
        b3 = basicConv("\(p).branch3x3dbl_3", b3, 96, kernel: [3, 3], padding: [1, 1])
        var bp = avgPool("\(p).avg_pool2d", x, kernel: 3, stride: 1, padding: 1)
        bp = basicConv("\(p).branch_pool", bp, poolFeatures, kernel: [1, 1])
        return concat("\(p).cat", [b1, b5, b3, bp])
    }

    private mutating func inceptionB(_ p: String, _ x: String) -> String {
        let b3 = basicConv("\(p).branch3x3", x, 384, kernel: [3, 3], stride: 2)
        var bd = basicConv("\(p).branch3x3dbl_1", x, 64, kernel: [1, 1])
        bd = basicConv("\(p).branch3x3dbl_2", bd, 96, kernel: [3, 3], padding: [1, 1])
        bd = basicConv("\(p).branch3x3dbl_3", bd, 96, kernel: [3, 3], stride: 2)
        let bp = maxPool("\(p).max_pool2d", x, kernel: 3, stride: 2)
        return concat("\(p).cat", [b3, bd, bp])
    }

    private mutating func inceptionC(_ p: String, _ x: String, c7: Int) -> String {
        let b1 = basicConv("\(p).branch1x1", x, 192, kernel: [1, 1])
        var b7 = basicConv("\(p).branch7x7_1", x, c7, kernel: [1, 1])
        b7 = basicConv("\(p).branch7x7_2", b7, c7, kernel: [1, 7], padding: [0, 3])
        b7 = basicConv("\(p).branch7x7_3", b7, 192, kernel: [7, 1], padding: [3, 0])
        var bd = basicConv("\(p).branch7x7dbl_1", x, c7, kernel: [1, 1])
        bd = basicConv("\(p).branch7x7dbl_2", bd, c7, kernel: [7, 1], padding: [3, 0])
        bd = basicConv("\(p).branch7x7dbl_3", bd, c7, kernel: [1, 7], padding: [0, 3])
        bd = basicConv("\(p).branch7x7dbl_4", bd, c7, kernel: [7, 1], padding: [3, 0])
        bd = basicConv("\(p).branch7x7dbl_5", bd, 192, kernel: [1, 7], padding: [0, 3])
        var bp = avgPool("\(p).avg_pool2d", x, kernel: 3, stride: 1, padding: 1)
        bp = basicConv("\(p).branch_pool", bp, 192, kernel: [1, 1])
        return concat("\(p).cat", [b1, b7, bd, bp])
    }

    private mutating func inceptionD(_ p: String, _ x: String) -> String {
        var b3 = basicConv("\(p).branch3x3_1", x, 192, kernel: [1, 1])
        b3 = basicConv("\(p).branch3x3_2", b3, 320, kernel: [3, 3], stride: 2)
        var b7 = basicConv("\(p).branch7x7x3_1", x, 192, kernel: [1, 1])
        b7 = basicConv("\(p).branch7x7x3_2", b7, 192, kernel: [1, 7], padding: [0, 3])
        b7 = basicConv("\(p).branch7x7x3_3", b7, 192, kernel: [7, 1], padding: [3, 0])
        b7 = basicConv("\(p).branch7x7x3_4", b7, 192, kernel: [3, 3], stride: 2)
        let bp = maxPool("\(p).max_pool2d", x, kernel: 3, stride: 2)
        return concat("\(p).cat", [b3, b7, bp])
    }

    private mutating func inceptionE(_ p: String, _ x: String) -> String {
        let b1 = basicConv("\(p).branch1x1", x, 320, kernel: [1, 1])
        let b3 = basicConv("\(p).branch3x3_1", x, 384, kernel: [1, 1])
        let b3a = basicConv("\(p).branch3x3_2a", b3, 384, kernel: [1, 3], padding: [0, 1])
        let b3b = basicConv("\(p).branch3x3_2b", b3, 384, kernel: [3, 1], padding: [1, 0])
        let b3Out = concat("\(p).cat", [b3a, b3b])
        var bd = basicConv("\(p).branch3x3dbl_1", x, 448, kernel: [1, 1])
        bd = basicConv("\(p).branch3x3dbl_2", bd, 384, kernel: [3, 3], padding: [1, 1])
        let bda = basicConv("\(p).branch3x3dbl_3a", bd, 384, kernel: [1, 3], padding: [0, 1])
        let bdb = basicConv("\(p).branch3x3dbl_3b", bd, 384, kernel: [3, 1], padding: [1, 0])
        let bdOut = concat("\(p).cat_1", [bda, bdb])
        var bp = avgPool("\(p).avg_pool2d", x, kernel: 3, stride: 1, padding: 1)
        bp = basicConv("\(p).branch_pool", bp, 192, kernel: [1, 1])
        return concat("\(p).cat_2", [b1, b3Out, bdOut, bp])
    }
}
