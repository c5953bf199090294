import CFoveaKernels

/// The register-tile kernels: `C[0..<mr][0..<nr] = alpha · Σ_p a[p] ⊗ b[p] + beta · C` over `kc`
/// packed steps (`mr` floats of A and `nr` of B per step, see ``GEMM/MicroKernel/tile``); with
/// `beta == 0`, C is not read.
enum GEMMMicroKernel {
    /// Runs the full-tile kernel `kind` (a resolved kernel, never `.automatic`).
    @inline(__always)
    static func run(
        _ kind: GEMM.MicroKernel, kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
    ) {
        switch kind {
        case .avx512: fovea_sgemm_kernel_12x32_avx512(kc, a, b, c, ldc, alpha, beta)
        case .avx2FMA: fovea_sgemm_kernel_6x16_avx2_fma(kc, a, b, c, ldc, alpha, beta)
        default: portable(kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
        }
    }

    /// Runs `kind` on an edge tile of `rows × columns` (at most its tile): the kernel writes the
    /// full tile into `scratch` (``GEMMTile/largestArea`` floats), and only the valid part is
    /// merged into C.
    static func runEdge(
        _ kind: GEMM.MicroKernel, kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
        alpha: Float, beta: Float, scratch: UnsafeMutablePointer<Float>
    ) {
        let nr = kind.tile.nr
        run(kind, kc: kc, a: a, b: b, c: scratch, ldc: nr, alpha: alpha, beta: 0)
        for i in 0..<rows {
            let row = c + i &* ldc
            let tile = scratch + i &* nr
            if beta == 0 {
                for j in 0..<columns { row[j] = tile[j] }
            } else if beta == 1 {
                for j in 0..<columns { row[j] += tile[j] }
            } else {
                for j in 0..<columns { row[j] = beta * row[j] + tile[j] }
            }
        }
    }

    /// Portable Swift SIMD kernel: twelve `SIMD8<Float>` accumulators.
    static func portable(
        kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        var ap = a
        var bp = UnsafeRawPointer(b)
        var remaining = kc
        while remaining > 0 {
            let b0 = bp.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = bp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var av = SIMD8<Float>(repeating: ap[0])
            c00 = multiplyAdd(c00, av, b0); c01 = multiplyAdd(c01, av, b1)
            av = SIMD8<Float>(repeating: ap[1])
            c10 = multiplyAdd(c10, av, b0); c11 = multiplyAdd(c11, av, b1)
            av = SIMD8<Float>(repeating: ap[2])
            c20 = multiplyAdd(c20, av, b0); c21 = multiplyAdd(c21, av, b1)
            av = SIMD8<Float>(repeating: ap[3])
            c30 = multiplyAdd(c30, av, b0); c31 = multiplyAdd(c31, av, b1)
            av = SIMD8<Float>(repeating: ap[4])
            c40 = multiplyAdd(c40, av, b0); c41 = multiplyAdd(c41, av, b1)
            av = SIMD8<Float>(repeating: ap[5])
            c50 = multiplyAdd(c50, av, b0); c51 = multiplyAdd(c51, av, b1)
            ap += 6
            bp += 64
            remaining &-= 1
        }
        store(c00, c01, row: c, alpha: alpha, beta: beta)
        store(c10, c11, row: c + ldc, alpha: alpha, beta: beta)
        store(c20, c21, row: c + 2 &* ldc, alpha: alpha, beta: beta)
        store(c30, c31, row: c + 3 &* ldc, alpha: alpha, beta: beta)
        store(c40, c41, row: c + 4 &* ldc, alpha: alpha, beta: beta)
        store(c50, c51, row: c + 5 &* ldc, alpha: alpha, beta: beta)
    }

    /// `acc + x · y`: fused where the architecture guarantees FMA (arm64); elsewhere a separate
    /// multiply and add, because without FMA code generation a fused SIMD product becomes a
    /// scalar `fmaf` call per lane.
    @inline(__always)
    private static func multiplyAdd(_ acc: SIMD8<Float>, _ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(arm64)
        acc.addingProduct(x, y)
        #else
        acc + x * y
        #endif
    }

    @inline(__always)
    private static func store(
        _ x0: SIMD8<Float>, _ x1: SIMD8<Float>, row: UnsafeMutablePointer<Float>,
        alpha: Float, beta: Float
    ) {
        let raw = UnsafeMutableRawPointer(row)
        var y0 = alpha * x0
        var y1 = alpha * x1
        if beta != 0 {
            y0 += beta * raw.loadUnaligned(as: SIMD8<Float>.self)
            y1 += beta * raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        }
        raw.storeBytes(of: y0, as: SIMD8<Float>.self)
        raw.storeBytes(of: y1, toByteOffset: 32, as: SIMD8<Float>.self)
    }
}
