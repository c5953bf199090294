import FoveaGeometry

/// Validated per-axis settings of a 2-D sliding window, shared by convolution and pooling layers.
struct WindowSettings: Sendable, Hashable {
    let kernel: [Int]
    let stride: [Int]
    let dilation: [Int]
    let padding: Padding

    /// Checks counts and ranges; `kernel`, `stride` and `dilation` have one entry per axis (H, W).
    init(layer: String, kernel: [Int], stride: [Int], dilation: [Int], padding: Padding) throws {
        for (parameter, values) in [("kernel", kernel), ("stride", stride), ("dilation", dilation)] {
            guard values.count == 2 else {
                throw LayerError.invalidParameter(layer: layer, parameter: parameter,
                                                  detail: "needs 2 values (H, W), got \(values)")
            }
            guard values.allSatisfy({ $0 >= 1 }) else {
                throw LayerError.invalidParameter(layer: layer, parameter: parameter,
                                                  detail: "must be at least 1, got \(values)")
            }
        }
        if case let .explicit(begin, end) = padding {
            guard begin.count == 2, end.count == 2 else {
                throw LayerError.invalidParameter(layer: layer, parameter: "padding",
                                                  detail: "needs 2 begin and 2 end values, got \(begin) and \(end)")
            }
            guard (begin + end).allSatisfy({ $0 >= 0 }) else {
                throw LayerError.invalidParameter(layer: layer, parameter: "padding",
                                                  detail: "must not be negative, got begin \(begin), end \(end)")
            }
        }
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
    }

    /// The padding (top, left) and (bottom, right) for an input of `size` (H, W). `same` pads
    /// `max((⌈n/s⌉ − 1)·s + d(k − 1) + 1 − n, 0)` in total, the odd pixel at the end (upper) or
    /// at the beginning (lower).
    func resolvedPadding(for size: [Int]) -> (begin: [Int], end: [Int]) {
        switch padding {
        case let .explicit(begin, end):
            return (begin, end)
        case .valid:
            return ([0, 0], [0, 0])
        case .sameUpper, .sameLower:
            var begin = [0, 0], end = [0, 0]
            for axis in 0..<2 {
                let n = size[axis]
                let out = (n + stride[axis] - 1) / stride[axis]
                let total = max((out - 1) * stride[axis] + dilation[axis] * (kernel[axis] - 1) + 1 - n, 0)
                let small = total / 2
                (begin[axis], end[axis]) = padding == .sameUpper ? (small, total - small) : (total - small, small)
            }
            return (begin, end)
        }
    }

    /// Throws unless every side's padding is at most half the kernel (PyTorch's pooling rule).
    func checkPoolPadding(layer: String, begin: [Int], end: [Int]) throws {
        for axis in 0..<2 where max(begin[axis], end[axis]) > kernel[axis] / 2 {
            throw LayerError.invalidParameter(
                layer: layer, parameter: "padding",
                detail: "\(max(begin[axis], end[axis])) on axis \(axis == 0 ? "H" : "W") exceeds half the kernel (\(kernel[axis]) / 2 = \(kernel[axis] / 2))")
        }
    }

    /// Throws if the effective kernel does not fit in the padded input of axis `axis`.
    func checkFits(layer: String, size: [Int], begin: [Int], end: [Int], outputs: [Int]) throws {
        for axis in 0..<2 where outputs[axis] < 1 {
            let effective = dilation[axis] * (kernel[axis] - 1) + 1
            throw LayerError.invalidParameter(
                layer: layer, parameter: "kernel",
                detail: "effective kernel \(effective) on axis \(axis == 0 ? "H" : "W") is larger than the padded input \(size[axis] + begin[axis] + end[axis]) (input \(size[axis]), padding \(begin[axis])+\(end[axis]))")
        }
    }

    /// The geometry description of this window.
    func slidingWindow(ceilMode: Bool) -> SlidingWindow {
        SlidingWindow(kernel: kernel, stride: stride, dilation: dilation, padding: padding, ceilMode: ceilMode)
    }
}

/// Throws unless `shape` is a non-empty NCHW shape.
func checkImageShape(_ shape: [Int], layer: String, tensor: String = "input") throws {
    guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else {
        throw LayerError.shapeMismatch(layer: layer, tensor: tensor, expected: "[N, C, H, W] with every size ≥ 1",
                                       actual: shape)
    }
}
