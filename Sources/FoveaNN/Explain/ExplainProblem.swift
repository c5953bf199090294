import Foundation
import FoveaGeometry
import FoveaTensor

/// Where the values of a tensor in a derivation come from.
public enum ExplainValues: Sendable, Hashable {
    /// 1, 2, 3, … in row-major order.
    case sequence
    /// Every value 1.
    case ones
    /// Every value the same number.
    case constant(Float)
    /// Integers from −4 to 4 drawn with SplitMix64 from the seed (small numbers keep a hand
    /// derivation checkable).
    case random(seed: UInt64)
    /// A float `.npy` file with the tensor's elements (any shape with that many elements).
    case file(String)

    /// Parses `seq`, `ones`, `random:SEED`, a number, or a path ending in `.npy`.
    public init(parsing text: String, option: String) throws(ExplainError) {
        let lower = text.lowercased()
        if lower == "seq" || lower == "sequence" {
            self = .sequence
        } else if lower == "ones" {
            self = .ones
        } else if lower.hasPrefix("random:") {
            guard let seed = UInt64(lower.dropFirst("random:".count)) else {
                throw .invalidValues(option: option, text: text)
            }
            self = .random(seed: seed)
        } else if lower.hasSuffix(".npy") {
            self = .file(text)
        } else if let number = Float(text), number.isFinite {
            self = .constant(number)
        } else {
            throw .invalidValues(option: option, text: text)
        }
    }

    /// The values for a tensor of `height × width` elements (shape `[1, 1, height, width]`).
    func tensor(height: Int, width: Int, option: String) throws(ExplainError) -> Tensor {
        let count = height * width
        let values: [Float]
        switch self {
        case .sequence: values = (1...count).map(Float.init)
        case .ones: values = Array(repeating: 1, count: count)
        case .constant(let value): values = Array(repeating: value, count: count)
        case .random(let seed):
            var state = seed
            values = (0..<count).map { _ in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                return Float(Int(z % 9) - 4)
            }
        case .file(let path):
            let tensor = try Self.read(path, option: option)
            guard tensor.count == count else {
                throw .fileShape(option: option, path: path, shape: tensor.shape, expected: [height, width])
            }
            values = tensor.scalars
        }
        do {
            return try Tensor(shape: [1, 1, height, width], scalars: values)
        } catch {
            throw .file(option: option, description: "\(error)")
        }
    }

    /// The spatial size of a file's tensor: `[H, W]`, `[1, H, W]` or `[1, 1, H, W]`.
    func fileSize(option: String) throws(ExplainError) -> [Int]? {
        guard case .file(let path) = self else { return nil }
        let shape = try Self.read(path, option: option).shape
        guard shape.count >= 2, shape.dropLast(2).allSatisfy({ $0 == 1 }) else {
            throw .fileShape(option: option, path: path, shape: shape, expected: nil)
        }
        return Array(shape.suffix(2))
    }

    private static func read(_ path: String, option: String) throws(ExplainError) -> Tensor {
        do {
            return try Npy.readTensor(from: URL(fileURLWithPath: path))
        } catch {
            throw .file(option: option, description: error.description)
        }
    }
}

/// One layer of a derivation (one channel, batch 1).
public enum ExplainLayer: Sendable, Hashable {
    /// A convolution with a bias; `weight` fills the `kernel`-sized kernel.
    case convolution(kernel: [Int], stride: [Int], padding: Padding, weight: ExplainValues, bias: ExplainValues)
    case maxPooling(kernel: [Int], stride: [Int], padding: Padding)
    case averagePooling(kernel: [Int], stride: [Int], padding: Padding, countIncludePad: Bool)

    /// `conv2d 2×2 s1`, `maxpool2d 2×2 s2 p1`.
    public var summary: String {
        let (name, kernel, stride, padding): (String, [Int], [Int], Padding) = switch self {
        case let .convolution(kernel, stride, padding, _, _): ("conv2d", kernel, stride, padding)
        case let .maxPooling(kernel, stride, padding): ("maxpool2d", kernel, stride, padding)
        case let .averagePooling(kernel, stride, padding, _): ("avgpool2d", kernel, stride, padding)
        }
        let strides = Set(stride).count == 1 ? stride.prefix(1).map(String.init) : stride.map(String.init)
        var text = "\(name) " + kernel.map(String.init).joined(separator: "×") + ", stride " + strides.joined(separator: "×")
        switch padding {
        case .explicit(let begin, let end) where (begin + end).contains { $0 != 0 }:
            if Set(begin + end).count == 1 {
                text += ", padding \(begin[0])"
            } else if begin.count == 2, end.count == 2 {
                text += ", padding top \(begin[0]) bottom \(end[0]) left \(begin[1]) right \(end[1])"
            } else {
                text += ", padding \(begin) / \(end)"
            }
        case .sameUpper: text += ", padding same"
        case .sameLower: text += ", padding same_lower"
        default: break
        }
        if case .averagePooling(_, _, _, false) = self { text += ", count_include_pad false" }
        return text
    }

