import FoveaTensor

/// PyTorch's default initialisation of `Conv2d` and `Linear`: `kaiming_uniform_(w, a=√5)`, which
/// is `U(−b, b)` with `b = gain·√(3/fan_in)`, `gain = √(2/(1+a²))` — that is `b = 1/√fan_in` — and
/// the bias `U(−1/√fan_in, 1/√fan_in)`. `fan_in` is `C_in/groups·kH·kW` for a convolution and
/// `in_features` for a linear layer. Values are `−b + 2b·u` with `u` from `SplitMix64.nextUnitFloat`.
public enum DefaultInitialization {
    /// The bound `1/√fan_in` of both the weight and the bias distributions.
    public static func bound(fanIn: Int) -> Float {
        fanIn > 0 ? Float(1 / Double(fanIn).squareRoot()) : 0
    }

    /// A tensor of `shape` drawn from `U(−1/√fan_in, 1/√fan_in)`.
    public static func uniform(shape: [Int], fanIn: Int, using generator: inout SplitMix64) throws -> Tensor {
        let b = bound(fanIn: fanIn)
        var tensor = try Tensor(shape: shape, repeating: 0)
        for i in tensor.scalars.indices { tensor.scalars[i] = -b + 2 * b * generator.nextUnitFloat() }
        return tensor
    }
}
