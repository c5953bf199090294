/// One factor of a tensor axis: a spatial axis of the network input, or anything else
/// (batch, channels, groups, constants' broadcast axes).
struct AxisPart: Hashable {
    var size: Int
    /// The network's spatial axis this factor is, or `nil`.
    var spatial: Int?
}

/// A tensor computed from the graph input: the network node that computes it, its full shape at
/// the import input size, and how its axes are made of the input's spatial axes.
///
/// Each axis is a row-major product of parts. A reshape that merges a spatial axis with others
/// (GroupNorm's `[N, G, C/G·H·W]`, ViT tokens `[N, H·W, C]`) keeps the spatial part inside the
/// merged axis, so a later reshape can restore it; only splitting a spatial axis or reordering
/// the spatial axes loses the geometry.
struct DynamicTensor {
    /// Name of the geometry node (or `Network.inputName`).
    var node: String
    var shape: [Int]
    var parts: [[AxisPart]]
    /// The number of spatial axes of the network input.
    let spatialRank: Int

    init(node: String, shape: [Int], parts: [[AxisPart]], spatialRank: Int) {
        self.node = node
        self.shape = shape
        self.parts = parts
        self.spatialRank = spatialRank
    }

    /// A tensor whose spatial axis `a` is the whole tensor axis `spatialAxes[a]` (or absent).
    init(node: String, shape: [Int], spatialAxes: [Int?]) {
        var parts = shape.map { [AxisPart(size: $0, spatial: nil)] }
        for (a, t) in spatialAxes.enumerated() {
            if let t, t < shape.count { parts[t] = [AxisPart(size: shape[t], spatial: a)] }
        }
        self.init(node: node, shape: shape, parts: parts, spatialRank: spatialAxes.count)
    }

    var rank: Int { shape.count }

    /// What a tensor axis holds.
    enum AxisKind: Equatable {
        /// Exactly one spatial axis of the input (with size-1 factors at most).
        case spatial(Int)
        /// No spatial axis.
        case plain
        /// A spatial axis merged with other factors.
        case folded
    }

    func kind(_ t: Int) -> AxisKind {
        let spatial = parts[t].compactMap(\.spatial)
        if spatial.isEmpty { return .plain }
        if spatial.count == 1, parts[t].allSatisfy({ $0.spatial != nil || $0.size == 1 }) { return .spatial(spatial[0]) }
        return .folded
    }

    /// For each spatial axis of the input, the tensor axis that is exactly it, if any.
    var spatialAxes: [Int?] {
        var axes = [Int?](repeating: nil, count: spatialRank)
        for t in parts.indices {
            if case .spatial(let a) = kind(t), a < spatialRank { axes[a] = t }
        }
        return axes
    }

    /// The spatial axes of the input that are present in some axis (alone or merged).
    var presentSpatialAxes: Set<Int> { Set(parts.flatMap { $0.compactMap(\.spatial) }) }

    /// The spatial axes of the input held by tensor axes `axes`.
    func spatialAxes(in axes: Set<Int>) -> Set<Int> {
        Set(axes.flatMap { parts[$0].compactMap(\.spatial) })
    }

    /// Whether no spatial axis is left (flattened or reduced away).
    var isGlobal: Bool { presentSpatialAxes.isEmpty }

    /// The parts after broadcasting or resizing to `newShape` (same or higher rank): new leading
    /// axes and resized plain axes are plain, resized spatial axes keep their spatial axis; `nil`
    /// if a merged axis would change size.
    func parts(resizedTo newShape: [Int]) -> [[AxisPart]]? {
        guard newShape.count >= rank else { return nil }
        let offset = newShape.count - rank
        var out = (0..<offset).map { [AxisPart(size: newShape[$0], spatial: nil)] }
        for t in 0..<rank {
            let n = newShape[offset + t]
            if n == shape[t] {
                out.append(parts[t])
                continue
            }
            switch kind(t) {
            case .plain: out.append([AxisPart(size: n, spatial: nil)])
            case .spatial(let a): out.append([AxisPart(size: n, spatial: a)])
            case .folded: return nil
            }
        }
        return out
    }

    /// Parts with no spatial axis, for a tensor whose geometry became global.
    static func plainParts(_ shape: [Int]) -> [[AxisPart]] { shape.map { [AxisPart(size: $0, spatial: nil)] } }
}

/// Regroups axis parts for a row-major reshape to `shape`: parts are merged freely, plain parts
/// may be split, spatial parts may not. `nil` when a spatial part would be split.
func regroup(_ parts: [[AxisPart]], into shape: [Int]) -> [[AxisPart]]? {
    var sequence: [AxisPart] = []
    for part in parts.joined() where part.size != 1 {
        if part.spatial == nil, let last = sequence.last, last.spatial == nil {
            let (product, overflow) = last.size.multipliedReportingOverflow(by: part.size)
            guard !overflow else { return nil }
            sequence[sequence.count - 1].size = product
        } else {
            sequence.append(part)
        }
    }
    guard !sequence.contains(where: { $0.size == 0 }), !shape.contains(0) else { return nil }
    var out: [[AxisPart]] = []
    var index = 0
    for d in shape {
        var need = d
        var axis: [AxisPart] = []
        while need > 1 {
            guard index < sequence.count else { return nil }
            let head = sequence[index]
            if need % head.size == 0 {
                axis.append(head)
                need /= head.size
                index += 1
            } else if head.spatial == nil, head.size % need == 0 {
                axis.append(AxisPart(size: need, spatial: nil))
                sequence[index].size /= need
                need = 1
            } else {
                return nil
            }
        }
        out.append(axis)
    }
    return index == sequence.count ? out : nil
}

/// Whether the spatial parts larger than 1 appear in the input's axis order.
func spatialOrderKept(_ parts: [[AxisPart]]) -> Bool {
    let order = parts.joined().filter { $0.size > 1 }.compactMap(\.spatial)
    return zip(order, order.dropFirst()).allSatisfy { $0 < $1 }
}

/// The parts with size-1 spatial parts that are out of order made plain.
func droppingDisorderedUnitParts(_ parts: [[AxisPart]]) -> [[AxisPart]] {
    var seen = -1
    return parts.map { axis in
        axis.map { part in
            guard let s = part.spatial else { return part }
            if part.size == 1, s <= seen { return AxisPart(size: 1, spatial: nil) }
            seen = max(seen, s)
            return part
        }
    }
}
