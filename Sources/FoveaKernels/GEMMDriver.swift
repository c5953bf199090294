import CFoveaKernels

/// The BLIS loop nest around the micro-kernel, and its threading.
///
/// One thread: `NC`-column panels of B, `KC`-deep slices packed into a panel, `MC`-row blocks
/// of A packed into a block, then `NR`-wide and `MR`-high register tiles. Several threads: B is
/// packed once, by all threads together, into a panel they all read (a chunk of it at a time
/// when it is large), and C is cut into more items than threads (row blocks of at most `MC`
/// rows, and column slices when the rows alone give too few), which the threads take one at a
/// time, each packing the rows of A its item needs. A thread that a neighbouring process
/// slows down thus leaves its remaining items to the others instead of holding up the call.
/// Item edges fall on the register-tile grid and every tile sums its slices in the same
/// order, so results do not depend on the number of threads.
enum GEMMDriver {
    /// The packing space of a single-thread call: a `KC × NC` B panel, an `MC × KC` A block and
    /// a register-tile scratch for edge tiles, all in one ``GEMMBuffer``.
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

    /// Computes the product on `threads` threads (1 runs on the caller's thread). With several,
    /// at most `sharedFloats` floats of packed B are shared at a time.
    static func run(
        _ operands: GEMMOperands, microKernel: GEMM.MicroKernel, threads: Int,
        sharedFloats: Int = GEMMBlocking.sharedPanelFloats
    ) {
        guard threads > 1 else {
            let size = Workspace.size(m: operands.m, n: operands.n, k: operands.k, tile: microKernel.tile)
            let buffer = GEMMWorkspacePool.take(count: size.total)
            defer { GEMMWorkspacePool.give(buffer) }
            let start = buffer.pointer
            multiply(operands, microKernel, Workspace(
                panel: start, block: start + size.panel, scratch: start + size.panel + size.block))
            return
        }
        let plan = SharedPlan(m: operands.m, n: operands.n, k: operands.k, tile: microKernel.tile,
                              threads: threads, sharedFloats: sharedFloats)
        let buffer = GEMMWorkspacePool.take(count: plan.totalFloats)
        defer { GEMMWorkspacePool.give(buffer) }
        let panel = buffer.pointer
        let (kc, nr) = (GEMMBlocking.kc, microKernel.tile.nr)
        var j0 = 0
        while j0 < operands.n {
            let columns = j0..<min(j0 + plan.chunkColumns, operands.n)
            let panels = (columns.count + nr - 1) / nr
            let sliceStride = kc * panels * nr
            let groups = (panels + SharedPlan.packingGroup - 1) / SharedPlan.packingGroup
            var p0 = 0
            while p0 < operands.k {
                let depths = p0..<min(p0 + plan.chunkDepth, operands.k)
                let slices = (depths.count + kc - 1) / kc
                // Slice `s` of the chunk: depths from `s·KC` on, packed at `s·sliceStride`.
                func depth(ofSlice slice: Int) -> Range<Int> {
                    let start = depths.lowerBound + slice * kc
                    return start..<min(start + kc, depths.upperBound)
                }
                ThreadTeam.forEach(slices * groups, workers: threads) { _, item in
                    let (slice, group) = item.quotientAndRemainder(dividingBy: groups)
                    let first = group * SharedPlan.packingGroup
                    GEMMPacking.packB(
                        operands, depth: depth(ofSlice: slice), columns: columns,
                        panels: first..<min(panels, first + SharedPlan.packingGroup), nr: nr,
                        into: panel + slice * sliceStride)
                }
                let columnSlices = plan.columnSlices(panels: panels)
                ThreadTeam.forEach(plan.rowBlocks * columnSlices, workers: threads) { worker, item in
                    let (rowBlock, columnSlice) = item.quotientAndRemainder(dividingBy: columnSlices)
                    let rows = plan.rows(ofBlock: rowBlock, m: operands.m)
                    let mine = share(columnSlice, of: columnSlices, units: panels)
                    guard !rows.isEmpty, !mine.isEmpty else { return }
                    let block = panel + plan.panelFloats + worker * plan.workerFloats
                    for slice in 0..<slices {
                        let depth = depth(ofSlice: slice)
                        GEMMPacking.packA(operands, rows: rows, depth: depth, mr: microKernel.tile.mr, into: block)
                        sweep(
                            operands, microKernel, rows: rows, block: block, columns: columns, panels: mine,
                            panel: panel + slice * sliceStride, kc: depth.count,
                            beta: depth.lowerBound == 0 ? operands.beta : 1,
                            scratch: block + plan.blockFloats)
                    }
                }
                p0 = depths.upperBound
            }
            j0 = columns.upperBound
        }
    }

    /// How a multithreaded call cuts its work: chunks of packed B, shared by all threads, and
    /// items of C (row block × column slice), taken by the threads one at a time.
    struct SharedPlan {
        /// Panels of B each packing item copies (per `KC`-deep slice).
        static let packingGroup = 4
        /// Items of C to aim for per thread, so that a late thread holds up at most a small part.
        static let itemsPerThread = 4

        let rowPanels: Int
        /// Row blocks of C: whole register-tile rows, at most `MC` rows each, as few as
        /// that allows rounded up to a multiple of the threads (tall blocks reuse each B
        /// micro-panel over more rows).
        let rowBlocks: Int
        let threads: Int
        let mr: Int
        /// Columns of B packed per chunk, a multiple of `NR`.
        let chunkColumns: Int
        /// Depth of B packed per chunk, a multiple of `KC`.
        let chunkDepth: Int
        /// Floats of the shared packed B (one chunk).
        let panelFloats: Int
        /// Floats of one thread's packed A block.
        let blockFloats: Int

