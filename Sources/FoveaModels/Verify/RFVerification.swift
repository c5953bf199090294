import FoveaGeometry

/// The result of checking analytic receptive fields against the support of gradients computed
/// with Fovea's own backward kernels.
public struct RFVerification: Sendable {
    /// One unit along one axis: the input pixels the analysis says it reads (its exact reach)
    /// against the hull of the input positions that receive gradient.
    public struct UnitCheck: Sendable, Hashable {
        public enum Role: String, Sendable, Hashable {
            case first, centre, last
            /// The unit after the centre, used with the centre to measure `S` and `P`.
            case next = "centre+1"
        }
        public let axis: Int
        /// The network input size along the axis in this run.
        public let inputSize: Int
        public let unit: Int
        public let role: Role
        /// The analytic interval, unclipped (padding positions included).
        public let analytic: ClosedRange<Int>?
        /// The analytic reach: the hull of the input pixels the unit reads through real units
        /// (`AxisGeometry.reachedInput(ofUnit:)`); nil when it reads none.
        public let expected: ClosedRange<Int>?
        /// The hull of the positions with a non-zero gradient; nil when there are none.
        public let measured: ClosedRange<Int>?
        /// Positions inside `measured` without gradient (dilation and stride gaps; the receptive
        /// field counts the hull).
        public let holes: Int

        /// Exact agreement of the reach with the gradient support.
        public var agrees: Bool { expected == measured }
    }

    /// `r`, `S`, `P` on one axis measured from two neighbouring units whose fields lie strictly
    /// inside an input grown along that axis.
    public struct FieldCheck: Sendable, Hashable {
        public let axis: Int
        /// The grown input size along the axis.
        public let inputSize: Int
        /// Measured `r` (centre unit's hull), `S` (start difference) and `P`; nil when a unit saw nothing.
        public let measured: AffineReceptiveField?
        /// The analytic field at the grown size (nil if not affine there).
        public let analyticAtGrownSize: AffineReceptiveField?
        /// The analytic field at the requested size (nil if not affine there).
        public let analytic: AffineReceptiveField?

        /// Whether the measurement equals the analysis at the size it was made.
        public var agrees: Bool { measured != nil && measured == analyticAtGrownSize }
        /// Whether it also confirms `r`, `S`, `P` at the requested size (the geometry does not
        /// depend on the input size along this axis, as for convolution/pooling stacks).
        public var confirmsRequestedSize: Bool { agrees && analytic == measured }
    }

    /// Everything checked for one node.
    public struct NodeResult: Sendable {
        public let node: String
        public let checks: [UnitCheck]
        public let fields: [FieldCheck]
        /// Axes that could not be measured on a grown input, and why.
        public let notes: [String]
        /// Set when the verification could not run or the kernels disagree with the analysis on sizes.
        public let failure: VerificationFailure?

        public var passed: Bool {
            failure == nil && checks.allSatisfy(\.agrees) && fields.allSatisfy(\.agrees)
        }
    }

    public let nodes: [NodeResult]

    public var passed: Bool { nodes.allSatisfy(\.passed) }
}
