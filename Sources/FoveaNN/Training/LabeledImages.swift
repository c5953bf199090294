import FoveaTensor

/// Images `[N, C, H, W]` with one integer class label each.
public struct LabeledImages: Sendable {
    /// The name used in messages (`digits`, a file path).
    public let source: String
    public let images: Tensor
    public let labels: [Int]

    /// - Throws: `TrainingError` for images that are not a non-empty `N×C×H×W` batch, a label
    ///   count that differs from `N`, or a negative label.
    public init(images: Tensor, labels: [Int], source: String) throws(TrainingError) {
        guard images.rank == 4 else {
            throw .invalidData(source: source, detail: "images have shape \(images.shape), expected N×C×H×W")
        }
        guard images.shape[0] > 0 else { throw .invalidData(source: source, detail: "the data set is empty") }
        guard images.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw .invalidData(source: source, detail: "images have shape \(images.shape), with an empty axis")
        }
        guard labels.count == images.shape[0] else {
            throw .mismatchedLabels(source: source, images: images.shape[0], labels: labels.count)
        }
        if let bad = labels.firstIndex(where: { $0 < 0 }) {
            throw .invalidData(source: source, detail: "label \(labels[bad]) at index \(bad) is negative")
        }
        self.source = source
        self.images = images
        self.labels = labels
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// The shape of one image, `[C, H, W]`.
    public var imageShape: [Int] { Array(images.shape.dropFirst()) }

    /// Throws unless every label is below `classes`.
    public func checkLabels(classes: Int) throws(TrainingError) {
        if let bad = labels.firstIndex(where: { $0 >= classes }) {
            throw .labelOutOfRange(source: source, index: bad, label: labels[bad], classes: classes)
        }
    }

    /// The images and labels at `indices`, in that order.
    public func batch<C: Collection<Int>>(_ indices: C) -> (images: Tensor, labels: [Int]) {
        let size = images.count / count
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * size)
        for i in indices { scalars += images.scalars[(i * size)..<((i + 1) * size)] }
        let tensor = makeTensor([indices.count] + imageShape, scalars)
        return (tensor, indices.map { labels[$0] })
    }

    /// The images at `indices` as a data set of their own.
    public func subset(_ indices: [Int], source: String? = nil) throws(TrainingError) -> LabeledImages {
        let (images, labels) = batch(indices)
        return try LabeledImages(images: images, labels: labels, source: source ?? self.source)
    }

    /// A stratified split: each class's images are shuffled with `generator` (classes in
    /// ascending order) and the first `round(n_c · testFraction)` of each go to the test set;
    /// both sets keep the original order.
    /// - Throws: `TrainingError.invalidData` when either side would be empty.
    public func stratifiedSplit(testFraction: Double, generator: inout SplitMix64) throws(TrainingError)
        -> (train: LabeledImages, test: LabeledImages) {
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var isTest = [Bool](repeating: false, count: count)
        for label in byClass.keys.sorted() {
            var members = byClass[label] ?? []
            generator.shuffle(&members)
            let held = Int((Double(members.count) * testFraction).rounded())
            for index in members.prefix(held) { isTest[index] = true }
        }
        let test = isTest.indices.filter { isTest[$0] }
        let train = isTest.indices.filter { !isTest[$0] }
        guard !test.isEmpty, !train.isEmpty else {
            throw .invalidData(source: source,
                               detail: "\(count) images split \(train.count) for training and \(test.count) for testing; both need at least one")
        }
        return (try subset(train, source: "\(source) (train split)"), try subset(test, source: "\(source) (test split)"))
    }
}
