/// Single-precision matrix multiplication on raw row-major buffers.
public enum GEMM {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where `op(A)` is `m × k`
    /// (`A` itself, or `Aᵀ` when `transA`), `op(B)` is `k × n`, and `C` is `m × n`.
    /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored.
    /// With `beta == 0`, `C` is overwritten without being read (NaNs in it do not propagate);
    /// with `alpha == 0` or `k == 0`, `A` and `B` are not read.
    ///
    /// Uses every processor this process may run on (small problems run on one thread) and
    /// the fastest micro-kernel the CPU supports; see ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:options:)``.
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        sgemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, options: Options())
    }

    /// The same product as ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``, with
    /// an explicit thread limit and micro-kernel choice.
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        options: Options
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0, alpha != 0 else {
            scale(c: c, ldc: ldc, m: m, n: n, by: beta)
            return
        }
        let operands = GEMMOperands(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        GEMMDriver.run(
            operands, microKernel: options.resolvedMicroKernel,
            threads: options.threadCount(m: m, n: n, k: k))
    }

    /// `C = beta · C`, writing zeros without reading `C` when `beta == 0`.
    private static func scale(c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, by beta: Float) {
        if beta == 1 { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }
}
