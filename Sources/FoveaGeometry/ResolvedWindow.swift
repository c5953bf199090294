/// A sliding window resolved for one input size: explicit padding per axis and the output size.
public struct ResolvedWindow: Sendable, Hashable {
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
            let n = inputSize[axis], k = kernel[axis], s = stride[axis]
            let (pb, pe, out): (Int, Int, Int)
            do {
                let effective = try AffineReceptiveField.effectiveKernel(k, dilation[axis])
                switch padding {
                case .sameUpper, .sameLower:
                    let count = ceilDivision(n, s)
                    let total = Swift.max(try (count - 1).times(s).plus(effective).minus(n), 0)
                    let half = total / 2
                    (pb, pe, out) = padding == .sameUpper ? (half, total - half, count) : (total - half, half, count)
                case .valid:
                    (pb, pe, out) = try Self.explicitOutput(n, 0, 0, effective, s, ceilMode, node, axis)
                case .explicit(let padBegin, let padEnd):
                    for (name, list) in [("padding begin", padBegin), ("padding end", padEnd)] {
                        guard list.count == rank else {
                            throw GeometryError.rankMismatch(node: node, parameter: name, count: list.count,
                                                             spatialRank: rank)
                        }
                        guard list[axis] >= 0 else {
                            throw GeometryError.invalidParameter(node: node, parameter: name, axis: axis,
                                                                 value: list[axis], requirement: "must not be negative")
                        }
                    }
                    (pb, pe, out) = try Self.explicitOutput(n, padBegin[axis], padEnd[axis], effective, s,
                                                            ceilMode, node, axis)
                }
            } catch let error as GeometryError {
                throw error
            } catch let error as AxisError {
                throw GeometryError(error, node: node, axis: axis)
            } catch {
                throw .overflow(node: node, axis: axis)
            }
            begin.append(pb)
            end.append(pe)
            output.append(out)
        }
        return ResolvedWindow(kernel: kernel, stride: stride, dilation: dilation, padBegin: begin,
                              padEnd: end, outputSize: output)
    }

    /// Floor rule, or ceil rule dropping a last window that would start in the end padding.
    private static func explicitOutput(_ n: Int, _ pb: Int, _ pe: Int, _ effective: Int, _ s: Int,
                                       _ ceilMode: Bool, _ node: String, _ axis: Int) throws -> (Int, Int, Int) {
        let padded = try n.plus(pb).plus(pe)
        guard effective <= padded else {
            throw GeometryError.kernelExceedsInput(node: node, axis: axis, effectiveKernel: effective, paddedInput: padded)
        }
        let span = padded - effective
        var out = (ceilMode ? ceilDivision(span, s) : span / s) + 1
        if ceilMode, try (out - 1).times(s) >= n.plus(pb) { out -= 1 }
        return (pb, pe, out)
    }
}
