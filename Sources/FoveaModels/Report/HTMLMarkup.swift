/// A small writer of well-formed XHTML-compatible markup: every element is closed, attribute
/// values are quoted and escaped, text is escaped, and only the XML entities are used.
struct HTMLMarkup {
    private(set) var text = ""
    private var open: [String] = []

    /// Opens `name` with attributes (in the given order; nil values are left out).
    mutating func start(_ name: String, _ attributes: [(String, String?)] = []) {
        text += "<" + name + Self.attributes(attributes) + ">"
        open.append(name)
    }

    /// Closes the innermost open element.
    mutating func end() {
        guard let name = open.popLast() else { return }
        text += "</" + name + ">"
    }

    /// An element with text content.
    mutating func element(_ name: String, _ attributes: [(String, String?)] = [], _ content: String) {
        text += "<" + name + Self.attributes(attributes) + ">" + Self.escape(content) + "</" + name + ">"
    }

    /// An element without content, written `<name …/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String?)] = []) {
        text += "<" + name + Self.attributes(attributes) + "/>"
    }

    /// Escaped text.
    mutating func write(_ content: String) { text += Self.escape(content) }

    /// Markup produced elsewhere (already well formed).
    mutating func raw(_ markup: String) { text += markup }

    /// A line break in the source, for readability of the file.
    mutating func newline() { text += "\n" }

    static func escape(_ content: String) -> String {
        guard content.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return content }
        var result = ""
        result.reserveCapacity(content.count + 16)
        for character in content {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func attributes(_ list: [(String, String?)]) -> String {
        var result = ""
        for (name, value) in list {
            guard let value else { continue }
            result += " " + name + "=\"" + escape(value) + "\""
        }
        return result
    }
}

/// Coordinates and lengths in SVG attributes: at most two decimals, no trailing zeros.
enum SVGNumber {
    static func text(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 100).rounded()
        if scaled == 0 { return "0" }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole)." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
