import FoveaGeometry

/// Collects the nodes of a built-in model in execution order.
///
/// Every method appends one node and returns its name, so a model reads like its forward pass:
/// `x = g.conv("conv1", x, 64, kernel: 7, stride: 2, padding: 3, bias: false)`.
struct ZooGraph {
    private(set) var nodes: [Node] = []

    /// Appends a node reading `inputs` and returns its name.
    @discardableResult
    mutating func node(_ name: String, _ layer: Layer, _ inputs: [String]) -> String {
        nodes.append(Node(name, layer, inputs: inputs))
        return name
    }

    /// A 2-D convolution with square kernel, stride, symmetric padding and dilation.
    @discardableResult
    mutating func conv(_ name: String, _ input: String, _ out: Int, kernel: Int, stride: Int = 1,
                       padding: Int = 0, dilation: Int = 1, groups: Int = 1, bias: Bool = true) -> String {
        conv(name, input, out, kernel: [kernel, kernel], stride: [stride, stride],
             padding: .symmetric([padding, padding]), dilation: [dilation, dilation], groups: groups, bias: bias)
    }

    /// A 2-D convolution with per-axis kernel and padding rule.
    @discardableResult
    mutating func conv(_ name: String, _ input: String, _ out: Int, kernel: [Int], stride: [Int] = [1, 1],
                       padding: Padding, dilation: [Int] = [1, 1], groups: Int = 1, bias: Bool = true) -> String {
        let window = SlidingWindow(kernel: kernel, stride: stride, dilation: dilation, padding: padding)
        return node(name, .convolution(Convolution(window: window, outChannels: out, groups: groups, bias: bias)),
                    [input])
    }

    @discardableResult
    mutating func batchNorm(_ name: String, _ input: String) -> String {
        node(name, .batchNorm, [input])
    }

    /// An element-wise operation without spatial effect (`relu`, `dropout`, `layer_norm`, …).
    @discardableResult
    mutating func pointwise(_ name: String, _ op: String, _ input: String) -> String {
        node(name, .pointwise(op), [input])
    }

    @discardableResult
    mutating func maxPool(_ name: String, _ input: String, kernel: Int, stride: Int, padding: Int = 0,
                          ceilMode: Bool = false) -> String {
        pool(name, input, .max, kernel: kernel, stride: stride, padding: .symmetric([padding, padding]),
             ceilMode: ceilMode)
    }

    @discardableResult
    mutating func avgPool(_ name: String, _ input: String, kernel: Int, stride: Int, padding: Int = 0,
                          countIncludePad: Bool = true) -> String {
        pool(name, input, .average, kernel: kernel, stride: stride, padding: .symmetric([padding, padding]),
             countIncludePad: countIncludePad)
    }

    /// A square pooling window with any padding rule.
    @discardableResult
    mutating func pool(_ name: String, _ input: String, _ kind: PoolKind, kernel: Int, stride: Int,
                       padding: Padding, ceilMode: Bool = false, countIncludePad: Bool = true) -> String {
        let window = SlidingWindow(kernel: [kernel, kernel], stride: [stride, stride], padding: padding,
                                   ceilMode: ceilMode)
        return node(name, .pooling(Pooling(kind: kind, window: window, countIncludePad: countIncludePad)), [input])
    }

    /// PyTorch `AdaptiveAvgPool2d(size)`.
    @discardableResult
    mutating func adaptiveAvgPool(_ name: String, _ input: String, size: Int) -> String {
        node(name, .adaptivePooling(AdaptivePooling(kind: .average, outputSize: [size, size])), [input])
    }

    @discardableResult
    mutating func flatten(_ name: String, _ input: String) -> String {
        node(name, .flatten, [input])
    }

    @discardableResult
    mutating func linear(_ name: String, _ input: String, _ out: Int, bias: Bool = true) -> String {
        node(name, .linear(Linear(outFeatures: out, bias: bias)), [input])
    }

    @discardableResult
    mutating func add(_ name: String, _ a: String, _ b: String) -> String {
        node(name, .add, [a, b])
    }

    @discardableResult
    mutating func multiply(_ name: String, _ a: String, _ b: String) -> String {
        node(name, .multiply, [a, b])
    }

    @discardableResult
    mutating func concat(_ name: String, _ inputs: [String]) -> String {
        node(name, .concat, inputs)
    }
}
