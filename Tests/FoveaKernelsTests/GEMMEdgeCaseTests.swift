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

@Test("shared plans cover C in register-tile items and keep packed B within its bound")
func sharedPlanCoversC() {
    let shapes: [(m: Int, n: Int, k: Int)] = [
        (1024, 1024, 1024), (2048, 2048, 2048), (64, 576, 100_000), (1200, 32, 1000), (5, 300, 50), (239, 16, 9),
    ]
    for tile in [GEMMTile.sixBySixteen, .twelveByThirtyTwo] {
        for threads in [2, 3, 4] {
            for shape in shapes {
                let shared = 1 << 20
                let plan = GEMMDriver.SharedPlan(
                    m: shape.m, n: shape.n, k: shape.k, tile: tile, threads: threads, sharedFloats: shared)
                // Row blocks tile 0..<m in order, each whole register tiles (but the last),
                // none taller than MC or its A block.
                var next = 0
                for block in 0..<plan.rowBlocks {
                    let rows = plan.rows(ofBlock: block, m: shape.m)
                    #expect(rows.lowerBound == next)
                    #expect(rows.lowerBound % tile.mr == 0)
                    #expect(rows.count * GEMMBlocking.kc <= plan.blockFloats)
                    #expect(rows.count <= GEMMBlocking.mc)
                    next = rows.upperBound
                }
                #expect(next == shape.m)
                #expect(plan.rowBlocks % threads == 0 || plan.rowBlocks == plan.rowPanels)
                // Chunks are whole KC slices and NR panels, within the bound unless one slice
                // of one panel is already larger.
                #expect(plan.chunkDepth % GEMMBlocking.kc == 0 && plan.chunkColumns % tile.nr == 0)
                #expect(plan.chunkDepth * plan.chunkColumns <= max(shared, GEMMBlocking.kc * tile.nr))
                #expect(plan.chunkDepth * plan.chunkColumns <= plan.panelFloats)
                let panels = min(plan.chunkColumns, shape.n + tile.nr - 1) / tile.nr
                let slices = plan.columnSlices(panels: panels)
                #expect(slices >= 1 && slices <= panels)
            }
        }
    }
    // Tall products cut rows only, short ones columns too.
    let tall = GEMMDriver.SharedPlan(
        m: 1024, n: 1024, k: 1024, tile: .twelveByThirtyTwo, threads: 2, sharedFloats: 1 << 22)
    #expect(tall.rowBlocks == 10 && tall.columnSlices(panels: 32) == 1)
    let short = GEMMDriver.SharedPlan(
        m: 64, n: 576, k: 100_000, tile: .sixBySixteen, threads: 2, sharedFloats: 1 << 22)
    #expect(short.rowBlocks == 2 && short.columnSlices(panels: 36) == 4)
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
