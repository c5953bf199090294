/// A sliding window resolved for one input size: explicit padding per axis and the output size.
public struct ResolvedWindow: Sendable, Hashable {
    /// Kernel, stride and dilation per axis, as in the window.
    public let kernel: [Int]
    public let stride: [Int]
    public let dilation: [Int]
    /// Padding before each axis (from `same` rules: the even half, plus the odd pixel for `sameLower`).
    public let padBegin: [Int]
    /// Padding after each axis.
    public let padEnd: [Int]
    /// Output size by the PyTorch/ONNX rules (floor, or ceil without windows that start in the end padding).
    public let outputSize: [Int]

    /// The effective kernel `d·(k − 1) + 1` per axis.
    public var effectiveKernel: [Int] { kernel.indices.map { dilation[$0] * (kernel[$0] - 1) + 1 } }
}

extension SlidingWindow {
    /// Resolves the padding rule for `inputSize` and computes the output size.
    /// - Parameter node: the name used in errors.
    /// - Throws: `GeometryError` for lists of the wrong length, kernel, stride or dilation below 1,
    ///   negative padding, or an effective kernel larger than the padded input.
    public func resolved(inputSize: [Int], node: String = "") throws(GeometryError) -> ResolvedWindow {
        let rank = inputSize.count
        for (name, list) in [("kernel", kernel), ("stride", stride), ("dilation", dilation)] {
            guard list.count == rank else {
                throw .rankMismatch(node: node, parameter: name, count: list.count, spatialRank: rank)
            }
            for (axis, value) in list.enumerated() where value < 1 {
                throw .invalidParameter(node: node, parameter: name, axis: axis, value: value,
                                        requirement: "must be at least 1")
            }
        }
        var begin = [Int](), end = [Int](), output = [Int]()
        for axis in 0..<rank {
            let n = inputSize[axis], s = stride[axis]
            let effective = try Self.onAxis(node, axis) { () throws(AxisError) in
                try AffineReceptiveField.effectiveKernel(kernel[axis], dilation[axis])
            }
            let (pb, pe): (Int, Int)
            switch padding {
            case .sameUpper, .sameLower:
                let count = ceilDivision(n, s)
                let total = try Self.onAxis(node, axis) { () throws(AxisError) in
                    Swift.max(try (count - 1).times(s).plus(effective).minus(n), 0)
                }
                (pb, pe) = padding == .sameUpper ? (total / 2, total - total / 2) : (total - total / 2, total / 2)
                begin.append(pb)
                end.append(pe)
                output.append(count)
                continue
            case .valid:
                (pb, pe) = (0, 0)
            case .explicit(let padBegin, let padEnd):
                for (name, list) in [("padding begin", padBegin), ("padding end", padEnd)] {
                    guard list.count == rank else {
                        throw .rankMismatch(node: node, parameter: name, count: list.count, spatialRank: rank)
                    }
                    guard list[axis] >= 0 else {
                        throw .invalidParameter(node: node, parameter: name, axis: axis, value: list[axis],
                                                requirement: "must not be negative")
                    }
                }
                (pb, pe) = (padBegin[axis], padEnd[axis])
            }
            // Floor rule, or ceil rule dropping a last window that would start in the end padding.
            let padded = try Self.onAxis(node, axis) { () throws(AxisError) in try n.plus(pb).plus(pe) }
            guard effective <= padded else {
                throw .kernelExceedsInput(node: node, axis: axis, effectiveKernel: effective, paddedInput: padded)
            }
            let span = padded - effective
            var count = (ceilMode ? ceilDivision(span, s) : span / s) + 1
            if ceilMode, try Self.onAxis(node, axis, { () throws(AxisError) in try (count - 1).times(s).minus(pb) }) >= n {
                count -= 1
            }
            begin.append(pb)
            end.append(pe)
            output.append(count)
        }
        return ResolvedWindow(kernel: kernel, stride: stride, dilation: dilation, padBegin: begin,
                              padEnd: end, outputSize: output)
    }

    private static func onAxis<T>(_ node: String, _ axis: Int,
                                  _ body: () throws(AxisError) -> T) throws(GeometryError) -> T {
        do { return try body() } catch { throw GeometryError(error, node: node, axis: axis) }
    }
}
