/// Propagates sizes, channels and receptive fields through a merge (add, multiply, concat).
struct MergeGeometry {
    let node: Node
    let networkInputSize: [Int]

    var name: String { node.name }

    /// The merged tensor and the alignment diagnosis.
    func output(from inputs: [(name: String, state: TensorState)]) throws(GeometryError) -> (TensorState, MergeDiagnosis) {
        let rank = networkInputSize.count
        let isConcat = node.layer == .concat
        var size = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let largest = inputs.indices.max { inputs[$0].state.size[axis] < inputs[$1].state.size[axis] } ?? 0
            size[axis] = inputs[largest].state.size[axis]
            let reference = isConcat ? 0 : largest
            for input in inputs {
                let n = input.state.size[axis], expected = inputs[reference].state.size[axis]
                guard n == expected || (!isConcat && n == 1) else {
                    throw .sizeMismatch(node: name, axis: axis, input: inputs[reference].name, size: expected,
                                        otherInput: input.name, otherSize: n)
                }
            }
        }
        // Global reductions (also partial ones) and inputs broadcast from size 1 are context,
        // unless nothing else is left.
        var local = inputs.indices.filter { i in !inputs[i].state.isReduced && inputs[i].state.size == size }
        if local.isEmpty { local = Array(inputs.indices) }
        let context = inputs.indices.filter { !local.contains($0) }

        var maps = [AxisMap]()
        var reaches = [ReachTable]()
        var axes = [MergeDiagnosis.Axis]()
        var worst: (axis: Int, a: Int, b: Int)?
        var worstSeverity: (Int, Double)?
        for axis in 0..<rank {
            let sources = local.map { inputs[$0].state.maps[axis] }
            do {
                maps.append(try Self.union(sources, count: size[axis]))
                reaches.append(try .merge(local.map { (inputs[$0].state.maps[axis], inputs[$0].state.reaches[axis]) },
                                          outputCount: size[axis]))
                var strideMismatch = false, largest = 0.0
                for a in sources.indices {
                    for b in sources.indices where b > a {
                        let (stride, px) = try Self.disagreement(sources[a], sources[b], count: size[axis])
                        strideMismatch = strideMismatch || stride
                        largest = Swift.max(largest, px)
                        let severity = (stride ? 1 : 0, px)
                        if stride || px > 0, worstSeverity.map({ severity > $0 }) ?? true {
                            worst = (axis, local[a], local[b])
                            worstSeverity = severity
                        }
                    }
                }
                axes.append(MergeDiagnosis.Axis(
                    strides: sources.map(\.meanStride),
                    centreOffsets: try sources.map { map throws(AxisError) in try Self.centreOffset(map) },
                    hasStrideMismatch: strideMismatch, mismatch: largest))
            } catch {
                throw GeometryError(error, node: name, axis: axis)
            }
        }
        let diagnosis = MergeDiagnosis(node: name, inputs: local.map { inputs[$0].name },
                                       contextInputs: context.map { inputs[$0].name }, axes: axes,
                                       worstAxis: worst?.axis,
                                       paths: worst.map { [inputs[$0.a].name, inputs[$0.b].name] } ?? [])

        var flags = Set<GeometryFlag>()
        for input in inputs { flags.formUnion(input.state.flags.subtracting([.global, .partiallyGlobal])) }
        if !diagnosis.isAligned { flags.insert(.misaligned) }
        if !context.isEmpty { flags.insert(.globalContext) }

        var state = TensorState(size: size, maps: maps, reaches: reaches,
                                channels: try channels(inputs, concat: isConcat), flags: flags)
        if local.allSatisfy({ inputs[$0].state.isReduced }) { state.flagReduction(networkInputSize: networkInputSize) }
        return (state, diagnosis)
    }

    /// Concat sums the channels; element-wise merges need equal channels (1 broadcasts).
    private func channels(_ inputs: [(name: String, state: TensorState)], concat: Bool) throws(GeometryError) -> Int? {
        if concat {
            var total = 0
            for input in inputs {
                guard let c = input.state.channels else { return nil }
                let (sum, overflow) = total.addingReportingOverflow(c)
                if overflow { throw .overflow(node: name, axis: nil) }
                total = sum
            }
            return total
        }
        var known: (name: String, channels: Int)?
        for input in inputs {
            guard let c = input.state.channels, c != 1 else { continue }
            if let known, known.channels != c {
                throw .channelMismatch(node: name, input: known.name, channels: known.channels,
                                       otherInput: input.name, otherChannels: c)
            }
            known = (input.name, c)
        }
        if let known { return known.channels }
        return inputs.allSatisfy { $0.state.channels == 1 } ? 1 : nil
    }

    /// The union of the inputs' intervals per unit: affine when all strides are equal
    /// (`P = max P_j`, the end from the largest `r_j − 1 − P_j`), a table otherwise.
    static func union(_ maps: [AxisMap], count n: Int) throws(AxisError) -> AxisMap {
        let fields = maps.compactMap(\.affine)
        if fields.count == maps.count, let first = fields.first, fields.allSatisfy({ $0.stride == first.stride }) {
            var padding = Int.min, end = Int.min
            for field in fields {
                padding = Swift.max(padding, field.padding)
                end = Swift.max(end, try (field.size - 1).minus(field.padding))
            }
            return .affine(AffineReceptiveField(size: try end.plus(padding).plus(1), stride: first.stride,
                                                padding: padding))
        }
        var builder = try TableBuilder(count: n)
        for j in 0..<n {
            for map in maps { builder.include(try map.span(ofUnit: j), at: j) }
        }
        return try builder.build()
    }

    /// Whether two paths differ in stride, and their largest centre difference over the grid.
    static func disagreement(_ a: AxisMap, _ b: AxisMap, count n: Int) throws(AxisError) -> (Bool, Double) {
        if let fa = a.affine, let fb = b.affine {
            let offset = fb.centreOffset - fa.centreOffset
            let drift = Double(fb.stride - fa.stride) * Double(n - 1)
            return (fa.stride != fb.stride, Swift.max(abs(offset), abs(offset + drift)))
        }
        var largest = 0.0
        for j in 0..<n {
            if let sa = try a.span(ofUnit: j), let sb = try b.span(ofUnit: j) {
                largest = Swift.max(largest, abs(sb.centre - sa.centre))
            }
        }
        return (largest > 0 && a.meanStride != b.meanStride, largest)
    }

    /// The centre of unit 0 (extrapolated when it sees nothing; 0 when no unit sees anything).
    static func centreOffset(_ map: AxisMap) throws(AxisError) -> Double {
        if let field = map.affine { return field.centreOffset }
        if case .table(let table) = map, let first = table.firstSeeing, let span = try table.span(ofUnit: first) {
            return span.centre - Double(first) * table.meanSpacing
        }
        return 0
    }
}

extension AxisMap {
    /// The affine form, if any.
    var affine: AffineReceptiveField? {
        if case .affine(let field) = self { return field }
        return nil
    }
}
