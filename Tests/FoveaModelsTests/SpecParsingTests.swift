import Foundation
import FoveaGeometry
@testable import FoveaModels
import Testing

/// Spec text → Network: every layer kind, both forms, per-axis values, defaults, naming.
@Suite struct SpecParsingTests {
    @Test func sequentialFormChainsLayersAndNamesThemPerOperation() throws {
        let spec = try SpecSupport.parse("""
            name: chain
            input: {size: [32, 32], channels: 3}
            layers:
              - conv: {kernel: 3, padding: 1, out_channels: 8}
              - relu
              - conv: {kernel: 3, name: conv1b}
              - conv: 5
              - maxpool: 2
            """)
        let network = spec.network
        #expect(network.name == "chain")
        #expect(network.inputChannels == 3)
        #expect(network.inputSize == [32, 32])
        #expect(network.nodes.map(\.name) == ["conv1", "relu1", "conv1b", "conv2", "maxpool1"])
        #expect(network.nodes.map(\.inputs) == [["input"], ["conv1"], ["relu1"], ["conv1b"], ["conv2"]])
        #expect(network.nodes[3].layer == .convolution(Convolution(window: SlidingWindow(kernel: [5, 5]))))
        // Pools default to stride = kernel, as in PyTorch.
        #expect(network.nodes[4].layer == .pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [2, 2], stride: [2, 2]))))
        #expect(spec.line(ofNode: "relu1") == 5)
    }

    @Test func autoNamesSkipNamesTakenByEarlierLayers() throws {
        let spec = try SpecSupport.parse("""
            input: {size: [8]}
            layers:
              - relu: {name: relu1}
              - relu
            """)
        #expect(spec.network.nodes.map(\.name) == ["relu1", "relu2"])
    }

