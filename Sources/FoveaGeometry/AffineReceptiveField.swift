/// One sliding-window layer of a plain chain on one axis.
public struct ChainLayer: Sendable, Hashable {
    /// Kernel extent before dilation.
    public var kernel: Int
    /// Step between windows.
    public var stride: Int
    /// Padding before the first input unit (the end padding does not affect the receptive field).
    public var padding: Int
    /// Spacing between taps; the effective kernel is `dilation·(kernel − 1) + 1`.
    public var dilation: Int

    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }
}

/// An affine receptive field on one axis: unit `i` sees input `[i·stride − padding, i·stride − padding + size − 1]`.
///
/// `stride` 0 describes a tensor whose units all see the same interval (after a global reduction).
public struct AffineReceptiveField: Sendable, Hashable {
    /// Receptive-field size `r`.
    public var size: Int
    /// Effective stride (jump) `S`.
    public var stride: Int
    /// Effective padding `P`.
    public var padding: Int

    public init(size: Int, stride: Int, padding: Int) {
        self.size = size
        self.stride = stride
        self.padding = padding
    }

    /// The network input itself: unit `i` sees `[i, i]`.
    public static let identity = AffineReceptiveField(size: 1, stride: 1, padding: 0)

    /// Centre of unit 0, `(r − 1)/2 − P`; unit `i` is centred at `i·S` plus this offset.
    public var centreOffset: Double { Double(size - 1) / 2 - Double(padding) }

    /// The field after one more layer (the forward composition the network analysis uses):
    /// `r ← r + (d(k − 1) + 1 − 1)·S`, `P ← P + p·S`, `S ← S·s`.
    public func appending(_ layer: ChainLayer) throws(GeometryError) -> AffineReceptiveField {
        try Self.validate(layer, index: 0)
        do {
            return try appending(kernel: layer.kernel, stride: layer.stride, padBegin: layer.padding,
                                 dilation: layer.dilation)
        } catch {
            throw .overflow(node: "chain layer", axis: nil)
        }
    }

    /// The field of the last layer's units by forward composition, layer by layer from the input.
    public static func forward(_ chain: [ChainLayer]) throws(GeometryError) -> AffineReceptiveField {
        var field = identity
        for (l, layer) in chain.enumerated() {
            try validate(layer, index: l)
            do {
                field = try field.appending(kernel: layer.kernel, stride: layer.stride,
                                            padBegin: layer.padding, dilation: layer.dilation)
            } catch {
                throw .overflow(node: "chain layer \(l)", axis: nil)
            }
        }
        return field
    }

    /// The closed form: `r = Σ_l (k_l − 1)·Π_{i<l} s_i + 1`, `S = Π_l s_l`,
    /// `P = Σ_l p_l·Π_{i<l} s_i` (with the effective kernel `d(k − 1) + 1` for `k`).
    public static func closedForm(_ chain: [ChainLayer]) throws(GeometryError) -> AffineReceptiveField {
        var size = 1, padding = 0, product = 1
        for (l, layer) in chain.enumerated() {
            try validate(layer, index: l)
            do {
                let k = try effectiveKernel(layer.kernel, layer.dilation)
                size = try size.plus((k - 1).times(product))
                padding = try padding.plus(layer.padding.times(product))
                product = try product.times(layer.stride)
            } catch {
                throw .overflow(node: "chain layer \(l)", axis: nil)
            }
        }
        return AffineReceptiveField(size: size, stride: product, padding: padding)
    }

    /// The recursive form, from the top unit back to the input:
    /// `r[l−1] = s_l·r[l] + (k_l − s_l)`, `S[l−1] = s_l·S[l]`, `P[l−1] = s_l·P[l] + p_l`, starting at `1, 1, 0`.
    public static func recursive(_ chain: [ChainLayer]) throws(GeometryError) -> AffineReceptiveField {
        var size = 1, stride = 1, padding = 0
        for (l, layer) in chain.enumerated().reversed() {
            try validate(layer, index: l)
            do {
                let k = try effectiveKernel(layer.kernel, layer.dilation)
                size = try layer.stride.times(size).plus(k.minus(layer.stride))
                stride = try layer.stride.times(stride)
                padding = try layer.stride.times(padding).plus(layer.padding)
            } catch {
                throw .overflow(node: "chain layer \(l)", axis: nil)
            }
        }
        return AffineReceptiveField(size: size, stride: stride, padding: padding)
    }

    /// The input interval of unit `u` (any integer; units outside the grid lie in padding).
    func span(ofUnit u: Int) throws(AxisError) -> Span {
        let lo = try u.times(stride).minus(padding)
        return Span(lo: lo, hi: try lo.plus(size - 1))
    }

    /// Forward composition with one window (the engine's step).
    func appending(kernel: Int, stride s: Int, padBegin: Int, dilation: Int) throws(AxisError) -> AffineReceptiveField {
        let k = try Self.effectiveKernel(kernel, dilation)
        return AffineReceptiveField(size: try size.plus((k - 1).times(stride)),
                                    stride: try stride.times(s),
                                    padding: try padding.plus(padBegin.times(stride)))
    }

    static func effectiveKernel(_ kernel: Int, _ dilation: Int) throws(AxisError) -> Int {
        try dilation.times(kernel - 1).plus(1)
    }

    private static func validate(_ layer: ChainLayer, index: Int) throws(GeometryError) {
        for (name, value) in [("kernel", layer.kernel), ("stride", layer.stride), ("dilation", layer.dilation)]
        where value < 1 {
            throw .invalidParameter(node: "chain layer \(index)", parameter: name, axis: nil, value: value,
                                    requirement: "must be at least 1")
        }
    }
}
