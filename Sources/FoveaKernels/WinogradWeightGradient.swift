import CFoveaKernels

/// The weight gradient of a 3×3 stride-1 convolution by Winograd F(2×2, 3×3).
///
/// The forward pass computes each tile's outputs as `Aᵀ [Σ_c U[o, c] ⊙ V[c]] A` with
/// `U = G g Gᵀ`, so `∂E/∂g[o, c] = Gᵀ (Σ_tiles Z[o] ⊙ V[c]) G` with `Z = A ∂y Aᵀ` (4×4 from each
/// tile's 2×2 output gradient). For each of the 16 points the sum over tiles is one matrix
/// product, input channels × tiles × output channels, run by the GEMM micro-kernel with the
/// tiles as its depth. The tiles are taken in blocks: all threads transform one block (`V` by
/// weight-panel rows of channels, `Z` by vector-wide parts of tile-panel columns), then multiply
/// it into the 16 sums, each sum element accumulated block after block in the same order
/// whichever thread runs it, so results do not depend on threads.
extension WinogradConvolution {
    /// Tile blocks, panel sizes and buffer layout of one weight gradient.
    struct GradientPlan {
        let plan: Plan
        /// Input channels rounded up to whole weight panels (12 or 6 rows), output channels to
        /// whole tile panels (32 or 16 columns).
        let paddedIn: Int
        let paddedOut: Int
        /// Tiles per block: a multiple of the 256-step micro-kernel depth, as many as keep the
        /// block's transforms within 8 MiB, at most 1024.
        let blockTiles: Int

        init(_ p: Conv2DParameters, kernel: WinogradConvolution) {
            plan = Plan(p, kernel: kernel)
            paddedIn = DirectConvolution.roundUp(p.inChannels, kernel.panelRows)
            paddedOut = DirectConvolution.roundUp(p.outChannels, kernel.panelTiles)
            let depth = WinogradConvolution.depthBlock
            let fitting = (1 << 21) / (16 * (paddedIn + paddedOut)) / depth * depth
            blockTiles = max(depth, min(4 * depth, fitting))
        }

        var blocks: Int { (plan.tiles + blockTiles - 1) / blockTiles }
        var pointInputs: Int { paddedIn * blockTiles }
        var pointGradients: Int { paddedOut * blockTiles }
        var pointSums: Int { paddedIn * paddedOut }
        var inputPanels: Int { paddedIn / plan.kernel.panelRows }
        var outputPanels: Int { paddedOut / plan.kernel.panelTiles }
        var floats: Int { 16 * (pointInputs + pointGradients + pointSums) }
    }

    /// Input panels per multiplication item.
    static let panelsPerItem = 8

