/// SplitMix64 (Steele, Lea and Flood 2014): Fovea's deterministic random number generator. Its
/// whole state is one `UInt64`, so a checkpoint can store it and a resumed run continues the
/// same sequence. Used for parameter initialisation, the train/test split and shuffling.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The complete state.
    public var state: UInt64

    /// A generator whose first output is determined by `seed` alone.
    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for one purpose (initialisation, split, shuffle) of a run seeded with `seed`.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `[0, 1)` with 24 random bits (every `Float` step of that grid).
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method, no modulo bias).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// Shuffles `values` in place (Fisher–Yates, from the last position down).
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, nextInt(below: i + 1))
        }
    }
}
