import Foundation
import FoveaGeometry
import SwiftProtobuf

/// An ONNX model read as a geometry network: the graph's layers with their receptive-field
/// relevant parameters, node names equal to ONNX tensor names, at one input size.
///
/// Only the graph is read; weights are never needed (initializers in absent external files
/// load), but initializer shapes and small constants (pads, scales, shapes) are used.
public struct ONNXModel: Sendable {
    /// How the graph input's axes are laid out.
    public enum InputLayout: String, Sendable, Hashable {
        /// Channels-last when the input's only consumers transpose it to channels-first
        /// (the TensorFlow export pattern), otherwise channels-first.
        case automatic
        /// `[N, C, spatial…]`.
        case channelsFirst
        /// `[N, spatial…, C]`.
        case channelsLast
    }

    /// Import options.
    public struct Options: Sendable, Hashable {
        /// Spatial input size, one value per spatial axis or one for all of them; resolves
        /// symbolic dimensions and overrides fixed ones.
        public var inputSize: [Int]?
        /// Operator types (`op_type`, or `domain.op_type` for another domain) the user vouches are
        /// element-wise: every such node is imported as a pointwise layer (or an element-wise
        /// merge of its computed inputs).
        public var assumePointwise: Set<String>
        /// The graph input to analyse when the graph has several.
        public var inputName: String?
        public var inputLayout: InputLayout

        public init(inputSize: [Int]? = nil, assumePointwise: Set<String> = [], inputName: String? = nil,
                    inputLayout: InputLayout = .automatic) {
            self.inputSize = inputSize
            self.assumePointwise = assumePointwise
            self.inputName = inputName
            self.inputLayout = inputLayout
        }
    }

    /// A declared tensor dimension.
    public enum Dimension: Sendable, Hashable, CustomStringConvertible {
        case value(Int)
        case symbol(String)
        case unknown

        public var description: String {
            switch self {
            case .value(let v): return String(v)
            case .symbol(let s): return s
            case .unknown: return "?"
            }
        }
    }

    /// The analysed graph input.
    public struct Input: Sendable, Hashable {
        /// The ONNX tensor name (the network calls it `Network.inputName`).
        public let name: String
        /// The shape as declared in the file.
        public let declaredShape: [Dimension]
        /// The shape used, symbolic dimensions resolved.
        public let shape: [Int]
        /// Tensor axes of the spatial dimensions, in order.
        public let spatialAxes: [Int]
        /// Tensor axis of the channels.
        public let channelAxis: Int
    }

    /// A graph output.
    public struct Output: Sendable, Hashable {
        public let name: String
        /// The network node that computes it; `nil` for an output that does not depend on the input.
        public let nodeName: String?
        /// The shape declared in the file, if any.
        public let declaredShape: [Dimension]?
        /// The shape computed by the importer at the input size.
        public let shape: [Int]?
    }

    /// A node imported as element-wise because its operator was in `Options.assumePointwise`.
    public struct Assumption: Sendable, Hashable {
        /// The operator type, `domain.op_type` outside the default domain.
        public let op: String
        public let node: String
        public let tensor: String
    }

    /// The geometry network.
    public let network: Network
    public let input: Input
    public let outputs: [Output]
    /// Nodes imported on the user's word (`Options.assumePointwise`), in graph order.
    public let assumptions: [Assumption]
    /// The default-domain opset the file was exported with.
    public let opsetVersion: Int
    public let irVersion: Int
    /// `producer_name producer_version` from the file.
    public let producer: String
    /// The options the model was imported with.
    public let options: Options
    private let tensorNodes: [String: String]
    private let tensorShapes: [String: [Int]]

    /// Reads an ONNX file.
    public init(contentsOf url: URL, options: Options = Options()) throws(ONNXError) {
        let path = url.path
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= ONNXLimits.maxFileBytes else {
                throw ONNXError.fileTooLarge(path: path, bytes: size, limit: ONNXLimits.maxFileBytes)
            }
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch let error as ONNXError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(data: data, name: url.deletingPathExtension().lastPathComponent, options: options)
    }

    /// Reads an ONNX model from its serialized bytes; `name` names the network (default: the graph's name).
    public init(data: Data, name: String? = nil, options: Options = Options()) throws(ONNXError) {
        guard data.count <= ONNXLimits.maxFileBytes else {
            throw .fileTooLarge(path: name ?? "data", bytes: data.count, limit: ONNXLimits.maxFileBytes)
        }
        let scanned = data.withUnsafeBytes { bytes in Result { () throws(ONNXError) in try ONNXWireScan.scan(bytes) } }
        if case .failure(let error) = scanned { throw error }
        var decoding = BinaryDecodingOptions()
        decoding.messageDepthLimit = 16
        decoding.discardUnknownFields = true
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: data, extensions: nil, partial: true, options: decoding)
        } catch {
            throw .malformed(String(describing: error))
        }
        let imported = try ONNXImporter.run(proto, name: name, options: options)
        network = imported.network
        input = imported.input
        outputs = imported.outputs
        assumptions = imported.assumptions
        opsetVersion = imported.opset
        irVersion = Int(proto.irVersion)
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        self.options = options
        tensorNodes = imported.tensorNodes
        tensorShapes = imported.tensorShapes
    }

    /// The network node that computes an ONNX tensor (`Network.inputName` for the graph input),
    /// or `nil` if the tensor does not depend on the input or does not exist.
    public func nodeName(forTensor tensor: String) -> String? { tensorNodes[tensor] }

    /// The full shape (`[N, C, H, W]` for images) of a tensor that depends on the input, at the input size.
    public func shape(ofTensor tensor: String) -> [Int]? { tensorShapes[tensor] }
}
