import Foundation
import FoveaTensor
import Testing
@testable import FoveaNN

@Suite struct TrainingAugmentationTests {
    /// Output pixel `(c, y, x)` is input pixel `(c, y − dy, x − dx)`, zero where that lies outside.
    @Test func shiftMovesEveryPixelByTheOffsetWithZeroFill() {
        let shape = [2, 5, 6]
        var generator = SeededGenerator(seed: 3)
        let image = generator.floats(60).map { $0 + 2 }  // no zeros, so a zero can only be fill
        for dy in -6...6 {
            for dx in -7...7 {
                let moved = Augmentation.shifted(image, shape: shape, dy: dy, dx: dx)
                var expected = [Float](repeating: 0, count: image.count)
                for c in 0..<2 {
                    for y in 0..<5 {
                        for x in 0..<6 where (0..<5).contains(y - dy) && (0..<6).contains(x - dx) {
                            expected[(c * 5 + y) * 6 + x] = image[(c * 5 + y - dy) * 6 + x - dx]
                        }
                    }
                }
                #expect(moved == expected, "dy \(dy), dx \(dx)")
            }
        }
        #expect(Augmentation.shifted(image, shape: shape, dy: 0, dx: 0) == image)
    }

    /// Each image of a batch moves by the offset drawn for its training index and epoch; the same
    /// seed, epoch and index always draw the same offset; `none` changes nothing.
    @Test func batchesMoveByTheDrawnOffsetsDeterministically() throws {
        let data = try barImages(count: 40, seed: 9)
        let indices = [7, 3, 31, 0, 12]
        let (images, labels) = data.batch(indices)
        let augmentation = Augmentation.shift(maxPixels: 1)
        let moved = augmentation.apply(to: images, samples: indices, seed: 5, epoch: 2)
        #expect(moved.shape == images.shape)
        #expect(labels == indices.map { data.labels[$0] })
        for (n, sample) in indices.enumerated() {
            let (dy, dx) = augmentation.offset(seed: 5, epoch: 2, sample: sample)
            let original = Array(images.scalars[(n * 36)..<((n + 1) * 36)])
            #expect(Array(moved.scalars[(n * 36)..<((n + 1) * 36)])
                    == Augmentation.shifted(original, shape: [1, 6, 6], dy: dy, dx: dx))
        }
        // The draw depends on the image's index, not its position in the batch.
        let reordered = augmentation.apply(to: data.batch(indices.reversed()).images, samples: indices.reversed(), seed: 5, epoch: 2)
        #expect(Array(reordered.scalars[(4 * 36)..<(5 * 36)]) == Array(moved.scalars[0..<36]))
        #expect(augmentation.apply(to: images, samples: indices, seed: 5, epoch: 2).scalars.map(\.bitPattern)
                == moved.scalars.map(\.bitPattern))
        #expect(Augmentation.none.apply(to: images, samples: indices, seed: 5, epoch: 2) == images)
        let none = Augmentation.none.offset(seed: 5, epoch: 2, sample: 7)
        #expect(none.dy == 0 && none.dx == 0)
    }

    /// Offsets cover `−K...K` in both directions about evenly and change with seed and epoch.
    @Test func offsetsAreUniformAndKeyedBySeedEpochAndImage() {
        let augmentation = Augmentation.shift(maxPixels: 2)
        var counts: [String: Int] = [:]
        for sample in 0..<5000 {
            let (dy, dx) = augmentation.offset(seed: 0, epoch: 1, sample: sample)
            #expect((-2...2).contains(dy) && (-2...2).contains(dx))
            counts["\(dy),\(dx)", default: 0] += 1
        }
        #expect(counts.count == 25)
        #expect(counts.values.allSatisfy { (140...260).contains($0) }, "\(counts)")  // expected 200 each
        func offsets(seed: UInt64, epoch: Int) -> [[Int]] {
            (0..<50).map { let o = augmentation.offset(seed: seed, epoch: epoch, sample: $0); return [o.dy, o.dx] }
        }
        #expect(offsets(seed: 0, epoch: 1) == offsets(seed: 0, epoch: 1))
        #expect(offsets(seed: 0, epoch: 1) != offsets(seed: 0, epoch: 2))
        #expect(offsets(seed: 0, epoch: 1) != offsets(seed: 1, epoch: 1))
    }

    @Test func parsesNoneAndShiftAndRejectsOtherValues() throws {
        #expect(try Augmentation(parsing: "none") == .none)
        #expect(try Augmentation(parsing: "shift") == .shift(maxPixels: 1))
        #expect(try Augmentation(parsing: "shift:2") == .shift(maxPixels: 2))
        #expect(Augmentation.shift(maxPixels: 3).description == "shift:3")
        for bad in ["", "rotate", "shift:", "shift:0", "shift:-1", "shift:x", "shift:1.5", "none:1", "shift:65"] {
            #expect(performing: { try Augmentation(parsing: bad) }, throws: { error in
                guard case let TrainingError.invalidSetting(name, value, _) = error else { return false }
                return name == "--augment" && value == bad
            })
        }
        #expect(throws: TrainingError.self) {
            try TrainingConfiguration(epochs: 1, batchSize: 1, seed: 0, optimizer: OptimizerSettings(kind: .sgd),
                                      augmentation: .shift(maxPixels: 0)).validate()
        }
    }

    /// Run descriptions store the augmentation as text; those written before it existed read as `none`.
    @Test func configurationsRoundTripAndOldOnesHaveNoAugmentation() throws {
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 4, seed: 1, optimizer: OptimizerSettings(kind: .adam),
                                                  schedule: .cosine(minimum: 0), augmentation: .shift(maxPixels: 1))
        let json = try Checkpoint.encodeJSON(configuration)
        #expect(json.contains("\"augmentation\":\"shift:1\""))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(TrainingConfiguration.self, from: Data(json.utf8)) == configuration)
        let old = json.replacingOccurrences(of: "\"augmentation\":\"shift:1\",", with: "")
        #expect(!old.contains("augmentation"))
        var expected = configuration
        expected.augmentation = .none
        #expect(try decoder.decode(TrainingConfiguration.self, from: Data(old.utf8)) == expected)
        let bad = json.replacingOccurrences(of: "shift:1", with: "spin")
        #expect(throws: DecodingError.self) { try decoder.decode(TrainingConfiguration.self, from: Data(bad.utf8)) }
    }

    /// With augmentation the trainer steps on moved images (other parameters than without), tests
    /// on the untouched test split, and resumes bit-exactly.
    @Test func trainerAugmentsTrainingImagesOnlyAndResumesExactly() throws {
        let loop = TrainingLoopTests()
        let settings = OptimizerSettings(kind: .adam, learningRate: 0.01)
        let (plainTrainer, model) = try loop.setup(optimizer: settings)
        let (trainer, _) = try loop.setup(optimizer: settings, augmentation: .shift(maxPixels: 1))
        let testImages = trainer.test.images
        var plain = try plainTrainer.start(model: model)
        var straight = try trainer.start(model: model)
        for _ in 0..<4 {
            _ = try plainTrainer.runEpoch(&plain)
            _ = try trainer.runEpoch(&straight)
        }
        #expect(straight.model.parameters != plain.model.parameters)
        #expect(trainer.test.images == testImages)
        let evaluation = try straight.model.evaluate(trainer.test)
        #expect(straight.metrics.last?.testAccuracy == evaluation.accuracy && straight.metrics.last?.testLoss == evaluation.loss)

        let run = RunDescription(model: "tiny", inputShape: [1, 6, 6], dataset: DatasetReference(kind: "bars"),
                                 training: trainer.configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-augment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var first = try trainer.start(model: model)
        for _ in 0..<2 { _ = try trainer.runEpoch(&first) }
        try Checkpoint.write(first, run: run, to: directory)
        #expect(try Checkpoint.readRun(from: directory).training.augmentation == .shift(maxPixels: 1))
        var resumed = try Checkpoint.readState(from: directory, model: model, configuration: trainer.configuration)
        for _ in 0..<2 { _ = try trainer.runEpoch(&resumed) }
        #expect(resumed.model.parameters.map { $0.scalars.map(\.bitPattern) }
                == straight.model.parameters.map { $0.scalars.map(\.bitPattern) })
        #expect(resumed.optimizer == straight.optimizer)
    }
}
