import ArgumentParser
import FoveaNN

/// `fovea explain`: a tiny forward and backward pass written out term by term.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write out a tiny forward and backward pass term by term, to check a hand derivation.",
        discussion: """
            Prints the input, the kernel, every output as its sum of products, the loss \
            E = c·Σ(o − y)² and ∂E/∂o = 2c(o − y), then ∂E/∂w, ∂E/∂b and ∂E/∂x with every entry as the \
            sum of the terms that produce it, which position won each max-pooling window and which \
            rows and columns the stride leaves out. The numbers are those of `fovea grad` on the same \
            values. Inputs up to 8×8 and kernels up to 5×5 (docs/explain.md).
            """,
        subcommands: [ExplainConv2D.self, ExplainMaxPool2D.self, ExplainAvgPool2D.self, ExplainChain.self]
    )
}

/// Options every `fovea explain` command shares.
struct ExplainOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Input size: N or HxW (default: the --values file's).", valueName: "HxW"))
    var input: String?

    @Option(help: ArgumentHelp("Input values: seq (1, 2, 3, …), ones, random:SEED (integers −4…4), a number, or a .npy file.",
                               valueName: "VALUES"))
    var values = "seq"

    @Option(help: ArgumentHelp("Target y of the loss, shaped like the output: a number, seq, ones, random:SEED or a .npy file.",
                               valueName: "VALUES"))
    var target = "0"

    @Option(help: "Loss scale: mean (c = 1/number of outputs) or sum (c = 1), as fovea grad --reduction.")
    var reduction: ReductionArgument = .mean

    @Option(help: "Output format: text, markdown or latex.")
    var format: ExplainFormat = .text

    /// Runs the derivation of `layers` and prints it.
    func run(_ layers: [ExplainLayer]) throws {
        let size = try input.map { try ExplainSize(parsing: $0, option: "--input").values }
        let problem = ExplainProblem(inputSize: size, input: try ExplainValues(parsing: values, option: "--values"),
                                     layers: layers, target: try ExplainValues(parsing: target, option: "--target"),
                                     reduction: reduction.reduction)
        print(try Explanation(problem).rendered(as: format), terminator: "")
    }
}

extension ExplainFormat: ExpressibleByArgument {}

/// `fovea explain conv2d`.
struct ExplainConv2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv2d", abstract: "A convolution with a bias, then the squared-error loss.")

    @Option(help: ArgumentHelp("Kernel size: N or HxW.", valueName: "HxW"))
    var kernel: String

    @Option(help: ArgumentHelp("Stride: N or HxW.", valueName: "HxW"))
    var stride = "1"

    @Option(help: "Zero padding: N, H,W, T,B,L,R, same or valid.")
    var padding = "0"

    @Option(help: ArgumentHelp("Kernel values: seq, ones, random:SEED, a number or a .npy file.", valueName: "VALUES"))
    var weight = "seq"

    @Option(help: ArgumentHelp("Bias: a number or a .npy file with one value.", valueName: "VALUE"))
    var bias = "0"

    @OptionGroup var options: ExplainOptions

    func run() throws {
        try options.run([.convolution(kernel: try ExplainSize(parsing: kernel, option: "--kernel").values,
                                      stride: try ExplainSize(parsing: stride, option: "--stride").values,
                                      padding: try ExplainPadding.parse(padding, option: "--padding"),
                                      weight: try ExplainValues(parsing: weight, option: "--weight"),
                                      bias: try ExplainValues(parsing: bias, option: "--bias"))])
    }
}

/// `fovea explain maxpool2d`.
struct ExplainMaxPool2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maxpool2d", abstract: "Max pooling (the gradient goes to each window's first maximum), then the loss.")

    @Option(help: ArgumentHelp("Window size: N or HxW.", valueName: "HxW"))
    var kernel: String

    @Option(help: ArgumentHelp("Stride: N or HxW (default: the kernel).", valueName: "HxW"))
    var stride: String?

    @Option(help: "Padding (never wins): N, H,W, T,B,L,R, same or valid; at most half the kernel.")
    var padding = "0"

    @OptionGroup var options: ExplainOptions

    func run() throws {
        let window = try ExplainSize(parsing: kernel, option: "--kernel").values
        try options.run([.maxPooling(kernel: window,
                                     stride: try stride.map { try ExplainSize(parsing: $0, option: "--stride").values } ?? window,
                                     padding: try ExplainPadding.parse(padding, option: "--padding"))])
    }
}

/// `fovea explain avgpool2d`.
struct ExplainAvgPool2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avgpool2d", abstract: "Average pooling, then the loss.")

    @Option(help: ArgumentHelp("Window size: N or HxW.", valueName: "HxW"))
    var kernel: String

    @Option(help: ArgumentHelp("Stride: N or HxW (default: the kernel).", valueName: "HxW"))
    var stride: String?

    @Option(help: "Zero padding: N, H,W, T,B,L,R, same or valid; at most half the kernel.")
    var padding = "0"

    @Option(name: .customLong("count-include-pad"), help: "Count padding in the divisor: true or false.")
    var countIncludePad = BoolArgument.true

    @OptionGroup var options: ExplainOptions

    func run() throws {
        let window = try ExplainSize(parsing: kernel, option: "--kernel").values
        try options.run([.averagePooling(kernel: window,
                                         stride: try stride.map { try ExplainSize(parsing: $0, option: "--stride").values } ?? window,
                                         padding: try ExplainPadding.parse(padding, option: "--padding"),
                                         countIncludePad: countIncludePad == .true)])
    }
}

/// `fovea explain chain`.
struct ExplainChain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "Up to four layers one after the other, then the loss.",
        discussion: """
            --layers "conv2d k=2 s=1; maxpool2d k=2": layers separated by ';', each with key=value \
            settings: k kernel, s stride (pooling default: the kernel), p padding, for conv2d w weight \
            values and b bias (default: --weight and --bias), for avgpool2d cip (count_include_pad, \
            true or false).
            """)

    @Option(help: ArgumentHelp("The layers, e.g. \"conv2d k=2 s=1; maxpool2d k=2\".", valueName: "LAYERS"))
    var layers: String

    @Option(help: ArgumentHelp("Kernel values of convolutions without w=: seq, ones, random:SEED, a number or a .npy file.",
                               valueName: "VALUES"))
    var weight = "seq"

    @Option(help: ArgumentHelp("Bias of convolutions without b=: a number or a .npy file.", valueName: "VALUE"))
    var bias = "0"

    @OptionGroup var options: ExplainOptions

    func run() throws {
        try options.run(try ExplainLayer.chain(layers, weight: try ExplainValues(parsing: weight, option: "--weight"),
                                               bias: try ExplainValues(parsing: bias, option: "--bias")))
    }
}
