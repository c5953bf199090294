import Testing
@testable import FoveaKernels

/// Shapes straddling every blocking boundary: the 6×16 register tile, KC = 256, MC = 120 and
/// NC = 3072 (one below, at, and one above each), plus degenerate 1s.
private let boundaryShapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (1, 17, 1), (7, 1, 3), (6, 16, 256), (5, 15, 255), (7, 17, 257),
    (13, 35, 513), (119, 31, 5), (120, 16, 3), (121, 47, 7), (241, 20, 2),
    (3, 3071, 2), (2, 3072, 3), (9, 3073, 4), (1, 6200, 1), (127, 70, 260),
]

/// One randomized product: random operands and strides (0–3 padding per row), checked
/// entry by entry against the Double reference; padding entries of C must stay untouched.
private func checkProduct(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float, seed: UInt64,
    run: (GEMMReference, [Float], [Float], inout [Float]) -> Void
) {
    var rng = SplitMix64(state: seed)
    let lda = (transA ? m : k) + Int.random(in: 0...3, using: &rng)
    let ldb = (transB ? k : n) + Int.random(in: 0...3, using: &rng)
    let ldc = n + Int.random(in: 0...3, using: &rng)
    let reference = GEMMReference(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
        lda: lda, ldb: ldb, ldc: ldc)
    let a = (0..<max((transA ? k : m) * lda, 1)).map { _ in Float.random(in: -1...1, using: &rng) }
    let b = (0..<max((transB ? n : k) * ldb, 1)).map { _ in Float.random(in: -1...1, using: &rng) }
    let sentinel: Float = -12345
    var c0 = [Float](repeating: sentinel, count: max(m * ldc, 1))
    for i in 0..<m {
        for j in 0..<n { c0[i * ldc + j] = Float.random(in: -1...1, using: &rng) }
    }
    var c = c0
    run(reference, a, b, &c)
    var failures = 0
    for i in 0..<m {
        for j in 0..<ldc {
            let got = c[i * ldc + j]
            if j >= n {
                if got != sentinel { failures += 1 }
                continue
            }
            let (value, tolerance) = reference.expected(a, b, c0, i, j)
            if !(abs(Double(got) - value) <= tolerance) { failures += 1 }
        }
    }
    #expect(failures == 0, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB) alpha \(alpha) beta \(beta) seed \(seed)")
}

private func publicSGEMM(_ options: GEMM.Options) -> (GEMMReference, [Float], [Float], inout [Float]) -> Void {
    { r, a, b, c in
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.sgemm(
                        transA: r.transA, transB: r.transB, m: r.m, n: r.n, k: r.k, alpha: r.alpha,
                        a: a.baseAddress!, lda: r.lda, b: b.baseAddress!, ldb: r.ldb,
                        beta: r.beta, c: c.baseAddress!, ldc: r.ldc, options: options)
                }
            }
        }
    }
}

private let scalings: [(alpha: Float, beta: Float)] = [(1, 0), (1, 1), (-0.75, 2.5), (2, -1)]

@Test("every transpose combination matches the Double reference across blocking boundaries",
      arguments: GEMM.MicroKernel.allCases.filter { $0 != .automatic && $0.isSupported })
func sgemmMatchesReference(kernel: GEMM.MicroKernel) {
    var seed: UInt64 = 1
    for (index, shape) in boundaryShapes.enumerated() {
        for transA in [false, true] {
            for transB in [false, true] {
                let scaling = scalings[(index + (transA ? 1 : 0) + (transB ? 2 : 0)) % scalings.count]
                seed += 1
                checkProduct(
                    transA: transA, transB: transB, m: shape.m, n: shape.n, k: shape.k,
                    alpha: scaling.alpha, beta: scaling.beta, seed: seed,
                    run: publicSGEMM(GEMM.Options(microKernel: kernel)))
            }
        }
    }
}

@Test("threaded products with row blocks, column slices or both match the reference", arguments: [2, 3, 4])
func threadedSplitsMatchReference(threads: Int) {
    // 4 row panels × 2 column panels, 40 row panels × 1, 1 row panel × 9: row blocks with
    // column slices, row blocks only, column slices only; 3 threads share unevenly.
    let shapes: [(m: Int, n: Int, k: Int)] = [(22, 30, 300), (239, 16, 9), (5, 140, 17)]
    for (index, shape) in shapes.enumerated() {
        for transA in [false, true] {
            let transB = index % 2 == 1
            checkProduct(
                transA: transA, transB: transB, m: shape.m, n: shape.n, k: shape.k,
                alpha: 1.5, beta: index == 0 ? 0 : 0.5, seed: UInt64(100 + threads * 10 + index)
            ) { r, a, b, c in
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            let operands = GEMMOperands(
                                transA: r.transA, transB: r.transB, m: r.m, n: r.n, k: r.k,
                                alpha: r.alpha, a: a.baseAddress!, lda: r.lda, b: b.baseAddress!,
                                ldb: r.ldb, beta: r.beta, c: c.baseAddress!, ldc: r.ldc)
                            GEMMDriver.run(
                                operands, microKernel: GEMM.Options().resolvedMicroKernel,
                                threads: threads)
                        }
                    }
                }
            }
        }
    }
}

