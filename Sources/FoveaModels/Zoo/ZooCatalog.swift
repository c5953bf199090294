extension Zoo {
    private static func torchvision(_ name: String, _ family: String, size: Int = 224, _ summary: String,
                                    arguments: String = "",
                                    _ describe: @escaping @Sendable () -> ZooGraph) -> ZooEntry {
        ZooEntry(name: name, family: family, inputSize: [size, size], inputChannels: 3, summary: summary,
                 source: "torchvision 0.29 torchvision.models.\(name)(\(arguments))", describe: describe)
    }

    private static func slim(_ name: String, _ family: String, size: Int = 224, _ summary: String,
                             file: String, function: String,
                             _ describe: @escaping @Sendable () -> ZooGraph) -> ZooEntry {
        ZooEntry(name: name, family: family, inputSize: [size, size], inputChannels: 3, summary: summary,
                 source: "TF-Slim tensorflow/models research/slim/nets/\(file) \(function)", describe: describe)
    }

    static let torchvisionEntries: [ZooEntry] = [
        torchvision("alexnet", "AlexNet", "AlexNet (one-tower variant), 5 convolutions + 3 linear layers",
                    ZooGraph.alexNet),
        torchvision("vgg11", "VGG", "VGG-11 (configuration A), no batch norm") { .vgg(convsPerStage: [1, 1, 2, 2, 2]) },
        torchvision("vgg13", "VGG", "VGG-13 (configuration B), no batch norm") { .vgg(convsPerStage: [2, 2, 2, 2, 2]) },
        torchvision("vgg16", "VGG", "VGG-16 (configuration D), no batch norm") { .vgg(convsPerStage: [2, 2, 3, 3, 3]) },
        torchvision("vgg19", "VGG", "VGG-19 (configuration E), no batch norm") { .vgg(convsPerStage: [2, 2, 4, 4, 4]) },
        torchvision("resnet18", "ResNet", "ResNet-18, basic blocks 2-2-2-2") {
            .resNet(units: [2, 2, 2, 2], bottleneck: false)
        },
        torchvision("resnet34", "ResNet", "ResNet-34, basic blocks 3-4-6-3") {
            .resNet(units: [3, 4, 6, 3], bottleneck: false)
        },
        torchvision("resnet50", "ResNet", "ResNet-50 (v1.5: stride on the 3×3 conv), bottlenecks 3-4-6-3") {
            .resNet(units: [3, 4, 6, 3], bottleneck: true)
        },
        torchvision("resnet101", "ResNet", "ResNet-101 (v1.5), bottlenecks 3-4-23-3") {
            .resNet(units: [3, 4, 23, 3], bottleneck: true)
        },
        torchvision("resnet152", "ResNet", "ResNet-152 (v1.5), bottlenecks 3-8-36-3") {
            .resNet(units: [3, 8, 36, 3], bottleneck: true)
        },
        torchvision("googlenet", "Inception", "GoogLeNet (Inception v1) without auxiliary heads; 3×3 in branch 3",
                    arguments: "aux_logits=False", ZooGraph.googLeNet),
        torchvision("inception_v3", "Inception", size: 299, "Inception v3 without the auxiliary head",
                    arguments: "aux_logits=False", ZooGraph.inceptionV3),
        torchvision("mobilenet_v2", "MobileNet", "MobileNetV2, inverted residuals, width 1.0", ZooGraph.mobileNetV2),
        torchvision("mobilenet_v3_large", "MobileNet", "MobileNetV3-Large with squeeze-and-excitation") {
            .mobileNetV3(ZooGraph.mobileNetV3LargeBlocks, lastChannel: 1280)
        },
        torchvision("mobilenet_v3_small", "MobileNet", "MobileNetV3-Small with squeeze-and-excitation") {
            .mobileNetV3(ZooGraph.mobileNetV3SmallBlocks, lastChannel: 1024)
        },
        torchvision("densenet121", "DenseNet", "DenseNet-121, growth 32, blocks 6-12-24-16", ZooGraph.denseNet121),
        torchvision("squeezenet1_0", "SqueezeNet", "SqueezeNet 1.0, Fire modules, 7×7 stem") {
            .squeezeNet(version11: false)
        },
        torchvision("squeezenet1_1", "SqueezeNet", "SqueezeNet 1.1, Fire modules, 3×3 stem, earlier pooling") {
            .squeezeNet(version11: true)
        },
        torchvision("efficientnet_b0", "EfficientNet", "EfficientNet-B0, MBConv blocks with squeeze-and-excitation",
                    ZooGraph.efficientNetB0),
        torchvision("convnext_tiny", "ConvNeXt", "ConvNeXt-T, depthwise 7×7 blocks 3-3-9-3",
                    ZooGraph.convNeXtTiny),
        torchvision("regnet_y_400mf", "RegNet", "RegNetY-400MF, grouped bottlenecks with squeeze-and-excitation",
                    ZooGraph.regNetY400MF),
    ]

    static let slimEntries: [ZooEntry] = [
        slim("alexnet_v2", "AlexNet", "TF-Slim AlexNet v2 (fully convolutional head)", file: "alexnet.py",
             function: "alexnet_v2", ZooGraph.alexNetV2),
        slim("vgg_16", "VGG", "TF-Slim VGG-16 (fully convolutional head)", file: "vgg.py", function: "vgg_16",
             ZooGraph.vgg16Slim),
        slim("resnet_v1_50", "ResNet", "TF-Slim ResNet-50 v1: stride on the last unit of each block",
             file: "resnet_v1.py", function: "resnet_v1_50") { .resNetV1(units: [3, 4, 6, 3]) },
        slim("resnet_v1_101", "ResNet", "TF-Slim ResNet-101 v1: stride on the last unit of each block",
             file: "resnet_v1.py", function: "resnet_v1_101") { .resNetV1(units: [3, 4, 23, 3]) },
        slim("resnet_v1_152", "ResNet", "TF-Slim ResNet-152 v1: stride on the last unit of each block",
             file: "resnet_v1.py", function: "resnet_v1_152") { .resNetV1(units: [3, 8, 36, 3]) },
        slim("inception_v3_slim", "Inception", size: 299, "TF-Slim Inception v3 (TF padding, TF scope names)",
             file: "inception_v3.py", function: "inception_v3", ZooGraph.inceptionV3Slim),
        slim("mobilenet_v1", "MobileNet", "TF-Slim MobileNet v1 1.0, depthwise-separable, TF SAME padding",
             file: "mobilenet_v1.py", function: "mobilenet_v1", ZooGraph.mobileNetV1),
    ]

    static let classicEntries: [ZooEntry] = [
        ZooEntry(name: "lenet5", family: "LeNet", inputSize: [28, 28], inputChannels: 1,
                 summary: "LeNet-5 for 1×28×28 digits: conv6(5, pad 2)-pool-conv16(5)-pool-fc120-fc84-fc10",
                 source: "LeCun et al. 1998, with ReLU and max pooling; padded C1 on 28×28 (= the paper's 32×32)",
                 describe: ZooGraph.leNet5),
        ZooEntry(name: "lenet_digits", family: "LeNet", inputSize: [8, 8], inputChannels: 1,
                 summary: "LeNet-style for 1×8×8 digits: conv16(3, pad 1)-pool-conv32(3, pad 1)-pool-fc120-fc84-fc10",
                 source: "Fovea's default `fovea train` model for the built-in digits (docs/training.md)",
                 describe: ZooGraph.leNetDigits),
    ]
}
