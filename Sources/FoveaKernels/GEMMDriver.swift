import CFoveaKernels

/// The BLIS loop nest around the micro-kernel, and its threading.
///
/// One thread: `NC`-column panels of B, `KC`-deep slices packed into a panel, `MC`-row blocks
/// of A packed into a block, then `NR`-wide and `MR`-high register tiles. Several threads:
/// C is cut into a grid of rectangles, one per thread, and each thread runs the single-thread
/// nest on its rectangle with its own packing space. The threads never wait for each other,
/// so a call has exactly one fork and one join however deep `k` is; the price is that
/// threads sharing rows (or columns) of C each pack their own copy of those rows of A (or
/// columns of B), which ``plan(threads:m:n:k:)`` weighs against uneven shares.
enum GEMMDriver {
    /// One thread's packing space: a `KC × NC` B panel, an `MC × KC` A block and a
    /// register-tile scratch for edge tiles; each thread of a call gets a disjoint part of the
    /// call's ``GEMMBuffer``.
    struct Workspace {
        let panel: UnsafeMutablePointer<Float>
        let block: UnsafeMutablePointer<Float>
        let scratch: UnsafeMutablePointer<Float>

        /// Floats needed for products of up to `m × n × k` (each clamped to one block).
        static func size(m: Int, n: Int, k: Int, tile: GEMMTile) -> (panel: Int, block: Int, total: Int) {
            let kc = min(GEMMBlocking.kc, k)
            let panel = roundUp(kc * min(GEMMBlocking.nc, roundUp(n, to: tile.nr)), to: 16)
            let block = roundUp(kc * min(GEMMBlocking.mc, roundUp(m, to: tile.mr)), to: 16)
            return (panel, block, panel + block + GEMMTile.largestArea)
        }
    }

    /// Computes the product on `threads` threads (1 runs on the caller's thread).
    static func run(_ operands: GEMMOperands, microKernel: GEMM.MicroKernel, threads: Int) {
        let tile = microKernel.tile
        let grid = threads > 1
            ? plan(threads: threads, m: operands.m, n: operands.n, k: operands.k, tile: tile)
            : (rows: 1, columns: 1)
        let parts = grid.rows * grid.columns
        let rowPanels = (operands.m + tile.mr - 1) / tile.mr
        let columnPanels = (operands.n + tile.nr - 1) / tile.nr
        let size = Workspace.size(
            m: (rowPanels + grid.rows - 1) / grid.rows * tile.mr,
            n: (columnPanels + grid.columns - 1) / grid.columns * tile.nr,
            k: operands.k, tile: tile)
        let buffer = GEMMWorkspacePool.take(count: parts * size.total)
        defer { GEMMWorkspacePool.give(buffer) }
        let job = Job(
            operands: operands, microKernel: microKernel, grid: grid, rowPanels: rowPanels,
            columnPanels: columnPanels, size: size, base: buffer.pointer)
        if parts == 1 {
            job.run(part: 0)
        } else {
            withUnsafePointer(to: job) { job in
                fovea_parallel_for(parts, UnsafeMutableRawPointer(mutating: job)) { context, part in
                    context!.assumingMemoryBound(to: Job.self).pointee.run(part: part)
                }
            }
        }
    }

    /// Everything the threads of one call need, passed to them by address.
    private struct Job {
        let operands: GEMMOperands
        let microKernel: GEMM.MicroKernel
        let grid: (rows: Int, columns: Int)
        let rowPanels: Int
        let columnPanels: Int
        let size: (panel: Int, block: Int, total: Int)
        let base: UnsafeMutablePointer<Float>

        /// Thread `part`'s rectangle of C, with its own part of the workspace.
        func run(part: Int) {
            let start = base + part * size.total
            let workspace = Workspace(
                panel: start, block: start + size.panel, scratch: start + size.panel + size.block)
            let rows = share(part / grid.columns, of: grid.rows, units: rowPanels)
            let columns = share(part % grid.columns, of: grid.columns, units: columnPanels)
            let tile = microKernel.tile
            let i0 = rows.lowerBound * tile.mr
            let i1 = min(rows.upperBound * tile.mr, operands.m)
            let j0 = columns.lowerBound * tile.nr
            let j1 = min(columns.upperBound * tile.nr, operands.n)
            guard i0 < i1, j0 < j1 else { return }
            multiply(operands.rectangle(rows: i0..<i1, columns: j0..<j1), microKernel, workspace)
        }
    }

