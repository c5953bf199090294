import ArgumentParser
import Foundation
import FoveaKernels

/// The `fovea` command: CNN geometry and gradients.
@main
struct Fovea: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea",
        abstract: "CNN geometry and gradients: exact receptive fields and exact backward passes.",
        version: "0.1.0",
        subcommands: [RF.self, Grad.self, Explain.self, Train.self, Eval.self, Predict.self, Bench.self]
    )

    /// Runs the command, with freed memory kept for reuse (``KernelMemory/retainFreedMemory()``);
    /// every error becomes one line on stderr and exit status 2, while
    /// `--help` and `--version` print to stdout and exit 0.
    static func main() {
        KernelMemory.retainFreedMemory()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // A command that already reported its outcome (e.g. `rf --verify` disagreeing).
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let lines = message(for: error).split(separator: "\n").map { $0.trimmingPrefix("Error: ") }
            let line = lines.first(where: { !$0.isEmpty }) ?? "\(error)"
            FileHandle.standardError.write(Data("fovea: error: \(line)\n".utf8))
            Foundation.exit(2)
        }
    }
}