    @Test func graphFormEqualsTheSameNetworkWrittenSequentiallyWithInputs() throws {
        let graph = try SpecSupport.parse("""
            input: {size: [8, 8]}
            nodes:
              a: {op: conv, kernel: 1, inputs: input}
              b: {op: conv, kernel: 3, padding: {begin: 0, end: 2}, inputs: input}
              sum: {op: add, inputs: [a, b]}
            """)
        let sequential = try SpecSupport.parse("""
            input: {size: [8, 8]}
            layers:
              - conv: {kernel: 1, name: a}
              - {op: conv, kernel: 3, padding: {begin: 0, end: 2}, name: b, inputs: input}
              - add: {inputs: [a, b], name: sum}
            """)
        #expect(graph.network.nodes == sequential.network.nodes)
        #expect(graph.network.nodes[1].layer == .convolution(Convolution(window: SlidingWindow(
            kernel: [3, 3], padding: .explicit(begin: [0, 0], end: [2, 2])))))
    }

    @Test func jsonReadsLikeYAMLIncludingTabsAndKeyOrder() throws {
        let json = try SpecSupport.parse("""
            {
            \t"input": {"size": [8, 8]},
            \t"nodes": {
            \t\t"z": {"op": "conv", "kernel": [3, 1], "inputs": "input"},
            \t\t"a": {"op": "relu", "inputs": "z"}
            \t}
            }
            """, file: "net.json")
        #expect(json.network.nodes.map(\.name) == ["z", "a"])
        #expect(json.network.nodes[0].layer == .convolution(Convolution(window: SlidingWindow(kernel: [3, 1]))))
        #expect(json.line(ofNode: "a") == 5)
    }

    @Test func everyLayerKindIsExpressible() throws {
        let spec = try SpecSupport.parse("""
            input: {size: [64, 48], channels: 4}
            layers:
              - conv: {kernel: [3, 5], stride: [2, 1], dilation: 2, padding: same_lower, groups: 2, out_channels: 8, bias: false}
              - conv: {kernel: 3, padding: valid}
              - conv_transpose: {kernel: 4, stride: 2, padding: {begin: 1, end: 2}, output_padding: [1, 0], out_channels: 4}
              - maxpool: {kernel: 3, stride: 2, padding: 1, dilation: 2, ceil_mode: true}
              - avgpool: {kernel: 2, count_include_pad: false}
              - lppool: {kernel: 2, p: 3}
              - adaptive_avgpool: [7, null]
              - adaptive_maxpool: {output_size: 5}
              - resize: {scale: [2, 1.5], mode: bilinear, align_corners: true}
              - upsample: {size: [20, 20]}
              - resize: {scale: 2, mode: nearest, coordinate_transform: half_pixel, nearest_mode: round_prefer_ceil}
              - resize: {scale: 0.5, mode: bicubic}
              - pad: {padding: {begin: [1, 0], end: 2}, mode: replicate}
              - crop: 1
              - slice: {start: [1, -1], end: [null, null], step: [2, -1]}
              - batchnorm
              - gelu
              - pointwise: layer_scale
              - global_maxpool
              - flatten
              - linear: {out_features: 10, bias: false}
            """)
        let layers = spec.network.nodes.map(\.layer)
        let expected: [Layer] = [
            .convolution(Convolution(window: SlidingWindow(kernel: [3, 5], stride: [2, 1], dilation: [2, 2], padding: .sameLower),
                                     outChannels: 8, groups: 2, bias: false)),
            .convolution(Convolution(window: SlidingWindow(kernel: [3, 3], padding: .valid))),
            .transposedConvolution(TransposedConvolution(kernel: [4, 4], stride: [2, 2], padBegin: [1, 1], padEnd: [2, 2],
                                                         outputPadding: [1, 0], outChannels: 4)),
            .pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [3, 3], stride: [2, 2], dilation: [2, 2],
                                                               padding: .symmetric([1, 1]), ceilMode: true))),
            .pooling(Pooling(kind: .average, window: SlidingWindow(kernel: [2, 2], stride: [2, 2]), countIncludePad: false)),
            .pooling(Pooling(kind: .lp(3), window: SlidingWindow(kernel: [2, 2], stride: [2, 2]))),
            .adaptivePooling(AdaptivePooling(kind: .average, outputSize: [7, nil])),
            .adaptivePooling(AdaptivePooling(kind: .max, outputSize: [5, 5])),
            .resize(Resize(mode: .linear, coordinateTransform: .alignCorners, target: .scales([2, 1.5]))),
            .resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .sizes([20, 20]))),
            .resize(Resize(mode: .nearest(.roundPreferCeil), coordinateTransform: .halfPixel, target: .scales([2, 2]))),
            .resize(Resize(mode: .cubic, coordinateTransform: .halfPixel, target: .scales([0.5, 0.5]))),
            .pad(Pad(begin: [1, 0], end: [2, 2], mode: .edge)),
            .pad(Pad(begin: [-1, -1], end: [-1, -1])),
            .slice(Slice(start: [1, -1], end: [Int.max, Int.min], step: [2, -1])),
            .batchNorm, .pointwise("gelu"), .pointwise("layer_scale"), .globalPooling(.max), .flatten,
            .linear(Linear(outFeatures: 10, bias: false)),
        ]
        #expect(layers == expected)
        // Every single-input Layer case appears, pooling with all three kinds (merges are in the
        // graph tests): 12 cases, plus two more pooling kinds, a second adaptive kind and a
        // second pointwise name.
        #expect(Set(layers.map(\.operationName)).count == 16)
        _ = try spec.geometry()
    }

    @Test func oneAndThreeDimensionalSpecsTakeScalarsOrPerAxisLists() throws {
        let one = try SpecSupport.example("wavenet_1d.yaml")
        #expect(one.network.spatialRank == 1)
        let three = try SpecSupport.example("video_3d.yaml")
        #expect(three.network.nodes[0].layer == .convolution(Convolution(
            window: SlidingWindow(kernel: [3, 7, 7], stride: [1, 2, 2], padding: .symmetric([1, 3, 3])), outChannels: 64)))
        let geometry = try three.geometry()
        #expect(geometry.tensors.last?.outputSize == [4, 28, 28])
    }

    @Test func outputsDefaultToTheLastNodeAndCanBeListed() throws {
        let spec = try SpecSupport.parse("""
            input: {size: [8, 8]}
            layers: [relu, sigmoid]
            outputs: relu1
            """)
        #expect(spec.network.outputs == ["relu1"])
    }

    @Test func everyExampleParsesAndAnalyses() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SpecSupport.examples.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
        #expect(files.count >= 8)
        for file in files {
            _ = try SpecSupport.example(file).geometry()
        }
    }
}
