import Foundation
import FoveaTensor

/// A run's checkpoint directory, rewritten after every epoch:
///
/// - `optimizer.safetensors`: the optimizer state (`<param>.exp_avg`, … under PyTorch's state
///   keys), the parameters it belongs to, and in its metadata the run description, epoch, step,
///   shuffle-generator state and metrics. A resume reads only this file, so it always continues
///   from one consistent epoch.
/// - `model.safetensors`: the parameters under their `state_dict` names (`conv1.weight`), with the
///   run description in the metadata; `eval` and `predict` read only this file.
/// - `metrics.csv` (one row per epoch) and `run.json` (the run description and metrics, for people).
///
/// All files are staged as flushed temporaries and renamed into place, the resume state first:
/// a crash at any moment leaves every file either at the previous epoch or complete at the new one.
public enum Checkpoint {
    public static let modelFile = "model.safetensors"
    public static let stateFile = "optimizer.safetensors"
    public static let metricsFile = "metrics.csv"
    public static let runFile = "run.json"

    /// The metadata keys.
    enum Key {
        static let run = "fovea.run"
        static let epoch = "fovea.epoch"
        static let step = "fovea.optimizer_step"
        static let shuffler = "fovea.shuffle_state"
        static let metrics = "fovea.metrics"
    }

    /// Writes the checkpoint of `state` into `directory` (which must exist), and the metrics also
    /// to `log` when given.
    public static func write(_ state: TrainingState, run: RunDescription, to directory: URL, log: URL? = nil) throws {
        let runJSON = try encodeJSON(run)
        let epoch = String(state.epochsCompleted)
        let model = SafeTensorsContents(tensors: state.model.namedParameters,
                                        metadata: ["format": "pt", Key.run: runJSON, Key.epoch: epoch])
        let resume = SafeTensorsContents(
            tensors: state.model.namedParameters + state.optimizer.stateTensors(parameterNames: state.model.parameterNames),
            metadata: [Key.run: runJSON, Key.epoch: epoch, Key.step: String(state.optimizer.step),
                       Key.shuffler: String(state.shuffler.state, radix: 16), Key.metrics: try encodeJSON(state.metrics)])
        let csv = Array(metricsCSV(state.metrics).utf8)
        let summary = RunSummary(run: run, epochsCompleted: state.epochsCompleted, metrics: state.metrics)
        var files: [(url: URL, bytes: [UInt8])] = [
            (directory.appendingPathComponent(stateFile), SafeTensors.encode(resume)),
            (directory.appendingPathComponent(modelFile), SafeTensors.encode(model)),
            (directory.appendingPathComponent(metricsFile), csv),
            (directory.appendingPathComponent(runFile), Array(try encodeJSON(summary, pretty: true).utf8) + [0x0A]),
        ]
        if let log { files.append((log, csv)) }
        try AtomicFile.writeAll(files)
    }

    /// The run description, parameters and epoch saved in `directory/model.safetensors`.
    public static func readModel(from directory: URL) throws -> (run: RunDescription, weights: SafeTensorsContents, epoch: Int) {
        let url = directory.appendingPathComponent(modelFile)
        let contents = try readFile(url)
        guard let epoch = contents.metadata[Key.epoch].flatMap({ Int($0) }), epoch >= 0 else {
            throw CheckpointError.invalid(file: url.path, detail: "metadata '\(Key.epoch)' is missing or not a number")
        }
        return (try decodeJSON(RunDescription.self, contents, key: Key.run, file: url.path), contents, epoch)
    }

    /// The run description saved in `directory/optimizer.safetensors`.
    public static func readRun(from directory: URL) throws -> RunDescription {
        let url = directory.appendingPathComponent(stateFile)
        return try decodeJSON(RunDescription.self, try readFile(url), key: Key.run, file: url.path)
    }

