import ArgumentParser

/// `fovea grad`: forward and backward passes of one layer.
struct Grad: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exact forward and backward pass of one layer, from .npy files to .npy files.",
        discussion: """
            With --target the loss is the squared error against it (mean or sum); with --grad-output \
            the command computes the vector–Jacobian product for that upstream gradient. Inputs may be \
            float32 or float64 .npy files; results are float32. OUT receives output.npy, grad_input.npy, \
            grad_weight.npy and grad_bias.npy (conv2d), and loss.npy (0-d) with --target.
            """,
        subcommands: [GradConv2D.self, GradMaxPool2D.self, GradAvgPool2D.self]
    )
}
