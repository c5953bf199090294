import FoveaGeometry

/// The operations a spec file can name and how their parameters become a `Layer`.
enum SpecOperation {
    /// Operation names with their primary parameter (the one a bare value after the name sets:
    /// `maxpool: 2` is `maxpool: {kernel: 2}`), in the order docs/spec-format.md lists them.
    static let primaryParameters: KeyValuePairs<String, String?> = [
        "conv": "kernel", "conv_transpose": "kernel",
        "maxpool": "kernel", "avgpool": "kernel", "lppool": "kernel",
        "adaptive_avgpool": "output_size", "adaptive_maxpool": "output_size",
        "global_avgpool": nil, "global_maxpool": nil,
        "resize": "scale", "pad": "padding", "crop": "amount", "slice": nil,
        "batchnorm": nil, "flatten": nil, "linear": "out_features",
        "add": nil, "multiply": nil, "concat": nil, "pointwise": "function",
    ]

    /// Other names for operations.
    static let aliases = ["upsample": "resize", "mul": "multiply", "cat": "concat", "dense": "linear"]

    /// Per-element operations that can be named directly (`- relu`); any other goes through
    /// `pointwise: name`.
    static let pointwiseNames: Set<String> = [
        "relu", "relu6", "leaky_relu", "prelu", "elu", "selu", "celu", "gelu", "silu", "swish", "mish",
        "hardswish", "hardsigmoid", "hardtanh", "sigmoid", "tanh", "softplus", "softsign", "softmax",
        "log_softmax", "dropout", "identity", "layer_norm", "group_norm", "instance_norm",
        "local_response_norm", "stochastic_depth", "clip",
    ]

    /// The canonical operation for a name, or nil.
    static func canonical(_ name: String) -> String? {
        let name = aliases[name] ?? name
        if pointwiseNames.contains(name) || primaryParameters.contains(where: { $0.key == name }) { return name }
        return nil
    }

    /// The primary parameter of a canonical operation.
    static func primaryParameter(of op: String) -> String? {
        primaryParameters.first { $0.key == op }?.value ?? nil
    }
}

/// The parameters of one layer: a mapping (keys consumed as read) and/or the bare value given
/// for the operation's primary parameter.
struct LayerFields {
    var mapping: SpecMapping?
    let primary: SpecValue?
    /// Where to point when a required parameter is missing.
    let owner: SpecValue
    /// The parameter `primary` stands for, once the operation is known.
    var primaryKey: String?

    init(mapping: SpecMapping?, primary: SpecValue?, owner: SpecValue) {
        self.mapping = mapping
        self.primary = primary
        self.owner = owner
    }

    mutating func optional(_ key: String) -> SpecValue? {
        if key == primaryKey, let primary { return primary }
        return mapping?.optional(key)
    }

    mutating func required(_ key: String) throws(SpecError) -> SpecValue {
        guard let value = optional(key) else { throw owner.error("missing parameter '\(key)'") }
        return value
    }

    func finish() throws(SpecError) { try mapping?.finish() }
}

