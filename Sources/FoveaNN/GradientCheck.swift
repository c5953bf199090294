import FoveaTensor

/// Finite-difference checking of back-propagated gradients.
///
/// Each checked entry `θ` is moved to `θ ± ε` and the scalar loss is evaluated twice; the
/// numerical derivative is `(E(θ+) − E(θ−)) / (θ+ − θ−)`, in `Double`, using the steps actually
/// representable in `Float`.
public enum GradientCheck {
    /// How one back-propagated gradient compares with its finite-difference estimate.
    public struct Comparison: Sendable, CustomStringConvertible {
        /// `input`, or `<layer>.parameter<k>`.
        public let name: String
        /// `max |analytic − numerical|` over the checked entries.
        public let maxAbsoluteError: Double
        /// `maxAbsoluteError / max |numerical|` (0 when both are 0).
        public let relativeError: Double

        public var description: String {
            "\(name): max abs error \(maxAbsoluteError), relative \(relativeError)"
        }
    }

    /// The numerical gradient of `f` at `point`, by central differences.
    public static func numericalGradient(at point: [Float], epsilon: Double = 1e-3,
                                         entries: [Int]? = nil, _ f: ([Float]) throws -> Double) rethrows -> [Double] {
        var gradient = [Double](repeating: 0, count: point.count)
        var probe = point
        for i in entries ?? Array(point.indices) {
            let centre = Double(point[i])
            let up = Float(centre + epsilon), down = Float(centre - epsilon)
            probe[i] = up
            let high = try f(probe)
            probe[i] = down
            let low = try f(probe)
            probe[i] = point[i]
            gradient[i] = (high - low) / (Double(up) - Double(down))
        }
        return gradient
    }

    /// Compares the back-propagated gradients of `E = loss(layers(input))` with respect to the
    /// input and every parameter of every layer against central differences.
    /// - Parameters:
    ///   - maxEntries: when set, check only this many evenly spread entries of each tensor.
    public static func check(_ layers: [any Module], input: Tensor, epsilon: Double = 1e-3, maxEntries: Int? = nil,
                             loss: (Tensor) throws -> LossValue) throws -> [Comparison] {
        let chain = Sequential(layers)
        let passes = try chain.forward(input)
        let top = try loss(passes.last?.output ?? input)
        let (gradInput, gradParameters) = try chain.backward(passes, gradOutput: top.gradient)

        func evaluate(_ modules: [any Module], _ x: Tensor) throws -> Double {
            try loss(Sequential(modules).forward(x).last?.output ?? x).value
        }
        func compare(_ name: String, analytic: Tensor, numerical: [Double], entries: [Int]) -> Comparison {
            var worst = 0.0, scale = 0.0
            for i in entries {
                worst = max(worst, abs(Double(analytic.scalars[i]) - numerical[i]))
                scale = max(scale, abs(numerical[i]))
            }
            return Comparison(name: name, maxAbsoluteError: worst, relativeError: scale > 0 ? worst / scale : (worst == 0 ? 0 : .infinity))
        }
        func sample(_ count: Int) -> [Int] {
            guard let maxEntries, maxEntries < count else { return Array(0..<count) }
            return (0..<maxEntries).map { $0 * count / maxEntries }
        }

        var results: [Comparison] = []
        let inputEntries = sample(input.count)
        let numericalInput = try numericalGradient(at: input.scalars, epsilon: epsilon, entries: inputEntries) {
            try evaluate(layers, Tensor(shape: input.shape, scalars: $0))
        }
        results.append(compare("input", analytic: gradInput, numerical: numericalInput, entries: inputEntries))

        for (index, layer) in layers.enumerated() {
            for (k, parameter) in layer.parameters.enumerated() {
                let entries = sample(parameter.count)
                let numerical = try numericalGradient(at: parameter.scalars, epsilon: epsilon, entries: entries) { values in
                    var replaced = layer.parameters
                    replaced[k] = try Tensor(shape: parameter.shape, scalars: values)
                    var modules = layers
                    modules[index] = try layer.withParameters(replaced)
                    return try evaluate(modules, input)
                }
                results.append(compare("\(layer.name).parameter\(k)", analytic: gradParameters[index][k],
                                       numerical: numerical, entries: entries))
            }
        }
        return results
    }
}
