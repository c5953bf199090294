/// Plain `C = alpha·op(A)·op(B) + beta·C` with every product accumulated in Double, and the
/// rounding-error bound that a Float computation of the same entries must stay within.
struct GEMMReference {
    var transA: Bool
    var transB: Bool
    var m: Int
    var n: Int
    var k: Int
    var alpha: Float
    var beta: Float
    var lda: Int
    var ldb: Int
    var ldc: Int

    /// Element `(i, p)` of `op(A)`.
    func opA(_ a: [Float], _ i: Int, _ p: Int) -> Float { transA ? a[p * lda + i] : a[i * lda + p] }
    /// Element `(p, j)` of `op(B)`.
    func opB(_ b: [Float], _ p: Int, _ j: Int) -> Float { transB ? b[j * ldb + p] : b[p * ldb + j] }

    /// Expected value and allowed absolute error of `C[i][j]` for inputs `a`, `b`, `c`.
    func expected(_ a: [Float], _ b: [Float], _ c: [Float], _ i: Int, _ j: Int) -> (value: Double, tolerance: Double) {
        var sum = 0.0
        var magnitude = 0.0
        for p in 0..<k {
            let product = Double(opA(a, i, p)) * Double(opB(b, p, j))
            sum += product
            magnitude += abs(product)
        }
        var value = Double(alpha) * sum
        var scale = abs(Double(alpha)) * magnitude
        if beta != 0 {
            value += Double(beta) * Double(c[i * ldc + j])
            scale += abs(Double(beta) * Double(c[i * ldc + j]))
        }
        // Float rounding of k products, k sums and the alpha/beta update: γ_(k+3)·scale.
        let unit = Double(Float.ulpOfOne) / 2
        return (value, Double(k + 3) * unit * scale * 1.01 + 1e-30)
    }
}

/// Deterministic SplitMix64 generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
