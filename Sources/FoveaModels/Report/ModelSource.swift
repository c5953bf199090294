import Foundation
import FoveaGeometry

/// A network named on the command line: a built-in model, a spec file or an ONNX file.
public struct ModelSource: Sendable {
    /// The name shown in reports: the zoo name, the spec's `name`, or the ONNX file's name without extension.
    public let name: String
    public let network: Network
    /// The spec file, when the network came from one (its errors point into the file).
    public let spec: SpecFile?
    /// The imported model, when the network came from an `.onnx` file.
    public private(set) var onnx: ONNXModel? = nil

    /// Resolves `argument`: a zoo model if it names one, otherwise a `.yaml`, `.yml` or `.json`
    /// spec file, or an `.onnx` file imported with `onnxOptions`.
    /// - Throws: `ModelSourceError` with one line: an unknown model (with close names), a spec
    ///   problem (file, line, field), an ONNX problem (node, tensor), or an unsupported file type.
    public init(_ argument: String, onnxOptions: ONNXModel.Options = ONNXModel.Options()) throws(ModelSourceError) {
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
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw .onnx(argument, .unreadable(path: argument, reason: isDirectory.boolValue ? "is a directory" : "no such file"))
            }
            let model: ONNXModel
            do {
                model = try ONNXModel(contentsOf: URL(fileURLWithPath: argument), options: onnxOptions)
            } catch {
                throw .onnx(argument, error)
            }
            network = model.network
            name = network.name
            spec = nil
            onnx = model
            return
        }
        if FileManager.default.fileExists(atPath: argument) {
            throw .unsupported(argument, "unknown file type; spec files end in .yaml, .yml or .json, ONNX files in .onnx")
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
    case onnx(String, ONNXError)

    public var description: String {
        switch self {
        case .zoo(let error): return error.description
        case .spec(let error): return error.description
        case .geometry(let model, let error): return "\(model): \(error.description)"
        case .unsupported(let file, let reason): return "\(file): \(reason)"
        case .onnx(let file, let error):
            switch error {
            case .unreadable, .fileTooLarge: return error.description  // these name the file already
            default: return "\(file): \(error.description)"
            }
        }
    }
}
