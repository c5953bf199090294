import FoveaGeometry
@testable import FoveaModels
import Testing

/// The empirical receptive field: gradient support through Fovea's kernels, per layer kind
/// (hand-derived supports), on the known-answer networks and on small zoo models.
@Suite struct ReportVerifierTests {
    /// The positions receiving gradient from `unit` of the last node of a 1-D network over `n` inputs.
    static func support(_ layers: [Layer], n: Int, unit: Int) throws -> [Int] {
        let network = try Network(name: "t", inputSize: [n], nodes: layers.enumerated().map { i, layer in
            Node("l\(i)", layer, inputs: [i == 0 ? Network.inputName : "l\(i - 1)"])
        })
        let geometry = try NetworkGeometry(network)
        let flags = try RFVerifier.backPropagate(from: "l\(layers.count - 1)", axis: 0, units: [unit], in: geometry)
        return flags.indices.filter { flags[$0] }
    }

    static func conv(_ k: Int, stride: Int = 1, dilation: Int = 1, padding: Padding? = nil) -> Layer {
        .convolution(Convolution(window: SlidingWindow(kernel: [k], stride: [stride], dilation: [dilation], padding: padding)))
    }

    @Test func dilatedConvolutionLeavesHoles() throws {
        // Unit 4 reads 4 − 2 + {0, 2, 4}.
        #expect(try Self.support([Self.conv(3, dilation: 2, padding: .symmetric([2]))], n: 10, unit: 4) == [2, 4, 6])
    }

    @Test func transposedConvolution() throws {
        // k 3, s 2, padding 1 on 4 inputs → 7 outputs; output o = 2i − 1 + t.
        let layer = Layer.transposedConvolution(TransposedConvolution(kernel: [3], stride: [2], padBegin: [1]))
        #expect(try Self.support([layer], n: 4, unit: 3) == [1, 2])
        #expect(try Self.support([layer], n: 4, unit: 0) == [0])
        #expect(try Self.support([layer], n: 4, unit: 6) == [3])
    }

    @Test func adaptivePoolingWithUnevenWindows() throws {
        // 5 → 3: windows [0, 1], [1, 3], [3, 4].
        let layer = Layer.adaptivePooling(AdaptivePooling(kind: .max, outputSize: [3]))
        #expect(try Self.support([layer], n: 5, unit: 1) == [1, 2, 3])
        #expect(try Self.support([layer], n: 5, unit: 2) == [3, 4])
    }

    @Test func resizeModes() throws {
        func resize(_ mode: Resize.Mode, _ transform: Resize.CoordinateTransform) -> Layer {
            .resize(Resize(mode: mode, coordinateTransform: transform, target: .scales([2])))
        }
        // Nearest, asymmetric, floor: unit 5 reads floor(5 / 2) = 2.
        #expect(try Self.support([resize(.nearest(.floor), .asymmetric)], n: 4, unit: 5) == [2])
        // Linear, half pixel: unit 5 at x = 5.5 / 2 − 0.5 = 2.25 reads 2 and 3; unit 0 at −0.25 clamps to 0.
        #expect(try Self.support([resize(.linear, .halfPixel)], n: 4, unit: 5) == [2, 3])
        #expect(try Self.support([resize(.linear, .halfPixel)], n: 4, unit: 0) == [0])
        // Linear, align corners over 4 → 8: unit 7 is exactly input 3, one tap.
        #expect(try Self.support([resize(.linear, .alignCorners)], n: 4, unit: 7) == [3])
        // Cubic: x = 2.25 reads 1 … 4, clamped to 3.
        #expect(try Self.support([resize(.cubic, .halfPixel)], n: 4, unit: 5) == [1, 2, 3])
    }

    @Test func padCropAndSlice() throws {
        let pad = Layer.pad(Pad(begin: [2], end: [0]))
        #expect(try Self.support([pad], n: 4, unit: 1) == [])
        #expect(try Self.support([pad], n: 4, unit: 3) == [1])
        #expect(try Self.support([.pad(Pad(begin: [-1], end: [-1]))], n: 6, unit: 0) == [1])
        // Start −1 (= 6), step −2 over 7 units: 6, 4, 2, 0.
        let slice = Layer.slice(Slice(start: [-1], end: [Int.min], step: [-2]))
        #expect(try Self.support([slice], n: 7, unit: 2) == [2])
    }

