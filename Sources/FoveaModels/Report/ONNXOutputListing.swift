/// The `fovea rf model.onnx --list-outputs` listing: the graph input and outputs with their
/// declared shapes (as in the file) and computed shapes (at the input size), and the node of
/// the geometry network that computes each output.
public enum ONNXOutputListing {
    /// The listing of `model` as a table (or JSON, CSV, markdown).
    public static func text(_ model: ONNXModel, format: ReportFormat) -> String {
        let assumptions = RFReport.PointwiseAssumption.all(of: model)
        let header = ["output", "node", "declared", "shape"]
        let rows = model.outputs.map { output in
            [output.name, output.nodeName ?? "", output.declaredShape.map(declared) ?? "",
             output.shape.map(RFReport.size) ?? ""]
        }
        switch format {
        case .json:
            var top: [(String, JSONValue)] = [
                ("model", .string(model.network.name)),
                ("input", .object([("name", .string(model.input.name)), ("declared_shape", json(model.input.declaredShape)),
                                   ("shape", .ints(model.input.shape))])),
                ("outputs", .array(model.outputs.map { output in
                    .object([("name", .string(output.name)), ("node", output.nodeName.map(JSONValue.string) ?? .null),
                             ("declared_shape", output.declaredShape.map(json) ?? .null),
                             ("shape", output.shape.map(JSONValue.ints) ?? .null)])
                })),
            ]
            top.append(("assumptions", RFReport.assumptionsJSON(assumptions)))
            return JSONValue.object(top).rendered() + "\n"
        case .csv:
            let quote = { (text: String) in
                text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            let assumed = RFReport.assumptionRecords(assumptions)
            let records = [header] + rows + (assumed.isEmpty ? [] : [[]] + assumed)
            return records.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            let line = { (row: [String]) in
                "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
            }
            var lines = ["### " + title(model), "", line(header), "|---|---|---|---|"] + rows.map(line)
            for text in RFReport.assumptionLines(assumptions) { lines += ["", text] }
            return lines.joined(separator: "\n") + "\n"
        case .table:
            let cells = [header] + rows
            let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
            var lines = [title(model)]
            lines += cells.map { row in
                var line = row.enumerated().map { column, text in
                    text + String(repeating: " ", count: widths[column] - text.count)
                }.joined(separator: "  ")
                while line.hasSuffix(" ") { line.removeLast() }
                return line
            }
            let assumed = RFReport.assumptionLines(assumptions)
            if !assumed.isEmpty { lines += [""] + assumed }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// `resnet18: input 'input' 1×3×224×224 (declared 1×3×224×224), opset 17, 6 outputs`.
    private static func title(_ model: ONNXModel) -> String {
        let count = model.outputs.count
        return "\(model.network.name): input '\(model.input.name)' \(RFReport.size(model.input.shape)) "
            + "(declared \(declared(model.input.declaredShape))), opset \(model.opsetVersion), "
            + "\(count) output" + (count == 1 ? "" : "s")
    }

    /// Declared dimensions joined by `×`: numbers, symbols, `?` for unknown ones.
    private static func declared(_ shape: [ONNXModel.Dimension]) -> String {
        shape.map(\.description).joined(separator: "×")
    }

    /// Declared dimensions as JSON: numbers, symbol names as strings, `null` for unknown ones.
    private static func json(_ shape: [ONNXModel.Dimension]) -> JSONValue {
        .array(shape.map { dimension in
            switch dimension {
            case .value(let value): return .int(value)
            case .symbol(let name): return .string(name)
            case .unknown: return .null
            }
        })
    }
}
