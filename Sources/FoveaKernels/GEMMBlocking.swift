/// Block sizes of the packed SGEMM (BLIS loop structure), tuned on Zen 2/Zen 4 (32 KiB L1d,
/// ≥ 512 KiB L2 per core): a `KC × NR` B micro-panel (16 KiB) stays in L1, an `MC × KC`
/// packed A block (120 KiB) in L2, and the `KC × NC` packed B panel (3 MiB) in L3.
enum GEMMBlocking {
    /// Rows of the register tile.
    static let mr = 6
    /// Columns of the register tile (two 8-wide vectors).
    static let nr = 16
    /// Depth of one packed block.
    static let kc = 256
    /// Rows of one packed A block (a multiple of `mr`).
    static let mc = 120
    /// Columns of one packed B panel (a multiple of `nr`).
    static let nc = 3072
    /// Below this many multiply-adds (`m·n·k`) a product runs on one thread. Waking a
    /// libdispatch worker took about 50 µs here, so two threads pay off once `T/2 + 50 µs < T`
    /// for the one-thread time `T`, i.e. from about 5·10⁶ multiply-adds at ≈ 5·10¹⁰ per second.
    static let parallelThreshold = 1 << 22
}

/// The operands of one `sgemm` call. Its worker threads only read `a` and `b` and write
/// disjoint rectangles of `c`.
struct GEMMOperands {
    let transA: Bool
    let transB: Bool
    let m: Int
    let n: Int
    let k: Int
    let alpha: Float
    let a: UnsafePointer<Float>
    let lda: Int
    let b: UnsafePointer<Float>
    let ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
}
