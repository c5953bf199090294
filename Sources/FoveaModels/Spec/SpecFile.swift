import Foundation
import FoveaGeometry
import Yams

/// A network read from a spec file (YAML or JSON; see docs/spec-format.md), with the lines its
/// nodes came from so that later errors can point into the file.
public struct SpecFile: Sendable {
    /// The file as given.
    public let file: String
    public let network: Network
    /// Line of each node's definition.
    let nodeLines: [String: Int]
    let inputLine: Int?

    /// Reads and parses the file at `path`.
    /// - Throws: `SpecError` for an unreadable file or any problem in it.
    public static func load(path: String) throws(SpecError) -> SpecFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw SpecError(file: path, line: nil, field: nil,
                            message: missing ? "no such file" : "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, line: nil, field: nil, message: "the file is not UTF-8 text")
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try SpecFile(text: text, file: path, defaultName: name)
    }

    /// Parses spec text; `file` is used in errors and `defaultName` when the spec has no `name`.
    public init(text: String, file: String, defaultName: String) throws(SpecError) {
        self.file = file
        // JSON is read by the YAML parser, which keeps key order and lines; valid JSON has no
        // raw tabs inside strings, so tabs (not allowed as YAML indentation) become spaces.
        let source = file.lowercased().hasSuffix(".json") ? text.replacingOccurrences(of: "\t", with: " ") : text
        let root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: source) else {
                throw SpecError(file: file, line: nil, field: nil, message: "the file is empty")
            }
            root = node
        } catch let error as SpecError {
            throw error
        } catch {
            throw SpecFile.syntaxError(error, file: file)
        }
        var parser = SpecParser(file: file)
        let spec = try parser.parse(SpecValue(node: root, field: "", file: file), defaultName: defaultName)
        network = spec.network
        nodeLines = spec.nodeLines
        inputLine = spec.inputLine
    }

    /// The line where `node` is defined.
    public func line(ofNode node: String) -> Int? { nodeLines[node] }

    /// Analyses the network at `inputSize` (default: the spec's).
    /// - Throws: `SpecError` naming the file, the node's line and the problem (for example a
    ///   kernel larger than the padded input at this input size).
    public func geometry(inputSize: [Int]? = nil) throws(SpecError) -> NetworkGeometry {
        do {
            return try NetworkGeometry(network, inputSize: inputSize)
        } catch {
            guard let node = error.node else {
                throw SpecError(file: file, line: inputLine, field: nil, message: error.description)
            }
            let size = (inputSize ?? network.inputSize).map(String.init).joined(separator: "×")
            throw SpecError(file: file, line: nodeLines[node], field: nil, message: "\(error.description) (input \(size))")
        }
    }

    /// A one-line error for a YAML syntax problem, with its line.
    private static func syntaxError(_ error: any Error, file: String) -> SpecError {
        guard let yaml = error as? YamlError else {
            return SpecError(file: file, line: nil, field: nil, message: "\(error)")
        }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, field: nil, message: "not valid YAML/JSON: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return SpecError(file: file, line: context.mark.line, field: nil, message: "duplicate key \(keys)")
        default:
            let first = "\(yaml)".split(separator: "\n").first.map(String.init) ?? "unreadable"
            return SpecError(file: file, line: nil, field: nil, message: "not valid YAML/JSON: \(first)")
        }
    }
}

extension GeometryError {
    /// The node the error is about; nil for the input size.
    var node: String? {
        switch self {
        case .invalidInputSize: return nil
        case .rankMismatch(let node, _, _, _), .invalidParameter(let node, _, _, _, _),
             .invalidScale(let node, _, _), .kernelExceedsInput(let node, _, _, _), .emptyOutput(let node, _, _),
             .poolPaddingExceedsHalfKernel(let node, _, _, _), .sizeMismatch(let node, _, _, _, _, _),
             .channelMismatch(let node, _, _, _, _), .channelsNotDivisible(let node, _, _, _),
             .overflow(let node, _), .tableTooLarge(let node, _, _, _):
            return node
        }
    }
}