extension SpecOperation {
    /// The layer for canonical operation `op`, reading its parameters from `fields`.
    static func layer(_ op: String, _ fields: inout LayerFields, rank: Int) throws(SpecError) -> Layer {
        if pointwiseNames.contains(op) { return .pointwise(op) }
        switch op {
        case "conv":
            let window = try slidingWindow(&fields, rank: rank, defaultStrideIsKernel: false, ceilMode: false)
            return .convolution(Convolution(window: window, outChannels: try fields.optional("out_channels")?.int(),
                                            groups: try fields.optional("groups")?.int() ?? 1,
                                            bias: try fields.optional("bias")?.bool() ?? true))
        case "conv_transpose":
            let kernel = try fields.required("kernel").intPerAxis(rank: rank)
            let stride = try fields.optional("stride")?.intPerAxis(rank: rank)
            let dilation = try fields.optional("dilation")?.intPerAxis(rank: rank)
            let padding = try fields.optional("padding").map { v throws(SpecError) in try beginEnd(v, rank: rank) }
            let outputPadding = try fields.optional("output_padding")?.intPerAxis(rank: rank)
            return .transposedConvolution(TransposedConvolution(
                kernel: kernel, stride: stride, dilation: dilation, padBegin: padding?.begin, padEnd: padding?.end,
                outputPadding: outputPadding, outChannels: try fields.optional("out_channels")?.int(),
                groups: try fields.optional("groups")?.int() ?? 1, bias: try fields.optional("bias")?.bool() ?? true))
        case "maxpool", "avgpool", "lppool":
            let kind: PoolKind
            var countIncludePad = true
            switch op {
            case "maxpool": kind = .max
            case "avgpool":
                kind = .average
                countIncludePad = try fields.optional("count_include_pad")?.bool() ?? true
            default: kind = .lp(try fields.optional("p")?.number() ?? 2)
            }
            let ceilMode = try fields.optional("ceil_mode")?.bool() ?? false
            let window = try slidingWindow(&fields, rank: rank, defaultStrideIsKernel: true, ceilMode: ceilMode,
                                           allowsDilation: op == "maxpool")
            return .pooling(Pooling(kind: kind, window: window, countIncludePad: countIncludePad))
        case "adaptive_avgpool", "adaptive_maxpool":
            let sizes = try fields.required("output_size").perAxis(rank: rank) { v throws(SpecError) -> Int? in
                v.isNull ? nil : try v.int()
            }
            return .adaptivePooling(AdaptivePooling(kind: op == "adaptive_maxpool" ? .max : .average, outputSize: sizes))
        case "global_avgpool": return .globalPooling(.average)
        case "global_maxpool": return .globalPooling(.max)
        case "resize": return .resize(try resize(&fields, rank: rank))
        case "pad":
            let padding = try beginEnd(try fields.required("padding"), rank: rank)
            let modeValue = fields.optional("mode")
            let mode = try modeValue.map { v throws(SpecError) -> Pad.Mode in
                let name = try v.string()
                guard let mode = Pad.Mode(rawValue: name == "replicate" ? "edge" : name) else {
                    throw v.error("unknown pad mode '\(name)' (constant, reflect, edge or replicate)")
                }
                return mode
            } ?? .constant
            return .pad(Pad(begin: padding.begin, end: padding.end, mode: mode))
        case "crop":
            let amount = try beginEnd(try fields.required("amount"), rank: rank)
            return .pad(Pad(begin: amount.begin.map { -$0 }, end: amount.end.map { -$0 }))
        case "slice":
            let start = try fields.required("start").intPerAxis(rank: rank)
            let step = try fields.optional("step")?.intPerAxis(rank: rank) ?? Array(repeating: 1, count: rank)
            let ends = try fields.required("end").perAxis(rank: rank) { v throws(SpecError) -> Int? in
                v.isNull ? nil : try v.int()
            }
            let end = ends.indices.map { ends[$0] ?? (step[$0] > 0 ? Int.max : Int.min) }
            return .slice(Slice(start: start, end: end, step: step))
        case "batchnorm": return .batchNorm
        case "flatten": return .flatten
        case "linear":
            return .linear(Linear(outFeatures: try fields.optional("out_features")?.int(),
                                  bias: try fields.optional("bias")?.bool() ?? true))
        case "add": return .add
        case "multiply": return .multiply
        case "concat": return .concat
        default:
            return .pointwise(try fields.required("function").string())
        }
    }

    /// Kernel, stride, dilation and padding of a convolution or pooling window.
    private static func slidingWindow(_ fields: inout LayerFields, rank: Int, defaultStrideIsKernel: Bool,
                                      ceilMode: Bool, allowsDilation: Bool = true) throws(SpecError) -> SlidingWindow {
        let kernel = try fields.required("kernel").intPerAxis(rank: rank)
        let stride = try fields.optional("stride")?.intPerAxis(rank: rank) ?? (defaultStrideIsKernel ? kernel : nil)
        let dilation = allowsDilation ? try fields.optional("dilation")?.intPerAxis(rank: rank) : nil
        let padding = try fields.optional("padding").map { v throws(SpecError) in try windowPadding(v, rank: rank) }
        return SlidingWindow(kernel: kernel, stride: stride, dilation: dilation, padding: padding, ceilMode: ceilMode)
    }

