/// The `fovea rf --list` listing of the built-in models.
public enum ZooListing {
    /// The zoo as a table (or JSON, CSV, markdown): name, family, default input, summary.
    public static func text(format: ReportFormat) -> String {
        let rows = Zoo.entries.map { entry in
            [entry.name, entry.family, entry.inputSize.map(String.init).joined(separator: "×"),
             String(entry.inputChannels), entry.summary]
        }
        let header = ["name", "family", "input", "channels", "summary"]
        switch format {
        case .json:
            let models = JSONValue.array(Zoo.entries.map { entry in
                .object([("name", .string(entry.name)), ("family", .string(entry.family)),
                         ("input_size", .ints(entry.inputSize)), ("channels", .int(entry.inputChannels)),
                         ("summary", .string(entry.summary)), ("source", .string(entry.source))])
            })
            return JSONValue.object([("models", models)]).rendered() + "\n"
        case .csv:
            let quote = { (text: String) in text.contains(",") ? "\"\(text)\"" : text }
            return ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            let line = { (row: [String]) in "| " + row.joined(separator: " | ") + " |" }
            return ([line(header), "|---|---|---|---:|---|"] + rows.map(line)).joined(separator: "\n") + "\n"
        case .table:
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            return ([header] + rows).map { row in
                row.enumerated().map { column, text in
                    column == row.count - 1 ? text : text + String(repeating: " ", count: widths[column] - text.count)
                }.joined(separator: "  ")
            }.joined(separator: "\n") + "\n"
        }
    }
}
