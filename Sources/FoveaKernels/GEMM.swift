/// Single-precision matrix multiplication on raw row-major buffers.
public enum GEMM {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where `op(A)` is `m × k`
    /// (`A` itself, or `Aᵀ` when `transA`), `op(B)` is `k × n`, and `C` is `m × n`.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored.
    /// With `beta == 0`, `C` is overwritten without being read (NaNs in it do not propagate).
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else if beta != 1 {
                for j in 0..<n { row[j] *= beta }
            }
            for p in 0..<k {
                let aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p])
                if transB {
                    for j in 0..<n { row[j] += aip * b[j * ldb + p] }
                } else {
                    let brow = b + p * ldb
                    for j in 0..<n { row[j] += aip * brow[j] }
                }
            }
        }
    }
}
