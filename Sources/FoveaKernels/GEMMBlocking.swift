/// The register tile of a micro-kernel: `mr` rows of A (broadcast) times `nr` columns of B
/// (vectors).
struct GEMMTile: Hashable {
    /// Rows of the register tile.
    let mr: Int
    /// Columns of the register tile.
    let nr: Int

    /// 6 × 16: twelve 8-wide accumulators (AVX2 and the portable kernel).
    static let sixBySixteen = GEMMTile(mr: 6, nr: 16)
    /// 12 × 32: twenty-four 16-wide accumulators (AVX-512).
    static let twelveByThirtyTwo = GEMMTile(mr: 12, nr: 32)
    /// The largest tile of any kernel: the size of the edge-tile scratch.
    static let largestArea = twelveByThirtyTwo.mr * twelveByThirtyTwo.nr
}

/// Block sizes of the packed SGEMM (BLIS loop structure), tuned on Zen 2/Zen 4 (32 KiB L1d,
/// ≥ 512 KiB L2 per core) and checked on a 48 KiB-L1d Xeon: a `KC × NR` B micro-panel (16 KiB
/// for the 6×16 tile, 32 KiB for 12×32) stays in L1, an `MC × KC` packed A block (120 KiB) in
/// L2, and the `KC × NC` packed B panel (3 MiB) in L3.
enum GEMMBlocking {
    /// Depth of one packed block.
    static let kc = 256
    /// Rows of one packed A block (a multiple of every tile's `mr`).
    static let mc = 120
    /// Columns of one packed B panel (a multiple of every tile's `nr`).
    static let nc = 3072
    /// Most floats of packed B that the threads of a call share at a time (4 MiB: all of a
    /// 1024² B, a quarter of a 2048² one). Larger B is packed and multiplied a chunk at a time,
    /// each chunk one more pair of fork–joins. At 2048² on two threads (model-167 Xeon, paired
    /// rounds) 4 MiB chunks ran 12 % faster than one 16 MiB chunk and 2 MiB chunks 13 % slower.
    static let sharedPanelFloats = 1 << 20
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
