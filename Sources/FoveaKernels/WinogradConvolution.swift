import CFoveaKernels

/// Ungrouped 3×3 convolution at stride 1 and dilation 1 by Winograd's minimal filtering
/// F(2×2, 3×3): 16 multiplications per 2×2 output tile and channel pair instead of 36.
///
/// Each 3×3 kernel becomes 16 values `U = G g Gᵀ`, each 4×4 input window (tiles 2 apart, so
/// neighbouring windows overlap by 2) becomes 16 values `V = Bᵀ d B`, and for each of the 16
/// points the products summed over input channels form one matrix product,
/// `M[point] = U[point] · V[point]` (output channels × input channels × tiles), run by the
/// GEMM micro-kernel (12×32 AVX-512 or 6×16 AVX2) on panels packed in place by the transforms. Each tile's
/// 2×2 outputs are `Aᵀ M A` plus the bias. The transforms only add, subtract and halve, so
/// the result is the same sum as the direct kernels' in another order, with a few more
/// roundings (see docs/kernels.md for the measured error). The input gradient of a 3×3
/// stride-1 layer is a 3×3 stride-1 problem too (``DirectConvolution/transposedProblem(_:)``)
/// and runs here as well.
///
/// Work items are up to 128 consecutive tiles of the batch (whole micro-kernel panels, in
/// image, row, column order); every item is computed the same way whichever thread takes it,
/// so results do not depend on threads. Needs AVX2 and FMA, or AVX-512F.
struct WinogradConvolution: Equatable {
    /// The instruction set of the transforms and products: `.avx512` (16-lane transforms, the
    /// 12×32 micro-kernel) or `.avx2` (8 lanes, the 6×16 micro-kernel).
    let instructionSet: KernelInstructionSet

    /// The form `automatic` uses on this CPU: AVX-512 where 512-bit FMAs run at full width,
    /// else AVX2 (nil without AVX2 and FMA).
    static var preferred: WinogradConvolution? {
        switch KernelInstructionSet.active {
        case .avx512: WinogradConvolution(instructionSet: KernelInstructionSet.avx512SplitsFMA ? .avx2 : .avx512)
        case .avx2: WinogradConvolution(instructionSet: .avx2)
        case .portable: nil
        }
    }

    /// Rows of a packed weight panel and tiles of an input panel: the micro-kernel's tile.
    var panelRows: Int { instructionSet == .avx512 ? 12 : 6 }
    var panelTiles: Int { instructionSet == .avx512 ? 32 : 16 }
    /// Tiles (or channels) per transform vector.
    var lanes: Int { instructionSet == .avx512 ? 16 : 8 }
    var microKernel: GEMM.MicroKernel { instructionSet == .avx512 ? .avx512 : .avx2FMA }

    /// Depth of one micro-kernel call (its input panel, 16 or 32 KiB, stays in L1).
    static let depthBlock = 256
    /// Floats of transformed input and products one work item keeps (2 MiB, one L2).
    static let itemFloats = 1 << 19
    /// Most tiles per work item.
    static let maximumItemTiles = 128
    /// Fewest input and output channels for which `automatic` picks this kernel. With fewer,
    /// the products are too shallow or too narrow for the transforms to pay.
    static let minimumChannels = 32

    /// Whether `p` can run here: the instruction set within ``KernelInstructionSet/active``, a
    /// 3×3 kernel, stride 1, dilation 1, one group, and index ranges within 32 bits.
    func supports(_ p: Conv2DParameters) -> Bool {
        guard instructionSet >= .avx2, KernelInstructionSet.active >= instructionSet,
              p.groups == 1, p.kernelHeight == 3, p.kernelWidth == 3, p.strideH == 1, p.strideW == 1,
              p.dilationH == 1, p.dilationW == 1 else { return false }
        // Gather and scatter indices are 32-bit: every index into the input or output, with the
        // padding and a tile's overhang, stays below 2³⁰.
        let rows = p.height + p.padTop + p.padBottom + 4, columns = p.width + p.padLeft + p.padRight + 4
        let (plane, o1) = rows.multipliedReportingOverflow(by: columns)
        let (image, o2) = plane.multipliedReportingOverflow(by: max(p.inChannels, p.outChannels))
        let (all, o3) = image.multipliedReportingOverflow(by: p.batch)
        return !o1 && !o2 && !o3 && all < 1 << 30
    }

    /// Whether `automatic` should run the forward problem `p` here: this is the preferred form,
    /// it supports `p`, and `p` has enough channels.
    func prefers(_ p: Conv2DParameters) -> Bool {
        self == Self.preferred && supports(p) && p.inChannels >= Self.minimumChannels
            && p.outChannels >= Self.minimumChannels
    }

    /// Whether `automatic` should run the weight gradient of `p` here: as ``prefers(_:)``, with
    /// at least 64 input and output channels (with fewer the transforms cost more than the
    /// products save: 32 × 56² took 21.6 ms against the channel vectors' 19.0) and outputs at
    /// least 12 wide and high (a 7² output is 4² tiles covering 8², and 64 × 7² took 1.06 ms
    /// against 0.76; 512 × 7² 59 against 56). Measured with the AVX-512 form.
    func prefersWeightGradient(_ p: Conv2DParameters) -> Bool {
        prefers(p) && min(p.inChannels, p.outChannels) >= 64 && min(p.outHeight, p.outWidth) >= 12
    }