    /// The state saved in `directory/optimizer.safetensors`, for `model` (freshly built from the
    /// same description) and the optimizer settings of `configuration`.
    public static func readState(from directory: URL, model: TrainableModel,
                                 configuration: TrainingConfiguration) throws -> TrainingState {
        let url = directory.appendingPathComponent(stateFile)
        let file = url.path
        let contents = try readFile(url)
        let restored = try model.loading(contents, source: file, allowingExtra: { name in
            [".momentum_buffer", ".exp_avg", ".exp_avg_sq"].contains { name.hasSuffix($0) }
        })
        func integer(_ key: String, radix: Int = 10) throws -> UInt64 {
            guard let text = contents.metadata[key], let value = UInt64(text, radix: radix) else {
                throw CheckpointError.invalid(file: file, detail: "metadata '\(key)' is missing or not a number")
            }
            return value
        }
        let epochs = try integer(Key.epoch)
        let step = try integer(Key.step)
        let shuffler = SplitMix64(seed: try integer(Key.shuffler, radix: 16))
        let metrics = try decodeJSON([EpochMetrics].self, contents, key: Key.metrics, file: file)
        guard epochs <= UInt64(Int.max), metrics.count == Int(epochs), step <= UInt64(Int.max) else {
            throw CheckpointError.invalid(file: file, detail: "epoch \(epochs) with \(metrics.count) metrics rows is inconsistent")
        }
        var state: [String: Tensor] = [:]
        for entry in contents.tensors { state[entry.name] = entry.tensor }
        let optimizer = try Optimizer(settings: configuration.optimizer, parameterNames: model.parameterNames,
                                      parameterShapes: model.parameters.map(\.shape), step: Int(step), state: state,
                                      source: file)
        return TrainingState(model: restored, optimizer: optimizer, shuffler: shuffler, epochsCompleted: Int(epochs),
                             metrics: metrics)
    }

    /// One CSV row per epoch under a header line.
    public static func metricsCSV(_ metrics: [EpochMetrics]) -> String {
        var text = "epoch,learning_rate,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second\n"
        for m in metrics {
            text += "\(m.epoch),\(m.learningRate),\(m.trainLoss),\(m.trainAccuracy),\(m.testLoss),\(m.testAccuracy),"
            text += "\(m.seconds),\(m.imagesPerSecond)\n"
        }
        return text
    }

    /// The contents of `run.json`.
    struct RunSummary: Encodable {
        let run: RunDescription
        let epochsCompleted: Int
        let metrics: [EpochMetrics]
    }

    private static func readFile(_ url: URL) throws -> SafeTensorsContents {
        guard FileManager.default.fileExists(atPath: url.path) else { throw CheckpointError.missing(file: url.path) }
        return try SafeTensors.read(from: url)
    }

    static func encodeJSON<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decodeJSON<T: Decodable>(_ type: T.Type, _ contents: SafeTensorsContents, key: String,
                                                 file: String) throws -> T {
        guard let text = contents.metadata[key] else {
            throw CheckpointError.invalid(file: file, detail: "metadata '\(key)' is missing; not a Fovea checkpoint")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw CheckpointError.invalid(file: file, detail: "metadata '\(key)' is not a valid run record")
        }
    }
}

extension TrainableModel {
    /// A copy with the parameters stored under their names in `contents`; every parameter must
    /// be present with the model's shape, and no other tensor unless `allowingExtra` accepts it.
    /// - Throws: `CheckpointError.invalid` naming `source` and the tensor.
    public func loading(_ contents: SafeTensorsContents, source: String,
                        allowingExtra: (String) -> Bool = { _ in false }) throws -> TrainableModel {
        var byName: [String: Tensor] = [:]
        for entry in contents.tensors { byName[entry.name] = entry.tensor }
        let expected = Set(parameterNames)
        if let extra = contents.tensors.first(where: { !expected.contains($0.name) && !allowingExtra($0.name) }) {
            throw CheckpointError.invalid(file: source, detail: "tensor '\(extra.name)' is not a parameter of model \(name)")
        }
        var values: [Tensor] = []
        for (parameterName, current) in zip(parameterNames, parameters) {
            guard let tensor = byName[parameterName] else {
                throw CheckpointError.invalid(file: source, detail: "lacks '\(parameterName)' of model \(name)")
            }
            guard tensor.shape == current.shape else {
                throw CheckpointError.invalid(file: source,
                                              detail: "'\(parameterName)' has shape \(tensor.shape), model \(name) expects \(current.shape)")
            }
            values.append(tensor)
        }
        return try withParameters(values)
    }
}