    /// Parses a chain: layers separated by `;`, each `conv2d|maxpool2d|avgpool2d` with `key=value`
    /// settings: `k` (kernel), `s` (stride; pooling default: the kernel), `p` (padding: `N`,
    /// `H,W`, `T,B,L,R`, `same` or `valid`), and for convolutions `w` (weight values) and `b`
    /// (bias values), for average pooling `cip` (`true`/`false`, count padding in the divisor).
    /// Sizes are `N`, `HxW` or `H,W`.
    public static func chain(_ text: String, weight: ExplainValues, bias: ExplainValues) throws(ExplainError) -> [ExplainLayer] {
        var layers: [ExplainLayer] = []
        for (index, part) in text.split(separator: ";").enumerated() {
            let words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let kind = words.first else { continue }
            var settings: [String: String] = [:]
            for word in words.dropFirst() {
                let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2, settings.updateValue(pair[1], forKey: pair[0].lowercased()) == nil else {
                    throw .chain(layer: index + 1, detail: "expected key=value once per key, got '\(word)'")
                }
            }
            let allowed: Set<String> = switch kind.lowercased() {
            case "conv2d": ["k", "s", "p", "w", "b"]
            case "maxpool2d": ["k", "s", "p"]
            case "avgpool2d": ["k", "s", "p", "cip"]
            default: throw .chain(layer: index + 1, detail: "unknown layer '\(kind)' (conv2d, maxpool2d or avgpool2d)")
            }
            if let unknown = settings.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw .chain(layer: index + 1, detail: "\(kind) takes \(allowed.sorted().joined(separator: ", ")), not '\(unknown)'")
            }
            guard let kernelText = settings["k"] else { throw .chain(layer: index + 1, detail: "\(kind) needs k=KERNEL") }
            let option = "--layers layer \(index + 1)"
            let kernel = try ExplainSize(parsing: kernelText, option: option + " k").values
            let isConvolution = kind.lowercased() == "conv2d"
            let stride = try settings["s"].map { text throws(ExplainError) in try ExplainSize(parsing: text, option: option + " s").values }
                ?? (isConvolution ? [1, 1] : kernel)
            let padding = try settings["p"].map { text throws(ExplainError) in try ExplainPadding.parse(text, option: option + " p") }
                ?? .explicit(begin: [0, 0], end: [0, 0])
            switch kind.lowercased() {
            case "conv2d":
                layers.append(.convolution(kernel: kernel, stride: stride, padding: padding,
                                           weight: try settings["w"].map { text throws(ExplainError) in try ExplainValues(parsing: text, option: option + " w") } ?? weight,
                                           bias: try settings["b"].map { text throws(ExplainError) in try ExplainValues(parsing: text, option: option + " b") } ?? bias))
            case "maxpool2d":
                layers.append(.maxPooling(kernel: kernel, stride: stride, padding: padding))
            default:
                let cip = settings["cip"]?.lowercased() ?? "true"
                guard cip == "true" || cip == "false" else {
                    throw .chain(layer: index + 1, detail: "cip is true or false, not '\(cip)'")
                }
                layers.append(.averagePooling(kernel: kernel, stride: stride, padding: padding, countIncludePad: cip == "true"))
            }
        }
        guard !layers.isEmpty else { throw .chain(layer: 0, detail: "no layers in '\(text)'") }
        return layers
    }
}

/// A size or stride: `N`, `HxW`, `H×W` or `H,W`.
public struct ExplainSize: Sendable, Hashable {
    public let values: [Int]