        init(m: Int, n: Int, k: Int, tile: GEMMTile, threads: Int, sharedFloats: Int) {
            let kc = GEMMBlocking.kc
            rowPanels = (m + tile.mr - 1) / tile.mr
            let fewest = (rowPanels * tile.mr + GEMMBlocking.mc - 1) / GEMMBlocking.mc
            rowBlocks = min(rowPanels, roundUp(fewest, to: threads))
            self.threads = threads
            mr = tile.mr
            let columnPanels = (n + tile.nr - 1) / tile.nr
            // All of k when the whole of B fits, else as deep as one chunk of all columns
            // allows (at least KC), then as many columns as fit at that depth (at least NR).
            chunkDepth = max(kc, min(roundUp(k, to: kc), sharedFloats / max(1, columnPanels * tile.nr) / kc * kc))
            chunkColumns = max(1, min(columnPanels, sharedFloats / (chunkDepth * tile.nr))) * tile.nr
            panelFloats = roundUp(chunkDepth * chunkColumns, to: 16)
            let blockRows = (rowPanels + rowBlocks - 1) / rowBlocks * tile.mr
            blockFloats = roundUp(kc * blockRows, to: 16)
        }

        /// One thread's packing space: its A block and an edge-tile scratch.
        var workerFloats: Int { blockFloats + GEMMTile.largestArea }

        /// Floats of a call's whole workspace.
        var totalFloats: Int { panelFloats + threads * workerFloats }

        /// Rows of C in row block `block`.
        func rows(ofBlock block: Int, m: Int) -> Range<Int> {
            let panels = share(block, of: rowBlocks, units: rowPanels)
            return (panels.lowerBound * mr)..<min(panels.upperBound * mr, m)
        }

        /// Column slices per row block for a chunk of `panels` column panels: one unless the row
        /// blocks alone give fewer than ``itemsPerThread`` items per thread.
        func columnSlices(panels: Int) -> Int {
            let wanted = Self.itemsPerThread * threads
            return max(1, min(panels, (wanted + rowBlocks - 1) / rowBlocks))
        }
    }

    /// The micro-kernel over the rows `rows` of C, packed as `block`, and the column panels
    /// `panels` of the packed B `panel` (columns `columns` of C, panel `q` at `q·NR·kc`).
    @inline(__always)
    static func sweep(
        _ operands: GEMMOperands, _ microKernel: GEMM.MicroKernel, rows: Range<Int>,
        block: UnsafePointer<Float>, columns: Range<Int>, panels: Range<Int>,
        panel: UnsafePointer<Float>, kc: Int, beta: Float, scratch: UnsafeMutablePointer<Float>
    ) {
        let (mr, nr) = (microKernel.tile.mr, microKernel.tile.nr)
        let (alpha, ldc) = (operands.alpha, operands.ldc)
        for q in panels {
            let j = columns.lowerBound &+ q &* nr
            let width = min(nr, columns.upperBound &- j)
            let b = panel + q &* nr &* kc
            var ir = 0
            while ir < rows.count {
                let height = min(mr, rows.count &- ir)
                let a = block + ir &* kc
                let c = operands.c + ((rows.lowerBound &+ ir) &* ldc &+ j)
                if height == mr && width == nr {
                    GEMMMicroKernel.run(microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
                } else {
                    GEMMMicroKernel.runEdge(
                        microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc, rows: height, columns: width,
                        alpha: alpha, beta: beta, scratch: scratch)
                }
                ir &+= mr
            }
        }
    }

    /// The single-thread loop nest over the whole of `operands`.
    static func multiply(_ operands: GEMMOperands, _ microKernel: GEMM.MicroKernel, _ workspace: Workspace) {
        let tile = microKernel.tile
        var jc = 0
        while jc < operands.n {
            let columns = jc..<min(jc + GEMMBlocking.nc, operands.n)
            let columnPanels = (columns.count + tile.nr - 1) / tile.nr
            var pc = 0
            while pc < operands.k {
                let depth = pc..<min(pc + GEMMBlocking.kc, operands.k)
                GEMMPacking.packB(
                    operands, depth: depth, columns: columns, panels: 0..<columnPanels, nr: tile.nr,
                    into: workspace.panel)
                var ic = 0
                while ic < operands.m {
                    let rows = ic..<min(ic + GEMMBlocking.mc, operands.m)
                    GEMMPacking.packA(operands, rows: rows, depth: depth, mr: tile.mr, into: workspace.block)
                    sweep(
                        operands, microKernel, rows: rows, block: workspace.block, columns: columns,
                        panels: 0..<columnPanels, panel: workspace.panel, kc: depth.count,
                        beta: pc == 0 ? operands.beta : 1, scratch: workspace.scratch)
                    ic = rows.upperBound
                }
                pc = depth.upperBound
            }
            jc = columns.upperBound
        }
    }

    /// The `part`-th of `parts` nearly equal consecutive ranges of `0..<units`.
    static func share(_ part: Int, of parts: Int, units: Int) -> Range<Int> {
        (part * units / parts)..<((part + 1) * units / parts)
    }

    static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