    /// Tile grid and buffer sizes of one problem.
    struct Plan {
        let p: Conv2DParameters
        let kernel: WinogradConvolution
        let tilesHigh: Int
        let tilesWide: Int
        /// Tiles of the whole batch.
        let tiles: Int
        /// Output channels rounded up to whole weight panels.
        let paddedOutChannels: Int
        /// Tiles per work item: whole panels, at most ``WinogradConvolution/maximumItemTiles``.
        let itemTiles: Int
        let items: Int

        init(_ p: Conv2DParameters, kernel: WinogradConvolution) {
            self.p = p
            self.kernel = kernel
            tilesHigh = (p.outHeight + 1) / 2
            tilesWide = (p.outWidth + 1) / 2
            tiles = p.batch * tilesHigh * tilesWide
            paddedOutChannels = DirectConvolution.roundUp(p.outChannels, kernel.panelRows)
            let perPanel = 16 * (p.inChannels + paddedOutChannels) * kernel.panelTiles
            let panels = max(1, min(WinogradConvolution.maximumItemTiles / kernel.panelTiles,
                                    WinogradConvolution.itemFloats / perPanel,
                                    (tiles + kernel.panelTiles - 1) / kernel.panelTiles))
            itemTiles = panels * kernel.panelTiles
            items = (tiles + itemTiles - 1) / itemTiles
        }

        /// Floats of the transformed weights, one `paddedOutChannels × inChannels` matrix per point.
        var weightFloats: Int { 16 * pointWeights }
        var pointWeights: Int { paddedOutChannels * p.inChannels }
        /// Floats of one item's transformed input (`V`) and one point of it.
        var inputFloats: Int { 16 * pointInputs }
        var pointInputs: Int { p.inChannels * itemTiles }
        /// Floats of one item's products (`M`) and one point of them.
        var productFloats: Int { 16 * pointProducts }
        var pointProducts: Int { paddedOutChannels * itemTiles }
        /// Workspace floats for `workers` workers.
        func workspaceFloats(workers: Int) -> Int { weightFloats + workers * (inputFloats + productFloats) }
    }

    /// Where weight `(o, c, u, v)` of the problem is: `base + o·outStride + c·inStride + u·rowStride + v·columnStride`.
    struct WeightLayout {
        let base: UnsafePointer<Float>
        let outStride: Int
        let inStride: Int
        let rowStride: Int
        let columnStride: Int

        /// The layout of `source`, the OIHW weights as they are or transposed and flipped.
        init(_ source: ConvolutionWeights.Source) {
            if let (inChannels, window) = source.transposedShape {
                // Problem channel `o` is original input channel `o`, problem depth channel `c` the
                // original output channel `c`, and tap (u, v) the original (2 − u, 2 − v).
                base = source.weight + (window - 1)
                outStride = window
                inStride = inChannels * window
                rowStride = -3
                columnStride = -1
            } else {
                base = source.weight
                outStride = source.depth
                inStride = 9
                rowStride = 3
                columnStride = 1
            }
        }
    }

    /// The forward problem `p` (``supports(_:)`` must hold): `output` (NCHW, every element
    /// written) from `input` and the weights `source`, plus `bias` when given.
    func forward(
        _ p: Conv2DParameters, input: UnsafePointer<Float>, weight source: ConvolutionWeights.Source,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        let plan = Plan(p, kernel: self)
        let multiplyAdds = p.batch * p.outChannels * p.outHeight * p.outWidth * p.inChannels * 9
        let workers = ThreadTeam.workers(multiplyAdds: multiplyAdds, items: plan.items)
        let buffer = GEMMWorkspacePool.take(count: plan.workspaceFloats(workers: workers))
        defer { GEMMWorkspacePool.give(buffer) }
        let transformed = buffer.pointer
        transformWeights(plan, WeightLayout(source), into: transformed, workers: workers)
        ThreadTeam.forEach(plan.items, workers: workers) { worker, item in
            let v = transformed + plan.weightFloats + worker * (plan.inputFloats + plan.productFloats)
            run(plan, item: item, input: input, weights: transformed, bias: bias, output: output,
                inputs: v, products: v + plan.inputFloats)
        }
    }

    /// `U = G g Gᵀ` for every channel pair, as 16 matrices of GEMM A panels, split by panels
    /// over `workers`.
    private func transformWeights(
        _ plan: Plan, _ layout: WeightLayout, into u: UnsafeMutablePointer<Float>, workers: Int
    ) {
        let p = plan.p
        let panels = plan.paddedOutChannels / panelRows
        ThreadTeam.run(min(workers, panels)) { worker in
            let share = ThreadTeam.share(worker, of: min(workers, panels), count: panels)
            guard !share.isEmpty else { return }
            let first = share.lowerBound * panelRows
            let real = max(0, min(p.outChannels, share.upperBound * panelRows) - first)
            fovea_winograd_weights(
                real, share.count * panelRows, p.inChannels, layout.base + first * layout.outStride,
                layout.outStride, layout.inStride, layout.rowStride, layout.columnStride,
                u + first * p.inChannels, plan.pointWeights, panelRows)
        }
    }