    /// `∂E/∂w` (OIHW, every element written) of the forward problem `p` (``supports(_:)`` must hold).
    func weightGradient(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        gradWeight: UnsafeMutablePointer<Float>
    ) {
        let g = GradientPlan(p, kernel: self)
        let (panelsPerItem, depthBlock) = (Self.panelsPerItem, Self.depthBlock)
        let vectorsPerPanel = panelTiles / lanes
        let multiplyAdds = p.batch * p.outChannels * p.outHeight * p.outWidth * p.inChannels * 9
        let workers = ThreadTeam.workers(multiplyAdds: multiplyAdds, items: 16)
        let buffer = GEMMWorkspacePool.take(count: g.floats)
        defer { GEMMWorkspacePool.give(buffer) }
        let v = buffer.pointer, z = v + 16 * g.pointInputs, sums = z + 16 * g.pointGradients
        let itemsPerPoint = (g.inputPanels + panelsPerItem - 1) / panelsPerItem
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 6 * g.blockTiles) { tiles in
            let inBase = tiles.baseAddress!, inRow = inBase + g.blockTiles, inColumn = inRow + g.blockTiles
            let outBase = inColumn + g.blockTiles, outRow = outBase + g.blockTiles, outColumn = outRow + g.blockTiles
            for block in 0..<g.blocks {
                let first = block * g.blockTiles
                let count = min(g.blockTiles, g.plan.tiles - first)
                Self.describe(g.plan, first: first, count: count, valid: count, input: true,
                              base: inBase, row: inRow, column: inColumn)
                Self.describe(g.plan, first: first, count: count, valid: count, input: false,
                              base: outBase, row: outRow, column: outColumn)
                // V = Bᵀ d B by weight-panel rows of channels, then Z = A ∂y Aᵀ by vector-wide
                // parts of the tile panels.
                ThreadTeam.forEach(g.inputPanels + vectorsPerPanel * g.outputPanels, workers: workers) { _, item in
                    if item < g.inputPanels {
                        let c0 = item * panelRows
                        let (channels, source) = (min(panelRows, p.inChannels - c0), input + c0 * p.height * p.width)
                        let (plane, target) = (p.height * p.width, v + c0 * g.blockTiles)
                        if instructionSet == .avx512 {
                            fovea_winograd_input_channels_avx512(
                                count, channels, panelRows, source, plane, p.width, p.height, inBase, inRow, inColumn,
                                target, g.pointInputs, panelRows)
                        } else {
                            fovea_winograd_input_channels_avx2(
                                count, channels, panelRows, source, plane, p.width, p.height, inBase, inRow, inColumn,
                                target, g.pointInputs, panelRows)
                        }
                    } else {
                        let part = item - g.inputPanels, o0 = part * lanes
                        let plane = p.outHeight * p.outWidth
                        let channels = max(0, min(lanes, p.outChannels - o0))
                        let source = gradOutput + min(o0, p.outChannels) * plane
                        let target = z + (part / vectorsPerPanel) * panelTiles * g.blockTiles + (part % vectorsPerPanel) * lanes
                        if instructionSet == .avx512 {
                            fovea_winograd_gradient_channels_avx512(
                                count, channels, source, plane, p.outWidth, p.outHeight, outBase, outRow, outColumn,
                                target, g.pointGradients, panelTiles)
                        } else {
                            fovea_winograd_gradient_channels_avx2(
                                count, channels, source, plane, p.outWidth, p.outHeight, outBase, outRow, outColumn,
                                target, g.pointGradients, panelTiles)
                        }
                    }
                }
                // S[point] += V[point]ᵀ · Z[point] over this block's tiles.
                ThreadTeam.forEach(16 * itemsPerPoint, workers: workers) { _, item in
                    let (point, part) = item.quotientAndRemainder(dividingBy: itemsPerPoint)
                    let a = v + point * g.pointInputs, b = z + point * g.pointGradients
                    let c = sums + point * g.pointSums
                    let panels = (part * panelsPerItem)..<min(g.inputPanels, (part + 1) * panelsPerItem)
                    for column in 0..<g.outputPanels {
                        for panel in panels {
                            var k0 = 0
                            while k0 < count {
                                let depth = min(depthBlock, count - k0)
                                GEMMMicroKernel.run(
                                    microKernel, kc: depth, a: a + panel * panelRows * g.blockTiles + k0 * panelRows,
                                    b: b + column * panelTiles * g.blockTiles + k0 * panelTiles,
                                    c: c + panel * panelRows * g.paddedOut + column * panelTiles,
                                    ldc: g.paddedOut, alpha: 1, beta: block == 0 && k0 == 0 ? 0 : 1)
                                k0 += depth
                            }
                        }
                    }
                }
            }
        }
        // ∂w = Gᵀ S G, split by output channels.
        let parts = min(workers, p.outChannels)
        ThreadTeam.run(parts) { worker in
            let share = ThreadTeam.share(worker, of: parts, count: p.outChannels)
            fovea_winograd_weight_gradient(share.count, p.inChannels, sums + share.lowerBound, g.pointSums, g.paddedOut,
                                           gradWeight + share.lowerBound * p.inChannels * 9)
        }
    }
}
