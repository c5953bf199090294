import Foundation
import FoveaNN

/// Training progress on standard error: on a terminal a bar redrawn during each epoch, then one
/// line per epoch; otherwise only the per-epoch lines.
struct TrainProgress {
    let totalEpochs: Int
    let isTerminal = isatty(STDERR_FILENO) != 0
    private var epochSeconds: [Double] = []
    private var lastDraw = -Double.infinity

    init(totalEpochs: Int, startEpoch: Int) {
        self.totalEpochs = totalEpochs
        if startEpoch > 0 { printError("resuming after epoch \(startEpoch) of \(totalEpochs)") }
    }

    func announce(model: TrainableModel, run: RunDescription, train: Int, test: Int, directory: String) {
        let settings = run.training.optimizer
        printError("training \(model.name) (\(model.parameterCount) parameters) on \(run.dataset.shortName): \(train) train / "
                   + "\(test) test images; \(settings.kind.rawValue) lr \(settings.learningRate), batch \(run.training.batchSize), "
                   + "\(totalEpochs) epochs, augment \(run.training.augmentation), seed \(run.training.seed) → \(directory)")
    }

    /// Redraws the bar (at most ten times a second) on a terminal.
    mutating func batch(_ p: BatchProgress) {
        guard isTerminal, p.seconds - lastDraw >= 0.1 || p.batch == p.batches else { return }
        lastDraw = p.seconds
        let fraction = Double(p.imagesDone) / Double(p.images)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let epochEstimate = p.seconds / max(fraction, 1e-9)
        let remaining = epochEstimate - p.seconds + Double(totalEpochs - p.epoch) * (average ?? epochEstimate)
        let line = "epoch \(p.epoch)/\(totalEpochs) [\(bar)] \(Int(fraction * 100))%  loss \(String(format: "%.4f", p.loss))  "
            + "acc \(percent(p.accuracy))  \(Int(Double(p.imagesDone) / max(p.seconds, 1e-9))) img/s  ETA \(duration(remaining))"
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    }

    /// Prints the line of a finished epoch.
    mutating func epoch(_ m: EpochMetrics) {
        epochSeconds.append(m.seconds)
        lastDraw = -.infinity
        let remaining = Double(totalEpochs - m.epoch) * (average ?? 0)
        let line = "epoch \(m.epoch)/\(totalEpochs)  loss \(String(format: "%.4f", m.trainLoss))  train acc \(percent(m.trainAccuracy))  "
            + "test acc \(percent(m.testAccuracy))  lr \(String(format: "%.3g", m.learningRate))  \(Int(m.imagesPerSecond)) img/s  "
            + "\(String(format: "%.1f", m.seconds)) s  ETA \(duration(remaining))"
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n").utf8))
    }

    private var average: Double? {
        epochSeconds.isEmpty ? nil : epochSeconds.reduce(0, +) / Double(epochSeconds.count)
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }

    private func duration(_ seconds: Double) -> String {
        let total = Int(max(seconds, 0).rounded())
        return total < 60 ? "\(total)s" : "\(total / 60)m\(String(format: "%02d", total % 60))s"
    }
}