    /// A number or per-axis list (symmetric), `same`/`same_upper`, `same_lower`, `valid`, or `{begin, end}`.
    private static func windowPadding(_ value: SpecValue, rank: Int) throws(SpecError) -> Padding {
        if value.node.scalar != nil, value.tagName == .str {
            switch try value.string() {
            case "same", "same_upper": return .sameUpper
            case "same_lower": return .sameLower
            case "valid": return .valid
            case let other:
                throw value.error("unknown padding '\(other)' (a number, a list, same, same_lower, valid or {begin, end})")
            }
        }
        let (begin, end) = try beginEnd(value, rank: rank)
        return .explicit(begin: begin, end: end)
    }

    /// A number or per-axis list (same at both ends), or `{begin, end}` with a number or list each.
    private static func beginEnd(_ value: SpecValue, rank: Int) throws(SpecError) -> (begin: [Int], end: [Int]) {
        guard case .mapping = value.node else {
            let both = try value.intPerAxis(rank: rank)
            return (both, both)
        }
        var mapping = try value.mapping()
        let begin = try mapping.required("begin").intPerAxis(rank: rank)
        let end = try mapping.required("end").intPerAxis(rank: rank)
        try mapping.finish()
        return (begin, end)
    }

    /// `scale` or `size`, `mode`, and the coordinate mapping (PyTorch defaults: nearest reads
    /// `floor(j / scale)`, linear and cubic use half-pixel centres unless `align_corners`).
    private static func resize(_ fields: inout LayerFields, rank: Int) throws(SpecError) -> Resize {
        let scaleValue = fields.optional("scale"), sizeValue = fields.optional("size")
        let target: Resize.Target
        switch (scaleValue, sizeValue) {
        case (let scale?, nil): target = .scales(try scale.perAxis(rank: rank) { v throws(SpecError) in try v.number() })
        case (nil, let size?): target = .sizes(try size.intPerAxis(rank: rank))
        case (_?, let size?): throw size.error("give either 'scale' or 'size', not both")
        case (nil, nil): throw fields.owner.error("missing parameter 'scale' or 'size'")
        }
        let modeValue = fields.optional("mode")
        let modeName = try modeValue?.string() ?? "nearest"
        let alignCorners = try fields.optional("align_corners")?.bool() ?? false
        var mode: Resize.Mode
        var transform: Resize.CoordinateTransform = alignCorners ? .alignCorners : .halfPixel
        switch modeName {
        case "nearest":
            mode = .nearest(.floor)
            if !alignCorners { transform = .asymmetric }
        case "linear", "bilinear", "trilinear": mode = .linear
        case "cubic", "bicubic": mode = .cubic
        default:
            throw (modeValue ?? fields.owner).error("unknown resize mode '\(modeName)' (nearest, linear, bilinear, trilinear, cubic or bicubic)")
        }
        if let value = fields.optional("coordinate_transform") {
            let name = try value.string()
            guard let explicit = Resize.CoordinateTransform(rawValue: name) else {
                throw value.error("unknown coordinate_transform '\(name)' (half_pixel, pytorch_half_pixel, align_corners, asymmetric or tf_half_pixel_for_nn)")
            }
            transform = explicit
        }
        if let value = fields.optional("nearest_mode") {
            let name = try value.string()
            guard case .nearest = mode, let rounding = Resize.NearestRounding(rawValue: name) else {
                throw value.error("nearest_mode '\(name)' needs mode nearest and one of round_prefer_floor, round_prefer_ceil, floor, ceil")
            }
            mode = .nearest(rounding)
        }
        return Resize(mode: mode, coordinateTransform: transform, target: target)
    }
}