    /// The single-thread loop nest over the whole of `operands`.
    static func multiply(_ operands: GEMMOperands, _ microKernel: GEMM.MicroKernel, _ workspace: Workspace) {
        let tile = microKernel.tile
        let mr = tile.mr
        let nr = tile.nr
        let alpha = operands.alpha
        let ldc = operands.ldc
        var jc = 0
        while jc < operands.n {
            let columns = jc..<min(jc + GEMMBlocking.nc, operands.n)
            let columnPanels = (columns.count + nr - 1) / nr
            var pc = 0
            while pc < operands.k {
                let depth = pc..<min(pc + GEMMBlocking.kc, operands.k)
                let kc = depth.count
                let beta = pc == 0 ? operands.beta : 1
                GEMMPacking.packB(
                    operands, depth: depth, columns: columns, panels: 0..<columnPanels, nr: nr,
                    into: workspace.panel)
                var ic = 0
                while ic < operands.m {
                    let rows = ic..<min(ic + GEMMBlocking.mc, operands.m)
                    GEMMPacking.packA(operands, rows: rows, depth: depth, mr: mr, into: workspace.block)
                    for q in 0..<columnPanels {
                        let j = columns.lowerBound &+ q &* nr
                        let width = min(nr, columns.upperBound &- j)
                        let b = UnsafePointer(workspace.panel + q &* nr &* kc)
                        var ir = 0
                        while ir < rows.count {
                            let height = min(mr, rows.count &- ir)
                            let a = UnsafePointer(workspace.block + ir &* kc)
                            let c = operands.c + ((rows.lowerBound &+ ir) &* ldc &+ j)
                            if height == mr && width == nr {
                                GEMMMicroKernel.run(
                                    microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc,
                                    alpha: alpha, beta: beta)
                            } else {
                                GEMMMicroKernel.runEdge(
                                    microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc, rows: height,
                                    columns: width, alpha: alpha, beta: beta,
                                    scratch: workspace.scratch)
                            }
                            ir &+= mr
                        }
                    }
                    ic = rows.upperBound
                }
                pc = depth.upperBound
            }
            jc = columns.upperBound
        }
    }

    /// Packing cost of one float, in multiply-add times of the micro-kernel (measured on
    /// Zen 4: about 0.25 ns to pack a float against about 0.02 ns per multiply-add).
    static let packingCost = 12

    /// Cuts C into `rows × columns = threads` rectangles, choosing the grid whose slowest
    /// thread finishes first: its multiply-adds (tiles rounded up to whole register tiles)
    /// plus the A rows and B columns it packs itself.
    static func plan(threads: Int, m: Int, n: Int, k: Int, tile: GEMMTile) -> (rows: Int, columns: Int) {
        let rowPanels = (m + tile.mr - 1) / tile.mr
        let columnPanels = (n + tile.nr - 1) / tile.nr
        var best = (rows: threads, columns: 1)
        var bestCost = Double.infinity
        for rows in stride(from: threads, through: 1, by: -1) where threads % rows == 0 {
            let columns = threads / rows
            let height = Double((rowPanels + rows - 1) / rows * tile.mr)
            let width = Double((columnPanels + columns - 1) / columns * tile.nr)
            let panelsOfB = (width / Double(GEMMBlocking.nc)).rounded(.up)
            let packed = Double(k) * (height * panelsOfB + width)
            let cost = height * width * Double(k) + Double(packingCost) * packed
            if cost < bestCost * (1 - 1e-9) {
                best = (rows, columns)
                bestCost = cost
            }
        }
        return best
    }

    /// The `part`-th of `parts` nearly equal consecutive ranges of `0..<units`.
    static func share(_ part: Int, of parts: Int, units: Int) -> Range<Int> {
        (part * units / parts)..<((part + 1) * units / parts)
    }

    static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}

extension GEMMOperands {
    /// The same product restricted to the rows `rows` and columns `columns` of C.
    func rectangle(rows: Range<Int>, columns: Range<Int>) -> GEMMOperands {
        GEMMOperands(
            transA: transA, transB: transB, m: rows.count, n: columns.count, k: k, alpha: alpha,
            a: transA ? a + rows.lowerBound : a + rows.lowerBound * lda, lda: lda,
            b: transB ? b + columns.lowerBound * ldb : b + columns.lowerBound, ldb: ldb,
            beta: beta, c: c + (rows.lowerBound * ldc + columns.lowerBound), ldc: ldc)
    }
}
