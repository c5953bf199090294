import FoveaGeometry

extension RFReport {
    /// The JSON contract: `model`, `input.size`, and `layers` with `name`, `op`, `output_size`,
    /// `receptive_field`, `effective_stride`, `effective_padding`, `aligned`, `flags` (plus
    /// `layer`, `inputs`, `channels`, `parameters`), then `merges`, `unit` (with the `reached`
    /// pixels and the `unreached` count per axis) and `verification`.
    func json() -> String {
        var top: [(String, JSONValue)] = [
            ("model", .string(model)),
            ("input", .object([("size", .ints(inputSize)), ("channels", .optional(inputChannels))])),
            ("layers", .array(rows.filter { $0.layer != nil }.map(Self.json))),
            ("merges", .array(merges.map(Self.json))),
        ]
        if let unit { top.append(("unit", Self.json(unit))) }
        if let verification { top.append(("verification", Self.json(verification))) }
        if let assumptions { top.append(("assumptions", Self.assumptionsJSON(assumptions))) }
        return JSONValue.object(top).rendered() + "\n"
    }

    private static func json(_ row: Row) -> JSONValue {
        .object([
            ("name", .string(row.name)), ("op", .string(row.operation)), ("layer", .string(row.summary)),
            ("inputs", .strings(row.inputs)),
            ("channels", .optional(row.channels)), ("parameters", .optional(row.parameterCount)),
            ("output_size", .ints(row.outputSize)),
            ("receptive_field", .ints(row.axes.map(\.receptiveField))),
            ("effective_stride", .numbers(row.axes.map(\.effectiveStride))),
            ("effective_padding", .numbers(row.axes.map(\.effectivePadding))),
            ("aligned", .bool(row.isAligned)),
            ("flags", .strings(row.flags.map(\.rawValue))),
        ])
    }

    private static func json(_ merge: MergeDiagnosis) -> JSONValue {
        .object([
            ("node", .string(merge.node)), ("inputs", .strings(merge.inputs)),
            ("context_inputs", .strings(merge.contextInputs)), ("aligned", .bool(merge.isAligned)),
            ("mismatch", .numbers(merge.axes.map(\.mismatch))), ("description", .string(merge.description)),
        ])
    }

    private static func json(_ unit: UnitInterval) -> JSONValue {
        .object([
            ("node", .string(unit.node)), ("index", .ints(unit.index)), ("output_size", .ints(unit.outputSize)),
            ("interval", .array(unit.axes.map { .range($0.interval) })),
            ("centre", .array(unit.axes.map { $0.centre.map(JSONValue.number) ?? .null })),
            ("padded", .ints(unit.axes.map(\.paddedCount))),
            ("padded_fraction", .numbers(unit.axes.map(\.paddedFraction))),
            ("reached", .array(unit.axes.map { .range($0.reached) })),
            ("unreached", .ints(unit.axes.map(\.unreachedCount))),
        ])
    }

    private static func json(_ verification: RFVerification) -> JSONValue {
        .object([
            ("passed", .bool(verification.passed)),
            ("nodes", .array(verification.nodes.map { node in
                .object([
                    ("node", .string(node.node)), ("passed", .bool(node.passed)),
                    ("checks", .array(node.checks.map { check in
                        .object([
                            ("axis", .int(check.axis)), ("input_size", .int(check.inputSize)), ("unit", .int(check.unit)),
                            ("role", .string(check.role.rawValue)), ("analysis", .range(check.analytic)),
                            ("expected", .range(check.expected)), ("gradient", .range(check.measured)),
                            ("holes", .int(check.holes)), ("agrees", .bool(check.agrees)),
                        ])
                    })),
                    ("fields", .array(node.fields.map { field in
                        .object([
                            ("axis", .int(field.axis)), ("input_size", .int(field.inputSize)),
                            ("measured", json(field.measured)), ("analysis", json(field.analyticAtGrownSize)),
                            ("agrees", .bool(field.agrees)), ("confirms_requested_size", .bool(field.confirmsRequestedSize)),
                        ])
                    })),
                    ("notes", .strings(node.notes)),
                    ("failure", node.failure.map { .string($0.description) } ?? .null),
                ])
            })),
        ])
    }

    private static func json(_ field: AffineReceptiveField?) -> JSONValue {
        field.map { .object([("r", .int($0.size)), ("S", .int($0.stride)), ("P", .int($0.padding))]) } ?? .null
    }
}
