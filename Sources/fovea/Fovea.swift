import ArgumentParser

/// The `fovea` command: CNN geometry and gradients.
@main
struct Fovea: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea",
        abstract: "CNN geometry and gradients: exact receptive fields and exact backward passes.",
        version: "0.1.0",
        subcommands: []
    )
}
