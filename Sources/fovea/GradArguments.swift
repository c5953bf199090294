import ArgumentParser
import Foundation
import FoveaGeometry
import FoveaNN
import FoveaTensor

/// `N` or `H,W`: one value for both spatial axes, or one per axis.
struct AxisPair: ExpressibleByArgument {
    let values: [Int]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        switch parts.count {
        case 1: values = [parts[0]!, parts[0]!]
        case 2: values = parts.map { $0! }
        default: return nil
        }
    }

    init(_ values: [Int]) { self.values = values }

    var defaultValueDescription: String { values[0] == values[1] ? "\(values[0])" : "\(values[0]),\(values[1])" }
}

/// `N`, `H,W`, `T,B,L,R`, `same` (SAME_UPPER) or `valid`.
struct PaddingArgument: ExpressibleByArgument {
    let padding: Padding

    init?(argument: String) {
        switch argument.lowercased() {
        case "same": padding = .sameUpper
        case "valid": padding = .valid
        default:
            let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            let v = parts.map { $0! }
            switch v.count {
            case 1: padding = .explicit(begin: [v[0], v[0]], end: [v[0], v[0]])
            case 2: padding = .explicit(begin: v, end: v)
            case 4: padding = .explicit(begin: [v[0], v[2]], end: [v[1], v[3]])
            default: return nil
            }
        }
    }

    init(_ padding: Padding) { self.padding = padding }

    var defaultValueDescription: String { "0" }
}

/// `mean` or `sum`.
enum ReductionArgument: String, ExpressibleByArgument, CaseIterable {
    case mean, sum

    var reduction: MSELoss.Reduction { self == .mean ? .mean : .sum }
}

/// `true` or `false`.
enum BoolArgument: String, ExpressibleByArgument, CaseIterable {
    case `true`, `false`
}

/// The options every `fovea grad` command shares: where the upstream gradient comes from and
/// where the results go.
struct UpstreamOptions: ParsableArguments {
    @Option(help: "Target of the mean/sum squared error loss (.npy, same shape as the output).")
    var target: String?

    @Option(help: "Reduction of the squared error with --target: mean or sum.")
    var reduction: ReductionArgument?

    @Option(name: .customLong("grad-output"),
            help: "Upstream gradient ∂E/∂output (.npy): compute the vector–Jacobian product instead of a loss.")
    var gradOutput: String?

    @Option(help: "Output directory (created if missing); receives output.npy, grad_input.npy, … .")
    var out: String

    func validate() throws {
        switch (target, gradOutput) {
        case (nil, nil): throw ValidationError("give exactly one of --target and --grad-output")
        case (.some, .some): throw ValidationError("--target and --grad-output exclude each other")
        case (nil, .some) where reduction != nil: throw ValidationError("--reduction applies only with --target")
        default: break
        }
    }

    /// Reads the target or the upstream gradient.
    func upstream() throws -> Upstream {
        if let target {
            return .mse(target: try readTensor(target, option: "--target"), reduction: (reduction ?? .mean).reduction)
        }
        return .gradient(try readTensor(gradOutput ?? "", option: "--grad-output"))
    }
}

/// A failure of the command line tool, reported as one line.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}

/// Reads a float `.npy` file named by a command-line option.
func readTensor(_ path: String, option: String) throws -> Tensor {
    do {
        return try Npy.readTensor(from: URL(fileURLWithPath: path))
    } catch {
        throw CommandError(description: "\(option): \(error)")
    }
}

/// Runs `layer` on the input with the upstream gradient, then writes the results.
/// `parameterFiles` names the files of the layer's parameter gradients, in parameter order.
func runGradient(_ layer: some Module, input: Tensor, upstream: Upstream, parameterFiles: [String],
                 outputDirectory: String) throws {
    let outputShape = try layer.outputShape(forInput: input.shape)
    let (option, given) = switch upstream {
    case let .mse(target, _): ("--target", target.shape)
    case let .gradient(gradient): ("--grad-output", gradient.shape)
    }
    guard given == outputShape else {
        throw CommandError(description: "\(option): shape \(given) does not match the output shape \(outputShape)")
    }
    let run = try layer.run(input, upstream: upstream)
    var files = [("output.npy", run.pass.output), ("grad_input.npy", run.gradients.input)]
    files += zip(parameterFiles, run.gradients.parameters).map { ($0, $1) }
    if let loss = run.loss { files.append(("loss.npy", Tensor(scalar: Float(loss)))) }
    try ResultWriter.write(files, to: outputDirectory)
    for (name, tensor) in files {
        print("wrote \((outputDirectory as NSString).appendingPathComponent(name)) \(tensor.shape)")
    }
    if let loss = run.loss { print("loss \(loss)") }
}
