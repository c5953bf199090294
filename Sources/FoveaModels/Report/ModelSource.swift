import Foundation
import FoveaGeometry

/// A network named on the command line: a built-in model or a spec file.
public struct ModelSource: Sendable {
    /// The name shown in reports: the zoo name, or the spec's `name`.
    public let name: String
    public let network: Network
    /// The spec file, when the network came from one (its errors point into the file).
    public let spec: SpecFile?

    /// Resolves `argument`: a zoo model if it names one, otherwise a `.yaml`, `.yml` or `.json` spec file.
    /// - Throws: `ModelSourceError` with one line: an unknown model (with close names), a spec
    ///   problem (file, line, field), or an unsupported file type.
    public init(_ argument: String) throws(ModelSourceError) {
        if let entry = Zoo.entry(named: argument) {
            do {
                network = try entry.network()
            } catch {
                throw .zoo(error)
            }
            name = entry.name
            spec = nil
            return
        }
        let lower = argument.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json") {
            do {
                let file = try SpecFile.load(path: argument)
                network = file.network
                name = file.network.name
                spec = file
            } catch {
                throw .spec(error)
            }
            return
        }
        if lower.hasSuffix(".onnx") {
            throw .unsupported(argument, "ONNX support: this build cannot read .onnx files yet; describe the network in a spec file (docs/spec-format.md) or use a built-in model")
        }
        if FileManager.default.fileExists(atPath: argument) {
            throw .unsupported(argument, "unknown file type; spec files end in .yaml, .yml or .json")
        }
        throw .zoo(.unknownModel(argument, suggestions: Zoo.suggestions(for: argument)))
    }

    /// Analyses the network at `inputSize` (default: the model's); spec errors name the line.
    public func geometry(inputSize: [Int]? = nil) throws(ModelSourceError) -> NetworkGeometry {
        if let spec {
            do { return try spec.geometry(inputSize: inputSize) } catch { throw .spec(error) }
        }
        do {
            return try NetworkGeometry(network, inputSize: inputSize)
        } catch {
            throw .geometry(name, error)
        }
    }
}

/// Why a model argument cannot be used; one line.
public enum ModelSourceError: Error, CustomStringConvertible {
    case zoo(ZooError)
    case spec(SpecError)
    case geometry(String, GeometryError)
    case unsupported(String, String)

    public var description: String {
        switch self {
        case .zoo(let error): return error.description
        case .spec(let error): return error.description
        case .geometry(let model, let error): return "\(model): \(error.description)"
        case .unsupported(let file, let reason): return "\(file): \(reason)"
        }
    }
}
