import Yams

/// A value of a parsed spec document with its field path, read through typed accessors that
/// throw `SpecError`s naming the file, line and field.
struct SpecValue {
    let node: Yams.Node
    let field: String
    let file: String

    /// 1-based line of the value.
    var line: Int? { node.mark?.line }

    func error(_ message: String) -> SpecError {
        SpecError(file: file, line: line, field: field.isEmpty ? nil : field, message: message)
    }

    /// The value at `child`, with the field path extended.
    func child(_ node: Yams.Node, _ suffix: String) -> SpecValue {
        let path = field.isEmpty && suffix.hasPrefix(".") ? String(suffix.dropFirst()) : field + suffix
        return SpecValue(node: node, field: path, file: file)
    }

    /// The resolved YAML tag (`int`, `float`, `str`, …).
    var tagName: Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    var isNull: Bool { node.scalar != nil && tagName == .null }

    /// How the value looks, for "expected …, got …" messages.
    var kindDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName {
            case .null: return "nothing (null)"
            case .int, .float: return "the number \(scalar.string)"
            case .bool: return "the boolean \(scalar.string)"
            default: return "the text '\(scalar.string)'"
            }
        }
    }

    func typeError(expected: String) -> SpecError {
        error("expected \(expected), got \(kindDescription)")
    }

    func string() throws(SpecError) -> String {
        guard let scalar = node.scalar, tagName == .str else { throw typeError(expected: "a name") }
        return scalar.string
    }

    func int() throws(SpecError) -> Int {
        guard tagName == .int, let value = node.int else { throw typeError(expected: "an integer") }
        return value
    }

    /// An integer or a decimal number.
    func number() throws(SpecError) -> Double {
        guard tagName == .int || tagName == .float, let value = node.float else {
            throw typeError(expected: "a number")
        }
        return value
    }

    func bool() throws(SpecError) -> Bool {
        guard tagName == .bool, let value = node.bool else { throw typeError(expected: "true or false") }
        return value
    }

    /// The elements of a list.
    func list() throws(SpecError) -> [SpecValue] {
        guard case .sequence(let sequence) = node else { throw typeError(expected: "a list") }
        return sequence.enumerated().map { child($1, "[\($0)]") }
    }

    func mapping() throws(SpecError) -> SpecMapping {
        try SpecMapping(self)
    }

    /// A name or a list of names.
    func names() throws(SpecError) -> [SpecValue] {
        if case .sequence = node { return try list() }
        return [self]
    }

    /// One value per spatial axis: a scalar for all axes or a list of `rank` entries.
    func perAxis<T>(rank: Int, _ read: (SpecValue) throws(SpecError) -> T) throws(SpecError) -> [T] {
        guard case .sequence = node else { return Array(repeating: try read(self), count: rank) }
        let items = try list()
        guard items.count == rank else {
            throw error("has \(items.count) entries; the network has \(rank) spatial axes (give one number for all)")
        }
        var values: [T] = []
        for item in items { values.append(try read(item)) }
        return values
    }

    func intPerAxis(rank: Int) throws(SpecError) -> [Int] {
        try perAxis(rank: rank) { v throws(SpecError) in try v.int() }
    }
}

/// A mapping whose keys are consumed as they are read; `finish()` rejects the keys nobody read.
struct SpecMapping {
    let value: SpecValue
    private var entries: [(key: String, line: Int?, value: SpecValue)] = []
    private var read: [String] = []

    init(_ value: SpecValue) throws(SpecError) {
        self.value = value
        guard case .mapping(let mapping) = value.node else { throw value.typeError(expected: "a mapping") }
        for (key, item) in mapping {
            guard let name = key.scalar?.string else {
                let bad = value.child(key, "")
                throw bad.error("a key must be a name, got \(bad.kindDescription)")
            }
            entries.append((name, key.mark?.line, value.child(item, "." + name)))
        }
    }

    /// The keys in file order.
    var keys: [String] { entries.map(\.key) }

    /// The value at `key`, if present; marks the key as known.
    mutating func optional(_ key: String) -> SpecValue? {
        read.append(key)
        return entries.first { $0.key == key }?.value
    }

    /// The value at `key`; marks the key as known.
    mutating func required(_ key: String) throws(SpecError) -> SpecValue {
        guard let found = optional(key) else { throw value.error("missing key '\(key)'") }
        return found
    }

    /// Throws for the first key that was never read.
    func finish() throws(SpecError) {
        guard let unknown = entries.first(where: { !read.contains($0.key) }) else { return }
        let allowed = read.isEmpty ? "no keys are allowed here" : "allowed: " + read.joined(separator: ", ")
        throw SpecError(file: value.file, line: unknown.line, field: unknown.value.field,
                        message: "unknown key '\(unknown.key)' (\(allowed))")
    }
}
