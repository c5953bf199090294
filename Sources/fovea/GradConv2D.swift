import ArgumentParser
import FoveaNN

/// `fovea grad conv2d`.
struct GradConv2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv2d",
        abstract: "Convolution: output, ∂E/∂input, ∂E/∂weight and ∂E/∂bias.")

    @Option(help: "Input, NCHW (.npy).")
    var input: String

    @Option(help: "Weight, (C_out, C_in/groups, kH, kW) (.npy).")
    var weight: String

    @Option(help: "Bias, (C_out) (.npy); none if omitted.")
    var bias: String?

    @Option(help: "Stride: N or H,W.")
    var stride = AxisPair([1, 1])

    @Option(help: "Zero padding: N, H,W, T,B,L,R, same (extra pixel at the end) or valid.")
    var padding = PaddingArgument(.explicit(begin: [0, 0], end: [0, 0]))

    @Option(help: "Dilation: N or H,W.")
    var dilation = AxisPair([1, 1])

    @Option(help: "Channel groups.")
    var groups = 1

    @OptionGroup var upstream: UpstreamOptions

    func run() throws {
        let x = try readTensor(input, option: "--input")
        let w = try readTensor(weight, option: "--weight")
        let b = try bias.map { try readTensor($0, option: "--bias") }
        let source = try upstream.upstream()
        let layer = try Conv2D(weight: w, bias: b, stride: stride.values, padding: padding.padding,
                               dilation: dilation.values, groups: groups)
        try runGradient(layer, input: x, upstream: source,
                        parameterFiles: ["grad_weight.npy", "grad_bias.npy"], outputDirectory: upstream.out)
    }
}
