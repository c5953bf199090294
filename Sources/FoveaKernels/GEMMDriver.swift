import Dispatch

/// The BLIS loop nest around the micro-kernel: `NC`-column panels of B, `KC`-deep blocks
/// packed once and shared by all threads, `MC`-row blocks of A packed per thread, then
/// `NR`-wide and `MR`-high register tiles.
enum GEMMDriver {
    /// One `KC × NC` step of the loop nest.
    private struct Step {
        var columns: Range<Int>
        var depth: Range<Int>
        var beta: Float
    }

    /// Where a call's packed data lives inside its workspace buffer.
    ///
    /// `@unchecked Sendable`: during packing each thread writes its own B panels, and during
    /// the products each thread writes only its own A block; see ``GEMMBuffer``.
    private struct Workspace: @unchecked Sendable {
        let panel: UnsafeMutablePointer<Float>
        let blocks: UnsafeMutablePointer<Float>
        let blockStride: Int
        let scratchOffset: Int

        func block(_ part: Int) -> UnsafeMutablePointer<Float> { blocks + part &* blockStride }
    }

    static func run(_ operands: GEMMOperands, microKernel: GEMM.MicroKernel, threads: Int) {
        let mr = GEMMBlocking.mr
        let nr = GEMMBlocking.nr
        let kcMax = min(GEMMBlocking.kc, operands.k)
        let ncMax = min(GEMMBlocking.nc, roundUp(operands.n, to: nr))
        let mcMax = min(GEMMBlocking.mc, roundUp(operands.m, to: mr))
        let panelCount = roundUp(kcMax * ncMax, to: 16)
        let scratchOffset = roundUp(mcMax * kcMax, to: 16)
        let blockStride = scratchOffset + mr * nr
        let buffer = GEMMWorkspacePool.take(count: panelCount + threads * blockStride)
        defer { GEMMWorkspacePool.give(buffer) }
        let workspace = Workspace(
            panel: buffer.pointer, blocks: buffer.pointer + panelCount,
            blockStride: blockStride, scratchOffset: scratchOffset)

        let rowPanels = (operands.m + mr - 1) / mr
        var jc = 0
        while jc < operands.n {
            let columns = jc..<min(jc + GEMMBlocking.nc, operands.n)
            let columnPanels = (columns.count + nr - 1) / nr
            let (rowParts, columnParts) = split(
                threads: threads, rowPanels: rowPanels, columnPanels: columnPanels)
            var pc = 0
            while pc < operands.k {
                let step = Step(
                    columns: columns, depth: pc..<min(pc + GEMMBlocking.kc, operands.k),
                    beta: pc == 0 ? operands.beta : 1)
                if threads == 1 {
                    GEMMPacking.packB(
                        operands, depth: step.depth, columns: columns, panels: 0..<columnPanels,
                        into: workspace.panel)
                    multiply(
                        operands, microKernel, workspace, step, part: 0, rowParts: 1, columnParts: 1)
                } else {
                    DispatchQueue.concurrentPerform(iterations: threads) { part in
                        let panels = share(part, of: threads, units: columnPanels)
                        GEMMPacking.packB(
                            operands, depth: step.depth, columns: columns, panels: panels,
                            into: workspace.panel)
                    }
                    DispatchQueue.concurrentPerform(iterations: threads) { part in
                        multiply(
                            operands, microKernel, workspace, step, part: part,
                            rowParts: rowParts, columnParts: columnParts)
                    }
                }
                pc += GEMMBlocking.kc
            }
            jc += GEMMBlocking.nc
        }
    }

    /// Thread `part`'s share of one step: its rows in `MC` blocks (packing each into its own A
    /// block), times its range of packed B panels.
    private static func multiply(
        _ operands: GEMMOperands, _ microKernel: GEMM.MicroKernel, _ workspace: Workspace,
        _ step: Step, part: Int, rowParts: Int, columnParts: Int
    ) {
        let mr = GEMMBlocking.mr
        let nr = GEMMBlocking.nr
        let kc = step.depth.count
        let rowShare = share(part / columnParts, of: rowParts, units: (operands.m + mr - 1) / mr)
        let panels = share(
            part % columnParts, of: columnParts, units: (step.columns.count + nr - 1) / nr)
        let rowEnd = min(rowShare.upperBound * mr, operands.m)
        guard !panels.isEmpty, rowShare.lowerBound * mr < rowEnd else { return }
        let block = workspace.block(part)
        let scratch = block + workspace.scratchOffset
        let alpha = operands.alpha
        let beta = step.beta
        let ldc = operands.ldc
        var ic = rowShare.lowerBound * mr
        while ic < rowEnd {
            let rows = ic..<min(ic + GEMMBlocking.mc, rowEnd)
            GEMMPacking.packA(operands, rows: rows, depth: step.depth, into: block)
            for q in panels {
                let j = step.columns.lowerBound &+ q &* nr
                let width = min(nr, step.columns.upperBound &- j)
                let b = UnsafePointer(workspace.panel + q &* nr &* kc)
                var ir = 0
                while ir < rows.count {
                    let height = min(mr, rows.count &- ir)
                    let a = UnsafePointer(block + ir &* kc)
                    let c = operands.c + ((rows.lowerBound &+ ir) &* ldc &+ j)
                    if height == mr && width == nr {
                        GEMMMicroKernel.run(
                            microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
                    } else {
                        GEMMMicroKernel.runEdge(
                            microKernel, kc: kc, a: a, b: b, c: c, ldc: ldc, rows: height,
                            columns: width, alpha: alpha, beta: beta, scratch: scratch)
                    }
                    ir &+= mr
                }
            }
            ic = rows.upperBound
        }
    }

    /// Factors `threads` into a grid of row parts × column parts that loses the least work to
    /// uneven shares of `rowPanels` and `columnPanels`; ties favour splitting rows, which
    /// packs each A block only once.
    static func split(threads: Int, rowPanels: Int, columnPanels: Int) -> (rows: Int, columns: Int) {
        var best = (rows: threads, columns: 1)
        var bestBalance = -1.0
        for rows in stride(from: threads, through: 1, by: -1) where threads % rows == 0 {
            let columns = threads / rows
            let balance = balance(rowPanels, over: rows) * balance(columnPanels, over: columns)
            if balance > bestBalance + 1e-9 {
                best = (rows, columns)
                bestBalance = balance
            }
        }
        return best
    }

    /// Useful fraction of `parts` workers' time when `units` equal units are shared out.
    private static func balance(_ units: Int, over parts: Int) -> Double {
        let perPart = (units + parts - 1) / parts
        return Double(units) / Double(parts * max(perPart, 1))
    }

    /// The `part`-th of `parts` nearly equal consecutive ranges of `0..<units`.
    static func share(_ part: Int, of parts: Int, units: Int) -> Range<Int> {
        (part * units / parts)..<((part + 1) * units / parts)
    }

    private static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
