/// A problem in a spec file: where it is (file, line, field) and what is wrong, in one line.
public struct SpecError: Error, Equatable, CustomStringConvertible {
    /// The file as given on the command line (or a label for in-memory text).
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// The field path (`layers[3].conv.kernel`, `nodes.sum.inputs`), when the problem has one.
    public let field: String?
    /// What is wrong.
    public let message: String

    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`, with the parts that are known.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + message
    }
}
