@testable import FoveaGeometry

/// Short constructors for test networks.
enum Build {
    static func conv(_ kernel: [Int], stride: [Int]? = nil, dilation: [Int]? = nil, padding: Padding? = nil,
                     ceilMode: Bool = false, out: Int? = nil, groups: Int = 1, bias: Bool = true) -> Layer {
        .convolution(Convolution(window: SlidingWindow(kernel: kernel, stride: stride, dilation: dilation,
                                                       padding: padding, ceilMode: ceilMode),
                                 outChannels: out, groups: groups, bias: bias))
    }

    static func pool(_ kernel: [Int], stride: [Int]? = nil, dilation: [Int]? = nil, padding: Padding? = nil,
                     ceilMode: Bool = false, kind: PoolKind = .max) -> Layer {
        .pooling(Pooling(kind: kind, window: SlidingWindow(kernel: kernel, stride: stride, dilation: dilation,
                                                           padding: padding, ceilMode: ceilMode)))
    }

    static func pad(begin: [Int], end: [Int]) -> Layer { .pad(Pad(begin: begin, end: end)) }

    static func explicit(_ begin: [Int], _ end: [Int]) -> Padding { .explicit(begin: begin, end: end) }

    /// A network over the given nodes `(name, layer, inputs)`.
    static func network(_ inputSize: [Int], channels: Int? = nil, _ nodes: [(String, Layer, [String])]) throws -> Network {
        try Network(name: "test", inputChannels: channels, inputSize: inputSize,
                    nodes: nodes.map { Node($0.0, $0.1, inputs: $0.2) })
    }

    /// A chain of layers named `l0`, `l1`, …
    static func chain(_ inputSize: [Int], channels: Int? = nil, _ layers: [Layer]) throws -> Network {
        try network(inputSize, channels: channels, layers.enumerated().map { index, layer in
            ("l\(index)", layer, [index == 0 ? Network.inputName : "l\(index - 1)"])
        })
    }
}

/// A small deterministic generator (SplitMix64) for seeded property tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