    public init(parsing text: String, option: String) throws(ExplainError) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "x" || $0 == "X" || $0 == "×" || $0 == "," })
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (parts.count == 1 || parts.count == 2), parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw .invalidSize(option: option, text: text)
        }
        let numbers = parts.compactMap { $0 }
        values = numbers.count == 1 ? [numbers[0], numbers[0]] : numbers
    }
}

/// Padding: `N`, `H,W`, `T,B,L,R`, `same` or `valid`.
public enum ExplainPadding {
    public static func parse(_ text: String, option: String) throws(ExplainError) -> Padding {
        switch text.lowercased() {
        case "same": return .sameUpper
        case "valid": return .valid
        default:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            let values = parts.compactMap { $0 }
            guard values.count == parts.count, values.allSatisfy({ $0 >= 0 }) else {
                throw .invalidSize(option: option, text: text)
            }
            switch values.count {
            case 1: return .explicit(begin: [values[0], values[0]], end: [values[0], values[0]])
            case 2: return .explicit(begin: values, end: values)
            case 4: return .explicit(begin: [values[0], values[2]], end: [values[1], values[3]])
            default: throw .invalidSize(option: option, text: text)
            }
        }
    }
}

/// The computation to explain: an input, a chain of layers and the squared-error loss.
public struct ExplainProblem: Sendable {
    /// Input size `[H, W]`; nil takes it from the input's `.npy` file.
    public var inputSize: [Int]?
    public var input: ExplainValues
    public var layers: [ExplainLayer]
    /// The loss target `y`, shaped like the output.
    public var target: ExplainValues
    /// `mean` gives `c = 1/(number of outputs)`, `sum` gives `c = 1` (as `fovea grad --reduction`);
    /// `scaled(c)` any `c`.
    public var reduction: MSELoss.Reduction

    /// Derivations are written out only for inputs up to this size per axis …
    public static let maximumInputSize = 8
    /// … kernels up to this size per axis …
    public static let maximumKernelSize = 5
    /// … and chains up to this many layers.
    public static let maximumLayers = 4

    public init(inputSize: [Int]?, input: ExplainValues = .sequence, layers: [ExplainLayer],
                target: ExplainValues = .constant(0), reduction: MSELoss.Reduction = .mean) {
        self.inputSize = inputSize
        self.input = input
        self.layers = layers
        self.target = target
        self.reduction = reduction
    }
}

/// Why a derivation cannot be written; one line.
public enum ExplainError: Error, Equatable, CustomStringConvertible {
    case invalidValues(option: String, text: String)
    case invalidSize(option: String, text: String)
    case file(option: String, description: String)
    case fileShape(option: String, path: String, shape: [Int], expected: [Int]?)
    case chain(layer: Int, detail: String)
    case missingInputSize
    case inputSizeMismatch(given: [Int], file: [Int])
    case tooLarge(what: String, size: [Int], limit: Int, command: String)
    case tooManyLayers(count: Int, limit: Int)
    case layer(index: Int, description: String)

    public var description: String {
        switch self {
        case let .invalidValues(option, text):
            return "\(option) '\(text)': expected seq, ones, random:SEED, a number or a .npy file"
        case let .invalidSize(option, text):
            return "\(option) '\(text)': expected N or HxW with positive integers (padding: N, H,W, T,B,L,R, same or valid)"
        case let .file(option, description): return "\(option): \(description)"
        case let .fileShape(option, path, shape, expected):
            let want = expected.map { "\($0[0])×\($0[1]) = \($0[0] * $0[1]) elements" } ?? "a 2-D array [H, W] (or [1, 1, H, W])"
            return "\(option): \(path) has shape \(shape), expected \(want)"
        case let .chain(layer, detail):
            return layer == 0 ? "--layers: \(detail)" : "--layers: layer \(layer): \(detail)"
        case .missingInputSize: return "give --input HxW (or an input .npy file with --values)"
        case let .inputSizeMismatch(given, file):
            return "--input \(given[0])x\(given[1]) does not match the --values file's \(file[0])×\(file[1])"
        case let .tooLarge(what, size, limit, command):
            return "\(what) \(size.map(String.init).joined(separator: "×")) is above the limit of \(limit)×\(limit) for a written-out derivation; `\(command)` computes the numbers for any size"
        case let .tooManyLayers(count, limit):
            return "\(count) layers are above the limit of \(limit) for a written-out derivation; run `fovea grad` layer by layer"
        case let .layer(index, description): return "layer \(index): \(description)"
        }
    }
}
