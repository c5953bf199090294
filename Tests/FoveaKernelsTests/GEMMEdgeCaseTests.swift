import Testing
@testable import FoveaKernels

/// Runs `sgemm` without transposes on tight row-major arrays.
private func multiply(
    m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float], beta: Float, c: inout [Float],
    kernel: GEMM.MicroKernel = .automatic
) {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                GEMM.sgemm(
                    transA: false, transB: false, m: m, n: n, k: k, alpha: alpha,
                    a: a.baseAddress!, lda: max(k, 1), b: b.baseAddress!, ldb: n,
                    beta: beta, c: c.baseAddress!, ldc: n, options: GEMM.Options(microKernel: kernel))
            }
        }
    }
}

private let kernels = GEMM.MicroKernel.allCases.filter { $0 != .automatic && $0.isSupported }

@Test("beta 0 overwrites C without reading it: NaN and infinity in C vanish", arguments: kernels)
func betaZeroIgnoresC(kernel: GEMM.MicroKernel) {
    // 7 × 17 covers full tiles and edge tiles; A = I-like ones, so C = B rows.
    let (m, n, k) = (7, 17, 2)
    let a = [Float](repeating: 1, count: m * k)
    let b = (0..<(k * n)).map { Float($0 % 5) }
    var c = [Float](repeating: .nan, count: m * n)
    c[3] = .infinity
    multiply(m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0, c: &c, kernel: kernel)
    for i in 0..<m {
        for j in 0..<n { #expect(c[i * n + j] == b[j] + b[n + j]) }
    }
}

@Test("alpha 0 and k 0 scale C by beta without reading A or B")
func alphaZeroAndEmptyDepthOnlyScaleC() {
    let nanA = [Float](repeating: .nan, count: 6)
    let nanB = [Float](repeating: .nan, count: 6)
    var c: [Float] = [1, -2, 3, 4]
    multiply(m: 2, n: 2, k: 3, alpha: 0, a: nanA, b: nanB, beta: 3, c: &c)
    #expect(c == [3, -6, 9, 12])
    multiply(m: 2, n: 2, k: 0, alpha: 2, a: nanA, b: nanB, beta: 0.5, c: &c)
    #expect(c == [1.5, -3, 4.5, 6])
    c = [.nan, .nan, .nan, .nan]
    multiply(m: 2, n: 2, k: 0, alpha: 1, a: nanA, b: nanB, beta: 0, c: &c)
    #expect(c == [0, 0, 0, 0])
}

@Test("m or n of 0 leaves C untouched")
func emptyOutputIsNoOp() {
    let a: [Float] = [1, 2, 3, 4]
    var c: [Float] = [7, 8, 9, 10]
    multiply(m: 0, n: 2, k: 2, alpha: 1, a: a, b: a, beta: 0, c: &c)
    multiply(m: 2, n: 0, k: 2, alpha: 1, a: a, b: a, beta: 0, c: &c)
    #expect(c == [7, 8, 9, 10])
}

@Test("a hand-computed 2×3 · 3×2 product with alpha and beta", arguments: kernels)
func handComputedProduct(kernel: GEMM.MicroKernel) {
    // [[1 2 3] [4 5 6]] · [[7 8] [9 10] [11 12]] = [[58 64] [139 154]];
    // 2·that + (−1)·[[1 1] [1 1]] = [[115 127] [277 307]].
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let b: [Float] = [7, 8, 9, 10, 11, 12]
    var c: [Float] = [1, 1, 1, 1]
    multiply(m: 2, n: 2, k: 3, alpha: 2, a: a, b: b, beta: -1, c: &c, kernel: kernel)
    #expect(c == [115, 127, 277, 307])
}

@Test("thread grids weigh uneven shares against duplicated packing")
func threadGridChoice() {
    // Weight-gradient-like 64 × 576 × 100000: splitting rows would make both threads pack
    // all of the huge B (576 × 100000); splitting columns duplicates only the smaller A.
    #expect(GEMMDriver.plan(threads: 2, m: 64, n: 576, k: 100_000, tile: .sixBySixteen) == (1, 2))
    #expect(GEMMDriver.plan(threads: 2, m: 64, n: 576, k: 100_000, tile: .twelveByThirtyTwo) == (1, 2))
    // Tall and skinny 1200 × 32: splitting rows duplicates only the 32 columns of B.
    #expect(GEMMDriver.plan(threads: 2, m: 1200, n: 32, k: 1000, tile: .sixBySixteen) == (2, 1))
    // A single row panel cannot be shared.
    #expect(GEMMDriver.plan(threads: 2, m: 5, n: 300, k: 50, tile: .sixBySixteen) == (1, 2))
    let grid = GEMMDriver.plan(threads: 4, m: 1200, n: 1200, k: 1200, tile: .sixBySixteen)
    #expect(grid.rows * grid.columns == 4)
    #expect(GEMMDriver.share(2, of: 3, units: 10) == 6..<10)
}

@Test("thread count: one for small products, never above the processors available")
func threadCountLimits() {
    let options = GEMM.Options(maxThreads: 64)
    #expect(options.threadCount(m: 8, n: 8, k: 8) == 1)
    #expect(options.threadCount(m: 1024, n: 1024, k: 1024) == GEMM.activeProcessorCount)
    #expect(GEMM.Options(maxThreads: 0).threadCount(m: 1024, n: 1024, k: 1024) == 1)
    #expect(options.threadCount(m: Int.max / 2, n: 4, k: 4) == GEMM.activeProcessorCount)
}