@Test("the default entry point matches the reference above the threading threshold")
func defaultEntryPointMatchesReference() {
    checkProduct(transA: false, transB: true, m: 161, n: 163, k: 170, alpha: 1, beta: 0, seed: 7) {
        r, a, b, c in
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.sgemm(
                        transA: r.transA, transB: r.transB, m: r.m, n: r.n, k: r.k, alpha: r.alpha,
                        a: a.baseAddress!, lda: r.lda, b: b.baseAddress!, ldb: r.ldb,
                        beta: r.beta, c: c.baseAddress!, ldc: r.ldc)
                }
            }
        }
    }
}

@Test("concurrent calls from several tasks each get their own workspace")
func concurrentCallsMatchReference() async {
    // Different shapes, so a workspace mixed up between calls would corrupt some result.
    let shapes: [(m: Int, n: Int, k: Int)] = [(37, 53, 300), (130, 20, 64), (8, 140, 270), (61, 61, 61)]
    await withTaskGroup(of: Void.self) { group in
        for (index, shape) in shapes.enumerated() {
            group.addTask {
                for round in 0..<3 {
                    checkProduct(
                        transA: index % 2 == 0, transB: round % 2 == 0, m: shape.m, n: shape.n,
                        k: shape.k, alpha: 1, beta: 0.25, seed: UInt64(1000 + 10 * index + round),
                        run: publicSGEMM(GEMM.Options(maxThreads: 2)))
                }
            }
        }
    }
}

@Test(
    "threaded products equal the one-thread product bit for bit, also when B is packed in chunks",
    arguments: GEMM.MicroKernel.allCases.filter { $0 != .automatic && $0.isSupported })
func threadCountDoesNotChangeBits(kernel: GEMM.MicroKernel) {
    // k = 700 spans three KC slices; a shared bound of one KC × 3·NR block forces several
    // column chunks and depth chunks.
    let shapes: [(m: Int, n: Int, k: Int, transA: Bool, transB: Bool)] = [
        (131, 150, 700, false, false), (37, 260, 513, true, true), (250, 40, 300, false, true),
    ]
    var rng = SplitMix64(state: 2026)
    for shape in shapes {
        let a = (0..<(shape.m * shape.k)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<(shape.k * shape.n)).map { _ in Float.random(in: -1...1, using: &rng) }
        let c0 = (0..<(shape.m * shape.n)).map { _ in Float.random(in: -1...1, using: &rng) }
        func product(threads: Int, sharedFloats: Int) -> [Float] {
            var c = c0
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let operands = GEMMOperands(
                            transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n,
                            k: shape.k, alpha: 0.75, a: a.baseAddress!, lda: shape.transA ? shape.m : shape.k,
                            b: b.baseAddress!, ldb: shape.transB ? shape.k : shape.n, beta: 0.5,
                            c: c.baseAddress!, ldc: shape.n)
                        GEMMDriver.run(operands, microKernel: kernel, threads: threads, sharedFloats: sharedFloats)
                    }
                }
            }
            return c
        }
        let one = product(threads: 1, sharedFloats: GEMMBlocking.sharedPanelFloats)
        let reference = GEMMReference(
            transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 0.75,
            beta: 0.5, lda: shape.transA ? shape.m : shape.k, ldb: shape.transB ? shape.k : shape.n,
            ldc: shape.n)
        var wrong = 0
        for i in 0..<shape.m {
            for j in 0..<shape.n {
                let (value, tolerance) = reference.expected(a, b, c0, i, j)
                if !(abs(Double(one[i * shape.n + j]) - value) <= tolerance) { wrong += 1 }
            }
        }
        #expect(wrong == 0)
        let small = GEMMBlocking.kc * 3 * kernel.tile.nr
        for threads in 2...4 {
            for shared in [GEMMBlocking.sharedPanelFloats, small] {
                #expect(product(threads: threads, sharedFloats: shared) == one, "\(shape) threads \(threads) shared \(shared)")
            }
        }
    }
}
