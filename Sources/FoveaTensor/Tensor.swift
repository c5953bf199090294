/// A dense, row-major (C order) tensor of `Float` values with an explicit shape.
///
/// Images are NCHW and convolution weights OIHW (`C_out, C_in/groups, kH, kW`), as in PyTorch
/// and ONNX. A rank-0 tensor (shape `[]`) holds one scalar. `Tensor` is a value type: copies
/// share storage until one of them is mutated.
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]

    /// Creates a tensor from a shape and its elements in row-major order.
    /// - Throws: `TensorError.invalidShape` for a negative dimension or an element count that
    ///   does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = try Tensor.elementCount(of: shape)
        guard count == scalars.count else {
            throw TensorError.invalidShape("shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    public init(shape: [Int], repeating value: Float = 0) throws {
        let count = try Tensor.elementCount(of: shape)
        self.shape = shape
        self.scalars = [Float](repeating: value, count: count)
    }

    /// Creates a rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.shape = []
        self.scalars = [scalar]
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// Returns the same elements under a new shape with the same element count.
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, scalars: scalars)
    }

    /// The number of elements of `shape`, checked for negative dimensions and overflow.
    public static func elementCount(of shape: [Int]) throws -> Int {
        var count = 1
        for d in shape {
            guard d >= 0 else { throw TensorError.invalidShape("negative dimension in shape \(shape)") }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw TensorError.invalidShape("shape \(shape) has too many elements") }
            count = p
        }
        return count
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape))" }
}

/// Errors raised by tensor construction and tensor file I/O.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// A shape that is negative, too large, or inconsistent with the data.
    case invalidShape(String)

    public var description: String {
        switch self {
        case .invalidShape(let message): return message
        }
    }
}
