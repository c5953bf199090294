/// Bounds applied to untrusted ONNX files before and while decoding them.
public enum ONNXLimits {
    /// Largest file accepted: a protobuf message cannot exceed 2 GiB.
    public static let maxFileBytes = Int(Int32.max)
    /// Most protobuf messages (nodes, attributes, tensors, shape dimensions, …) in one file;
    /// bounds the memory a decoded model can take, whatever the file claims.
    public static let maxMessages = 1_000_000
    /// Largest tensor rank.
    public static let maxRank = 32
    /// Largest single dimension (2^31 − 1).
    public static let maxDimension = Int(Int32.max)
    /// Largest element count of a constant whose values are read (pads, scales, shapes, …);
    /// larger constants (weights) keep only their shape.
    public static let maxConstantElements = 4096
    /// Largest spatial input size per axis.
    public static let maxSpatialSize = 1 << 24
}
