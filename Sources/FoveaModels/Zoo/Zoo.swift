import FoveaGeometry

/// The built-in model zoo: torchvision classifiers, their TF-Slim counterparts from the
/// receptive-field literature, and LeNet-5, as `Network` values whose node names are the
/// frameworks' own module paths (see docs/zoo.md for the naming rule).
public enum Zoo {
    /// Every model, torchvision first, in a stable order.
    public static let entries: [ZooEntry] = torchvisionEntries + slimEntries + classicEntries

    /// The model names, in the order of `entries`.
    public static var names: [String] { entries.map(\.name) }

    /// The entry with the given name (exact, or ignoring case).
    public static func entry(named name: String) -> ZooEntry? {
        entries.first { $0.name == name } ?? entries.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The network of the named model at its default input size.
    /// - Throws: `ZooError.unknownModel` with the closest names when there is no such model.
    public static func network(named name: String) throws(ZooError) -> Network {
        guard let entry = entry(named: name) else {
            throw ZooError.unknownModel(name, suggestions: suggestions(for: name))
        }
        return try entry.network()
    }

    /// Up to four model names close to `name`: names that extend it (or that it extends) first,
    /// then names within a small edit distance, nearest first.
    static func suggestions(for name: String) -> [String] {
        let query = name.lowercased()
        guard !query.isEmpty else { return [] }
        let limit = max(2, query.count / 3)
        let scored = names.compactMap { candidate -> (name: String, score: Int)? in
            let lower = candidate.lowercased()
            if lower.hasPrefix(query) || query.hasPrefix(lower) { return (candidate, 0) }
            let distance = editDistance(query, lower)
            return distance <= limit ? (candidate, distance) : nil
        }
        return scored.sorted { ($0.score, $0.name) < ($1.score, $1.name) }.prefix(4).map(\.name)
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of adjacent
    /// characters (`resnet05` is one edit from `resnet50`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return a.count + b.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

/// One model of the zoo.
public struct ZooEntry: Sendable {
    /// The name used on the command line (`resnet50`, `inception_v3_slim`).
    public let name: String
    /// The architecture family (`ResNet`, `VGG`, …).
    public let family: String
    /// The default spatial input size `[H, W]`.
    public let inputSize: [Int]
    /// Input channels (3 for RGB models, 1 for LeNet-5).
    public let inputChannels: Int
    /// One line saying what the model is.
    public let summary: String
    /// Where the definition comes from (library, version, constructor).
    public let source: String
    let describe: @Sendable () -> ZooGraph

    /// The model as a network at its default input size.
    public func network() throws(ZooError) -> Network {
        do {
            return try Network(name: name, inputChannels: inputChannels, inputSize: inputSize,
                               nodes: describe().nodes)
        } catch {
            throw ZooError.invalidDefinition(name, reason: "\(error)")
        }
    }
}

/// Errors of the model zoo.
public enum ZooError: Error, CustomStringConvertible {
    /// No model has this name; `suggestions` holds the closest names.
    case unknownModel(String, suggestions: [String])
    /// A built-in definition failed the network checks (a bug in the zoo).
    case invalidDefinition(String, reason: String)

    public var description: String {
        switch self {
        case .unknownModel(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown model '\(name)'\(hint) (`fovea rf --list` shows all \(Zoo.entries.count) models)"
        case .invalidDefinition(let name, let reason):
            return "built-in model '\(name)' is malformed: \(reason)"
        }
    }
}