    @Test func globalLayersReachEveryPosition() throws {
        #expect(try Self.support([.globalPooling(.max)], n: 5, unit: 0) == [0, 1, 2, 3, 4])
        #expect(try Self.support([Self.conv(3, stride: 2), .flatten, .linear(Linear(outFeatures: 3))], n: 7, unit: 0)
                == [0, 1, 2, 3, 4, 5, 6])
    }

    /// A squeeze-and-excitation gate is global context: the gradient does not enter it.
    @Test func gateBranchIsLeftOut() throws {
        let network = try Network(name: "se", inputSize: [8], nodes: [
            Node("c", Self.conv(3, padding: .symmetric([1])), inputs: ["input"]),
            Node("g", .globalPooling(.average), inputs: ["c"]),
            Node("s", .pointwise("sigmoid"), inputs: ["g"]),
            Node("m", .multiply, inputs: ["c", "s"]),
        ])
        let geometry = try NetworkGeometry(network)
        #expect(geometry["m"]?.flags.contains(.globalContext) == true)
        let flags = try RFVerifier.backPropagate(from: "m", axis: 0, units: [4], in: geometry)
        #expect(flags.indices.filter { flags[$0] } == [3, 4, 5])
        #expect(try RFVerifier.verify(network, nodes: ["m"]).passed)
    }

    /// A valid 3-tap stride-2 convolution over 8 inputs never reads input 7; ceil-mode pooling
    /// then reads a padding unit whose interval, by the convention, is [6, 8]. The analysis reports
    /// the pixels really read, [4, 6], which the gradient reaches exactly.
    @Test func gradientSupportIsTheExactReach() throws {
        let network = try Network(name: "edge", inputSize: [8], nodes: [
            Node("c", Self.conv(3, stride: 2, padding: .valid), inputs: ["input"]),
            Node("p", .pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [2], stride: [2], ceilMode: true))),
                 inputs: ["c"]),
        ])
        let result = try RFVerifier.verify(network, nodes: ["p"])
        let last = try #require(result.nodes[0].checks.first { $0.role == .last && $0.inputSize == 8 })
        #expect(last.analytic == 4...8)
        #expect(last.expected == 4...6)
        #expect(last.measured == 4...6)
        #expect(last.agrees)
        #expect(result.passed)
        // Any shortfall is a disagreement, at the border as inside.
        let short = RFVerification.UnitCheck(axis: 0, inputSize: 8, unit: 1, role: .last, analytic: 4...8,
                                             expected: 4...7, measured: 4...6, holes: 0)
        #expect(!short.agrees)
    }

    /// Hand derivations at 224 (floor rule, no padding): squeezenet1_0's conv1 (7×7 s2) has
    /// (224 − 7)/2 + 1 = 109 units, the last reading 216…222, so no path reads pixel 223 and the
    /// global pool of the classifier reads [0, 222]. alexnet_v2: conv1 (11×11 s4) has 54 units,
    /// the VALID 3×3 s2 pools keep 26, 12 and 5 of 54, 26 and 12 units; following the last units
    /// back through the SAME convolutions, fc8's unit reads conv1 units 0…52, i.e. pixels [0, 218],
    /// while its interval by the padding convention is [−64, 258].
    @Test func zooReductionsReportAndVerifyTheExactReach() throws {
        let squeezenet = try Zoo.network(named: "squeezenet1_0")
        let geometry = try NetworkGeometry(squeezenet)
        for name in ["classifier.3", "flatten"] {
            let tensor = try #require(geometry[name])
            #expect(tensor.flags.contains(.partiallyGlobal) && !tensor.flags.contains(.global), "\(name)")
            #expect(tensor.axes.map(\.receptiveField) == [223, 223])
            #expect(tensor.axes.map { $0.interval(ofUnit: 0) } == [0...222, 0...222])
            #expect(tensor.axes.map { $0.reachedInput(ofUnit: 0) } == [0...222, 0...222])
        }
        #expect(geometry["features.0"]?.axes[0].reachedInput == 0...222)
        #expect(RFReport.finalSpatialNode(of: geometry) == "classifier.2")
        let squeezed = try RFVerifier.verify(squeezenet, nodes: ["classifier.3"])
        #expect(squeezed.passed)
        #expect(squeezed.nodes[0].checks.count == 2)
        #expect(squeezed.nodes[0].checks.allSatisfy { $0.expected == 0...222 && $0.measured == 0...222 })

        let alexnet = try Zoo.network(named: "alexnet_v2")
        let alexGeometry = try NetworkGeometry(alexnet)
        let fc8 = try #require(alexGeometry["fc8.Conv2D"])
        #expect(fc8.axes[0].interval(ofUnit: 0) == -64...258)
        #expect(fc8.axes.map { $0.reachedInput(ofUnit: 0) } == [0...218, 0...218])
        #expect(fc8.axes[0].unreachedCount(ofUnit: 0) == 5)  // 219…223
        // The container `fc8` ends in the squeezing flatten: a reduction that misses 5 pixels.
        let squeezedFC8 = try #require(alexGeometry["fc8"])
        #expect(squeezedFC8.name == "fc8.squeezed")
        #expect(squeezedFC8.flags.contains(.partiallyGlobal))
        #expect(squeezedFC8.axes.map(\.receptiveField) == [219, 219])
        let verified = try RFVerifier.verify(alexnet, nodes: ["fc8.Conv2D", "fc8"])
        #expect(verified.passed)
        let atRequestedSize = verified.nodes.flatMap(\.checks).filter { $0.inputSize == 224 }
        #expect(atRequestedSize.count == 4)
        #expect(atRequestedSize.allSatisfy { $0.expected == 0...218 && $0.measured == 0...218 })
    }

    /// The three known-answer networks: every check agrees and the measured r, S, P are the known ones.
    @Test(arguments: [
        ("known_aligned.yaml", "sum", [AffineReceptiveField(size: 3, stride: 4, padding: 1),
                                       AffineReceptiveField(size: 3, stride: 4, padding: 1)]),
        ("known_nonsquare.yaml", "conv2", [AffineReceptiveField(size: 7, stride: 4, padding: 0),
                                           AffineReceptiveField(size: 5, stride: 4, padding: 0)]),
        ("known_misaligned.yaml", "sum", [AffineReceptiveField(size: 3, stride: 1, padding: 0),
                                          AffineReceptiveField(size: 3, stride: 1, padding: 0)]),
    ])
    func knownAnswers(_ file: String, node: String, fields: [AffineReceptiveField]) throws {
        let spec = try SpecSupport.example(file)
        let result = try RFVerifier.verify(spec.network, nodes: [node])
        #expect(result.passed)
        #expect(result.nodes[0].fields.map(\.measured) == fields)
        #expect(result.nodes[0].fields.allSatisfy { $0.confirmsRequestedSize })
    }

    @Test(arguments: ["wavenet_1d.yaml", "video_3d.yaml", "tiny_unet.yaml", "tiny_cnn.yaml", "se_block.json"])
    func examplesVerify(_ file: String) throws {
        let spec = try SpecSupport.example(file)
        let geometry = try spec.geometry()
        let result = try RFVerifier.verify(spec.network, nodes: [RFReport.finalSpatialNode(of: geometry)])
        #expect(result.passed, "\(result.nodes.map { $0.failure?.description ?? "" })")
    }

    /// Small zoo models at their default sizes, at the final spatial node or a published endpoint
    /// whose measured field must be the published one (docs/zoo.md, checked by the zoo tests).
    @Test(arguments: [
        ("lenet5", nil, nil), ("alexnet", nil, nil), ("squeezenet1_1", nil, nil), ("mobilenet_v3_small", nil, nil),
        ("googlenet", nil, nil),
        ("resnet18", "layer4", AffineReceptiveField(size: 435, stride: 32, padding: 217)),
        ("mobilenet_v1", "Conv2d_13_pointwise", AffineReceptiveField(size: 315, stride: 32, padding: 126)),
    ] as [(String, String?, AffineReceptiveField?)])
    func zooModelsVerify(_ name: String, endpoint: String?, field: AffineReceptiveField?) throws {
        let network = try Zoo.network(named: name)
        let node = try endpoint ?? RFReport.finalSpatialNode(of: NetworkGeometry(network))
        let result = try RFVerifier.verify(network, nodes: [node])
        #expect(result.passed, "\(name) \(node)")
        if let field {
            #expect(result.nodes[0].fields.map(\.measured) == [field, field])
        }
    }
}
