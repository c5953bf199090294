/// An invalid layer configuration at the analysed input size, or a value out of range.
///
/// Every `description` is one line naming the node, the parameter or axis, and the numbers.
public enum GeometryError: Error, Equatable, CustomStringConvertible {
    /// The requested input size has the wrong number of axes or a size below 1.
    case invalidInputSize(size: [Int], spatialRank: Int)
    /// A per-axis parameter list has a length different from the network's spatial rank.
    case rankMismatch(node: String, parameter: String, count: Int, spatialRank: Int)
    /// A parameter is out of range: kernel, stride, dilation or groups below 1, negative
    /// padding, a zero slice step, a non-positive size.
    case invalidParameter(node: String, parameter: String, axis: Int?, value: Int, requirement: String)
    /// A resize scale that is not a positive finite number.
    case invalidScale(node: String, axis: Int, scale: Double)
    /// The effective kernel `d·(k − 1) + 1` is larger than the padded input.
    case kernelExceedsInput(node: String, axis: Int, effectiveKernel: Int, paddedInput: Int)
    /// The layer's output would have no units on an axis.
    case emptyOutput(node: String, axis: Int, size: Int)
    /// PyTorch pooling rule (opt-in): each padding must be at most `kernel / 2`.
    case poolPaddingExceedsHalfKernel(node: String, axis: Int, padding: Int, kernel: Int)
    /// Two inputs of a merge have different sizes on an axis (and neither broadcasts).
    case sizeMismatch(node: String, axis: Int, input: String, size: Int, otherInput: String, otherSize: Int)
    /// Two inputs of an element-wise merge have different channel counts (and neither is 1).
    case channelMismatch(node: String, input: String, channels: Int, otherInput: String, otherChannels: Int)
    /// Input or output channels are not divisible by the number of groups.
    case channelsNotDivisible(node: String, parameter: String, channels: Int, groups: Int)
    /// A size, receptive field or parameter count does not fit in a 64-bit integer.
    case overflow(node: String, axis: Int?)
    /// A non-affine axis, or the reach near the borders of an axis, would need a per-unit table
    /// longer than the limit.
    case tableTooLarge(node: String, axis: Int, size: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidInputSize(let size, let rank):
            return "input size \(size): expected \(rank) sizes of at least 1"
        case .rankMismatch(let node, let parameter, let count, let rank):
            return "node '\(node)': \(parameter) has \(count) entries, the network has \(rank) spatial axes"
        case .invalidParameter(let node, let parameter, let axis, let value, let requirement):
            return "node '\(node)': \(parameter)\(Self.onAxis(axis)) is \(value); \(requirement)"
        case .invalidScale(let node, let axis, let scale):
            return "node '\(node)': scale on axis \(axis) is \(scale); must be a positive finite number"
        case .kernelExceedsInput(let node, let axis, let kernel, let padded):
            return "node '\(node)': effective kernel \(kernel) on axis \(axis) is larger than the padded input \(padded)"
        case .emptyOutput(let node, let axis, let size):
            return "node '\(node)': output size on axis \(axis) would be \(size)"
        case .poolPaddingExceedsHalfKernel(let node, let axis, let padding, let kernel):
            return "node '\(node)': pooling padding \(padding) on axis \(axis) exceeds half the kernel \(kernel) (PyTorch rule)"
        case .sizeMismatch(let node, let axis, let input, let size, let other, let otherSize):
            return "node '\(node)': inputs '\(input)' (size \(size)) and '\(other)' (size \(otherSize)) differ on axis \(axis)"
        case .channelMismatch(let node, let input, let channels, let other, let otherChannels):
            return "node '\(node)': inputs '\(input)' (\(channels) channels) and '\(other)' (\(otherChannels) channels) differ"
        case .channelsNotDivisible(let node, let parameter, let channels, let groups):
            return "node '\(node)': \(parameter) \(channels) is not divisible by groups \(groups)"
        case .overflow(let node, let axis):
            return "node '\(node)': a size or receptive-field value\(Self.onAxis(axis)) does not fit in 64 bits"
        case .tableTooLarge(let node, let axis, let size, let limit):
            return "node '\(node)': axis \(axis) needs a per-unit table of \(size) units, more than the \(limit) the analysis tabulates"
        }
    }

    private static func onAxis(_ axis: Int?) -> String {
        axis.map { " on axis \($0)" } ?? ""
    }

    /// Converts an axis-level failure into an error naming the node and axis.
    init(_ error: AxisError, node: String, axis: Int) {
        switch error {
        case .overflow: self = .overflow(node: node, axis: axis)
        case .tableTooLarge(let size):
            self = .tableTooLarge(node: node, axis: axis, size: size, limit: maximumTableLength)
        }
    }
}
