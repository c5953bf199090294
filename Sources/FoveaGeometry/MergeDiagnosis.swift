/// The alignment check of one merge node (add, multiply, concat).
///
/// Paths are aligned on an axis when they agree on the effective stride and on the centre offset
/// `(r − 1)/2 − P` (for non-affine paths: when every unit's centre agrees).
public struct MergeDiagnosis: Sendable, Hashable {
    /// The comparison of the local inputs along one axis.
    public struct Axis: Sendable, Hashable {
        /// Effective stride of each input in `inputs` (mean spacing when not affine).
        public let strides: [Double]
        /// Centre of unit 0 of each input in `inputs`.
        public let centreOffsets: [Double]
        /// Whether two inputs differ in effective stride.
        public let hasStrideMismatch: Bool
        /// The largest disagreement, in input pixels, between the centres of one unit along two paths.
        public let mismatch: Double

        /// Whether all inputs agree on this axis.
        public var isAligned: Bool { !hasStrideMismatch && mismatch == 0 }
    }

    /// The merge node.
    public let node: String
    /// The inputs whose receptive fields are united (all inputs but the context ones).
    public let inputs: [String]
    /// Global or broadcast inputs (e.g. a squeeze-and-excitation gate), reported as global context
    /// and left out of the receptive field.
    public let contextInputs: [String]
    /// One entry per spatial axis.
    public let axes: [Axis]
    /// The worst disagreement: its axis and the two paths; nil when aligned.
    public let worstAxis: Int?
    public let paths: [String]

    public var isAligned: Bool { axes.allSatisfy(\.isAligned) }

    /// One line: aligned, or the two paths, the axis and the stride or centre mismatch in pixels.
    public var description: String {
        var text = "merge '\(node)': "
        if let axis = worstAxis, paths.count == 2,
           let a = inputs.firstIndex(of: paths[0]), let b = inputs.firstIndex(of: paths[1]) {
            let entry = axes[axis]
            text += "paths '\(paths[0])' and '\(paths[1])' misaligned on axis \(axis): "
            if entry.strides[a] != entry.strides[b] {
                text += "stride \(formatted(entry.strides[a])) vs \(formatted(entry.strides[b]))"
                text += ", centres up to \(formatted(entry.mismatch)) px apart"
            } else {
                text += "centres \(formatted(entry.mismatch)) px apart (offsets "
                text += "\(formatted(entry.centreOffsets[a])) vs \(formatted(entry.centreOffsets[b])))"
            }
        } else {
            text += inputs.count == 1 ? "1 path" : "\(inputs.count) paths aligned"
        }
        if !contextInputs.isEmpty {
            text += "; global context from " + contextInputs.map { "'\($0)'" }.joined(separator: ", ")
        }
        return text
    }
}
