/// The output formats of `fovea rf`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, json, csv, markdown
}

extension RFReport {
    /// The report in `format`.
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        case .markdown: return markdown()
        }
    }
}
