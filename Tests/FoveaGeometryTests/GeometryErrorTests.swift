import Testing
@testable import FoveaGeometry

/// Invalid configurations throw one-line errors naming the node, parameter, axis and numbers.
@Suite struct GeometryErrorTests {
    private func analyse(_ input: [Int], channels: Int? = nil, _ layers: [Layer],
                         rule: PoolPaddingRule = .unrestricted) throws {
        _ = try NetworkGeometry(Build.chain(input, channels: channels, layers), poolPaddingRule: rule)
    }

    @Test func kernelLargerThanPaddedInput() {
        #expect(throws: GeometryError.kernelExceedsInput(node: "l0", axis: 1, effectiveKernel: 5, paddedInput: 4)) {
            try analyse([8, 4], [Build.conv([3, 5])])
        }
        // dilation 3 turns k 3 into 7; 4 + 1 + 1 = 6 < 7
        #expect(throws: GeometryError.kernelExceedsInput(node: "l0", axis: 0, effectiveKernel: 7, paddedInput: 6)) {
            try analyse([4], [Build.conv([3], dilation: [3], padding: .symmetric([1]))])
        }
        // ... also deeper in the network, at the actual size: 8 → floor(5/3) + 1 = 2 → kernel 4 does not fit.
        #expect(throws: GeometryError.kernelExceedsInput(node: "l1", axis: 0, effectiveKernel: 4, paddedInput: 2)) {
            try analyse([8], [Build.pool([3], stride: [3]), Build.conv([4])])
        }
    }

    @Test func nonPositiveWindowParameters() {
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "stride", axis: 1, value: 0,
                                                        requirement: "must be at least 1")) {
            try analyse([8, 8], [Build.conv([3, 3], stride: [1, 0])])
        }
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "kernel", axis: 0, value: -2,
                                                        requirement: "must be at least 1")) {
            try analyse([8], [Build.pool([-2])])
        }
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "dilation", axis: 0, value: 0,
                                                        requirement: "must be at least 1")) {
            try analyse([8], [Build.conv([3], dilation: [0])])
        }
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "padding begin", axis: 0, value: -1,
                                                        requirement: "must not be negative")) {
            try analyse([8], [Build.conv([3], padding: Build.explicit([-1], [0]))])
        }
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "slice step", axis: 0, value: 0,
                                                        requirement: "must not be 0")) {
            try analyse([8], [.slice(Slice(start: [0], end: [4], step: [0]))])
        }
    }

    @Test func parameterListsOfWrongLength() {
        #expect(throws: GeometryError.rankMismatch(node: "l0", parameter: "kernel", count: 1, spatialRank: 2)) {
            try analyse([8, 8], [Build.conv([3])])
        }
        #expect(throws: GeometryError.rankMismatch(node: "l0", parameter: "padding end", count: 1, spatialRank: 2)) {
            try analyse([8, 8], [Build.conv([3, 3], padding: Build.explicit([1, 1], [1]))])
        }
        #expect(throws: GeometryError.rankMismatch(node: "l0", parameter: "output padding", count: 3, spatialRank: 2)) {
            try analyse([8, 8], [.transposedConvolution(TransposedConvolution(kernel: [2, 2], outputPadding: [0, 0, 0]))])
        }
        #expect(throws: GeometryError.rankMismatch(node: "l0", parameter: "scales", count: 1, spatialRank: 2)) {
            try analyse([8, 8], [.resize(Resize(mode: .linear, coordinateTransform: .halfPixel, target: .scales([2])))])
        }
    }

    @Test func mergeSizesMustAgree() throws {
        let add = try Build.network([8], [
            ("a", Build.conv([1]), ["input"]),
            ("b", Build.conv([2]), ["input"]),
            ("sum", .add, ["a", "b"]),
        ])
        #expect(throws: GeometryError.sizeMismatch(node: "sum", axis: 0, input: "a", size: 8, otherInput: "b", otherSize: 7)) {
            try NetworkGeometry(add)
        }
        // Concat does not broadcast a size-1 input.
        let concat = try Build.network([8], [
            ("a", Build.conv([1]), ["input"]),
            ("g", .globalPooling(.average), ["input"]),
            ("cat", .concat, ["a", "g"]),
        ])
        #expect(throws: GeometryError.sizeMismatch(node: "cat", axis: 0, input: "a", size: 8, otherInput: "g", otherSize: 1)) {
            try NetworkGeometry(concat)
        }
        let channels = try Build.network([8], [
            ("a", Build.conv([1], out: 4), ["input"]),
            ("b", Build.conv([1], out: 6), ["input"]),
            ("sum", .add, ["a", "b"]),
        ])
        #expect(throws: GeometryError.channelMismatch(node: "sum", input: "a", channels: 4, otherInput: "b", otherChannels: 6)) {
            try NetworkGeometry(channels)
        }
    }

    @Test func groupsMustDivideChannels() {
        #expect(throws: GeometryError.channelsNotDivisible(node: "l0", parameter: "input channels", channels: 6, groups: 4)) {
            try analyse([8], channels: 6, [Build.conv([3], out: 8, groups: 4)])
        }
        #expect(throws: GeometryError.channelsNotDivisible(node: "l0", parameter: "output channels", channels: 6, groups: 4)) {
            try analyse([8], channels: 8, [Build.conv([3], out: 6, groups: 4)])
        }
        #expect(throws: GeometryError.invalidParameter(node: "l0", parameter: "groups", axis: nil, value: 0,
                                                        requirement: "must be at least 1")) {
            try analyse([8], [Build.conv([3], groups: 0)])
        }
    }

    @Test func emptyOutputs() {
        #expect(throws: GeometryError.emptyOutput(node: "l0", axis: 0, size: -2)) {
            try analyse([4], [Build.pad(begin: [-3], end: [-3])])
        }
        // (2 − 1)·1 − 3 − 3 + 3 = −2
        #expect(throws: GeometryError.emptyOutput(node: "l0", axis: 0, size: -2)) {
            try analyse([2], [.transposedConvolution(TransposedConvolution(kernel: [3], padBegin: [3]))])
        }
        #expect(throws: GeometryError.emptyOutput(node: "l0", axis: 0, size: 0)) {
            try analyse([5], [.resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric, target: .scales([0.1])))])
        }
        #expect(throws: GeometryError.emptyOutput(node: "l0", axis: 0, size: 0)) {
            try analyse([5], [.slice(Slice(start: [3], end: [2]))])
        }
        #expect(throws: GeometryError.invalidScale(node: "l0", axis: 0, scale: 0)) {
            try analyse([5], [.resize(Resize(mode: .linear, coordinateTransform: .halfPixel, target: .scales([0])))])
        }
    }

    @Test func pyTorchPoolPaddingRuleIsOptIn() throws {
        let pool = Build.pool([3], padding: .symmetric([2]))
        #expect(throws: GeometryError.poolPaddingExceedsHalfKernel(node: "l0", axis: 0, padding: 2, kernel: 3)) {
            try analyse([8], [pool], rule: .pytorch)
        }
        try analyse([8], [pool])
        try analyse([8], [Build.pool([3], padding: .symmetric([1]))], rule: .pytorch)
    }

    @Test func badInputSizes() throws {
        let net = try Build.chain([8, 8], [Build.conv([3, 3])])
        #expect(throws: GeometryError.invalidInputSize(size: [8], spatialRank: 2)) { try NetworkGeometry(net, inputSize: [8]) }
        #expect(throws: GeometryError.invalidInputSize(size: [8, 0], spatialRank: 2)) { try NetworkGeometry(net, inputSize: [8, 0]) }
    }

    @Test func overflowAndHugeTablesAreErrorsNotTraps() throws {
        // Stride-2 1×1 convolutions keep one unit forever while S doubles: 2^63 does not fit.
        #expect(throws: GeometryError.overflow(node: "l62", axis: 0)) {
            try analyse([1], Array(repeating: Build.conv([1], stride: [2]), count: 70))
        }
        #expect(throws: GeometryError.tableTooLarge(node: "l0", axis: 0, size: 3_000_000, limit: maximumTableLength)) {
            try analyse([4], [.resize(Resize(mode: .linear, coordinateTransform: .halfPixel, target: .sizes([3_000_000])))])
        }
        #expect(throws: GeometryError.overflow(node: "l0", axis: 0)) {
            try analyse([4], [Build.pad(begin: [Int.max], end: [1])])
        }
    }

    @Test func descriptionsAreOneLineAndNameTheNumbers() {
        let errors: [(GeometryError, [String])] = [
            (.kernelExceedsInput(node: "features.3", axis: 1, effectiveKernel: 7, paddedInput: 5), ["features.3", "7", "5", "axis 1"]),
            (.invalidParameter(node: "c", parameter: "stride", axis: 0, value: 0, requirement: "must be at least 1"), ["'c'", "stride", "axis 0", "is 0"]),
            (.sizeMismatch(node: "add", axis: 0, input: "a", size: 8, otherInput: "b", otherSize: 7), ["'add'", "'a'", "'b'", "8", "7"]),
            (.channelsNotDivisible(node: "dw", parameter: "input channels", channels: 6, groups: 4), ["'dw'", "6", "4"]),
            (.emptyOutput(node: "crop", axis: 2, size: -1), ["'crop'", "axis 2", "-1"]),
        ]
        for (error, parts) in errors {
            #expect(!error.description.contains("\n"))
            for part in parts { #expect(error.description.contains(part), "\(error.description) lacks \(part)") }
        }
    }
}
