import ArgumentParser
import FoveaNN

/// `fovea grad maxpool2d`.
struct GradMaxPool2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maxpool2d",
        abstract: "Max pooling: output and ∂E/∂input (the gradient goes to each window's first maximum).")

    @Option(help: "Input, NCHW (.npy).")
    var input: String

    @Option(help: "Window: N or H,W.")
    var kernel: AxisPair

    @Option(help: "Stride: N or H,W (default: the kernel).")
    var stride: AxisPair?

    @Option(help: "Padding (never wins): N, H,W, T,B,L,R, same or valid; at most half the kernel.")
    var padding = PaddingArgument(.explicit(begin: [0, 0], end: [0, 0]))

    @Option(help: "Dilation: N or H,W.")
    var dilation = AxisPair([1, 1])

    @Flag(name: .customLong("ceil-mode"), help: "Round the output size up.")
    var ceilMode = false

    @OptionGroup var upstream: UpstreamOptions

    func run() throws {
        let x = try readTensor(input, option: "--input")
        let source = try upstream.upstream()
        let layer = try MaxPool2D(kernel: kernel.values, stride: stride?.values, padding: padding.padding,
                                  dilation: dilation.values, ceilMode: ceilMode)
        try runGradient(layer, input: x, upstream: source, parameterFiles: [], outputDirectory: upstream.out)
    }
}

/// `fovea grad avgpool2d`.
struct GradAvgPool2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avgpool2d",
        abstract: "Average pooling: output and ∂E/∂input.")

    @Option(help: "Input, NCHW (.npy).")
    var input: String

    @Option(help: "Window: N or H,W.")
    var kernel: AxisPair

    @Option(help: "Stride: N or H,W (default: the kernel).")
    var stride: AxisPair?

    @Option(help: "Zero padding: N, H,W, T,B,L,R, same or valid; at most half the kernel.")
    var padding = PaddingArgument(.explicit(begin: [0, 0], end: [0, 0]))

    @Flag(name: .customLong("ceil-mode"), help: "Round the output size up.")
    var ceilMode = false

    @Option(name: .customLong("count-include-pad"), help: "Count padding in the divisor: true or false.")
    var countIncludePad = BoolArgument.true

    @OptionGroup var upstream: UpstreamOptions

    func run() throws {
        let x = try readTensor(input, option: "--input")
        let source = try upstream.upstream()
        let layer = try AvgPool2D(kernel: kernel.values, stride: stride?.values, padding: padding.padding,
                                  ceilMode: ceilMode, countIncludePad: countIncludePad == .true)
        try runGradient(layer, input: x, upstream: source, parameterFiles: [], outputDirectory: upstream.out)
    }
}
