import ArgumentParser
import Foundation
import FoveaModels

/// The parts of `fovea rf` that only apply to ONNX files.
extension RF {
    /// Import options from `--input` and `--assume-pointwise`; those options and `--list-outputs`
    /// are refused for models that are not `.onnx` files.
    func onnxOptions(for model: String) throws -> ONNXModel.Options {
        guard model.lowercased().hasSuffix(".onnx") else {
            if !assumePointwise.isEmpty { throw ValidationError("--assume-pointwise applies to .onnx models only") }
            if listOutputs { throw ValidationError("--list-outputs applies to .onnx models only") }
            return ONNXModel.Options()
        }
        var ops: Set<String> = []
        for value in assumePointwise {
            let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.contains(where: { $0.isEmpty || $0.contains(" ") }) else {
                throw ValidationError("--assume-pointwise '\(value)': expected operator types such as Gelu or com.microsoft.FusedConv")
            }
            ops.formUnion(names)
        }
        // The spatial rank is known only after import: pass N or H,W as given, the importer checks the count.
        var inputSize: [Int]?
        if let input {
            let values = input.split(separator: ",", omittingEmptySubsequences: false)
                .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
            guard values.count == input.split(separator: ",", omittingEmptySubsequences: false).count else {
                throw ValidationError("--input '\(input)': expected N or one value per spatial axis (H,W), integers ≥ 1")
            }
            inputSize = values
        }
        return ONNXModel.Options(inputSize: inputSize, assumePointwise: ops)
    }

    /// `--list-outputs`: the graph outputs of an ONNX model.
    func printOutputs(of source: ModelSource) throws {
        guard let onnx = source.onnx else { throw ValidationError("--list-outputs applies to .onnx models only") }
        guard at == nil, unit == nil, !verify else { throw ValidationError("--list-outputs takes no --at, --unit or --verify") }
        print(ONNXOutputListing.text(onnx, format: format), terminator: "")
    }

    /// The network node of `name`: for an ONNX model, the node computing that tensor if it is one.
    func node(_ name: String, in source: ModelSource) -> String {
        source.onnx?.nodeName(forTensor: name) ?? name
    }
}