    /// One work item: transforms its tiles' input windows, multiplies the 16 points, and writes
    /// its tiles' outputs.
    private func run(
        _ plan: Plan, item: Int, input: UnsafePointer<Float>, weights u: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
        inputs v: UnsafeMutablePointer<Float>, products m: UnsafeMutablePointer<Float>
    ) {
        let p = plan.p
        let first = item * plan.itemTiles
        let count = min(plan.itemTiles, plan.tiles - first)
        let panels = (count + panelTiles - 1) / panelTiles
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * 16) { lane in
            let base = lane.baseAddress!, row = base + 16, column = base + 32
            // Bᵀ d B for every vector of tiles in whole panels (lanes past the last tile read zeros).
            let vectorsPerPanel = panelTiles / lanes
            for group in 0..<(panels * vectorsPerPanel) {
                Self.describe(plan, first: first + group * lanes, count: lanes, valid: count - group * lanes,
                              input: true, base: base, row: row, column: column)
                let target = v + (group / vectorsPerPanel) * p.inChannels * panelTiles + (group % vectorsPerPanel) * lanes
                if instructionSet == .avx512 {
                    fovea_winograd_input_avx512(p.inChannels, input, p.height * p.width, p.width, p.height,
                                                base, row, column, target, plan.pointInputs, panelTiles)
                } else {
                    fovea_winograd_input_avx2(p.inChannels, input, p.height * p.width, p.width, p.height,
                                              base, row, column, target, plan.pointInputs, panelTiles)
                }
            }
            // M[point] = U[point] · V[point]: weight panels innermost, so each input panel stays in L1.
            for point in 0..<16 {
                let a = u + point * plan.pointWeights
                let b = v + point * plan.pointInputs
                let c = m + point * plan.pointProducts
                for panel in 0..<panels {
                    for block in 0..<(plan.paddedOutChannels / panelRows) {
                        var k0 = 0
                        while k0 < p.inChannels {
                            let depth = min(Self.depthBlock, p.inChannels - k0)
                            GEMMMicroKernel.run(
                                microKernel, kc: depth, a: a + block * panelRows * p.inChannels + k0 * panelRows,
                                b: b + panel * p.inChannels * panelTiles + k0 * panelTiles,
                                c: c + block * panelRows * plan.itemTiles + panel * panelTiles,
                                ldc: plan.itemTiles, alpha: 1, beta: k0 == 0 ? 0 : 1)
                            k0 += depth
                        }
                    }
                }
            }
            // Aᵀ M A plus the bias, into the output.
            for group in 0..<((count + lanes - 1) / lanes) {
                Self.describe(plan, first: first + group * lanes, count: lanes, valid: count - group * lanes,
                              input: false, base: base, row: row, column: column)
                let (source, valid) = (m + group * lanes, min(lanes, count - group * lanes))
                let plane = p.outHeight * p.outWidth
                if instructionSet == .avx512 {
                    fovea_winograd_output_avx512(p.outChannels, source, plan.pointProducts, plan.itemTiles, output,
                                                 plane, p.outWidth, p.outHeight, base, row, column, valid, bias)
                } else {
                    fovea_winograd_output_avx2(p.outChannels, source, plan.pointProducts, plan.itemTiles, output,
                                               plane, p.outWidth, p.outHeight, base, row, column, valid, bias)
                }
            }
        }
    }

    /// Fills, for the `count` tiles from `first` (the first `valid` of them real), the index of
    /// each tile's top-left input (`input`) or output element in its image's first channel, and
    /// that element's row and column. Tiles past the real ones get a row far above the image.
    static func describe(
        _ plan: Plan, first: Int, count: Int, valid: Int, input: Bool,
        base: UnsafeMutablePointer<Int32>, row: UnsafeMutablePointer<Int32>, column: UnsafeMutablePointer<Int32>
    ) {
        let p = plan.p
        let tilesPerImage = plan.tilesHigh * plan.tilesWide
        for i in 0..<count {
            guard i < valid else {
                (base[i], row[i], column[i]) = (0, -8, -8)
                continue
            }
            let (image, tile) = (first + i).quotientAndRemainder(dividingBy: tilesPerImage)
            let (ty, tx) = tile.quotientAndRemainder(dividingBy: plan.tilesWide)
            if input {
                let y = 2 * ty - p.padTop, x = 2 * tx - p.padLeft
                (row[i], column[i]) = (Int32(y), Int32(x))
                base[i] = Int32(image * p.inChannels * p.height * p.width + y * p.width + x)
            } else {
                (row[i], column[i]) = (Int32(2 * ty), Int32(2 * tx))
                base[i] = Int32(image * p.outChannels * p.outHeight * p.outWidth + 2 * ty * p.outWidth + 2 * tx)
            }
        }
    }
}
