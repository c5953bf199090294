import FoveaGeometry
import FoveaTensor

extension TrainableModel {
    /// The executable operation of one node, with freshly initialised parameters.
    static func operation(for node: Node, model: String, inputShapes: [[Int]],
                          generator: inout SplitMix64) throws(ModelError) -> (operation: Operation, flattensInput: Bool) {
        let shape = inputShapes[0]
        func invalid(_ detail: String) -> ModelError { .invalidNode(model: model, node: node.name, detail: detail) }
        func imageInput(_ what: String) throws(ModelError) {
            guard shape.count == 4 else { throw invalid("\(what) needs an N×C×H×W input, got \(shape)") }
        }
        do {
            switch node.layer {
            case .convolution(let conv):
                try imageInput("a convolution")
                guard let outChannels = conv.outChannels else {
                    throw ModelError.missingSize(model: model, node: node.name, size: "number of output channels")
                }
                guard conv.groups >= 1, shape[1] % conv.groups == 0, outChannels % conv.groups == 0 else {
                    throw invalid("\(shape[1]) input and \(outChannels) output channels are not divisible by groups \(conv.groups)")
                }
                let kernel = conv.window.kernel
                guard kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else { throw invalid("kernel \(kernel) is not 2-D") }
                let perGroup = shape[1] / conv.groups
                let fanIn = perGroup * kernel[0] * kernel[1]
                let weight = try DefaultInitialization.uniform(shape: [outChannels, perGroup] + kernel, fanIn: fanIn,
                                                                using: &generator)
                let bias = conv.bias ? try DefaultInitialization.uniform(shape: [outChannels], fanIn: fanIn, using: &generator) : nil
                return (.module(try Conv2D(weight: weight, bias: bias, stride: conv.window.stride, padding: conv.window.padding,
                                           dilation: conv.window.dilation, groups: conv.groups, name: node.name)), false)
            case .pooling(let pool):
                try imageInput("pooling")
                let w = pool.window
                switch pool.kind {
                case .max:
                    return (.module(try MaxPool2D(kernel: w.kernel, stride: w.stride, padding: w.padding, dilation: w.dilation,
                                                  ceilMode: w.ceilMode, name: node.name)), false)
                case .average where w.dilation.allSatisfy({ $0 == 1 }):
                    return (.module(try AvgPool2D(kernel: w.kernel, stride: w.stride, padding: w.padding, ceilMode: w.ceilMode,
                                                  countIncludePad: pool.countIncludePad, name: node.name)), false)
                case .average:
                    throw invalid("average pooling with dilation \(w.dilation) is not supported")
                case .lp:
                    throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "Lp pooling")
                }
            case .pointwise(let op):
                switch op.lowercased() {
                case "relu": return (.module(ReLU(name: node.name)), false)
                case "identity": return (.identity, false)
                default: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "pointwise '\(op)'")
                }
            case .flatten:
                return (.module(Flatten(name: node.name)), false)
            case .linear(let linear):
                guard let outFeatures = linear.outFeatures else {
                    throw ModelError.missingSize(model: model, node: node.name, size: "number of output features")
                }
                guard shape.count >= 2 else { throw invalid("a linear layer needs an N×features input, got \(shape)") }
                let features = shape.dropFirst().reduce(1, *)
                let weight = try DefaultInitialization.uniform(shape: [outFeatures, features], fanIn: features, using: &generator)
                let bias = linear.bias ? try DefaultInitialization.uniform(shape: [outFeatures], fanIn: features, using: &generator) : nil
                return (.module(try Dense(weight: weight, bias: bias, name: node.name)), shape.count != 2)
            case .add:
                guard inputShapes.allSatisfy({ $0 == shape }) else {
                    throw invalid("add needs inputs of one shape, got \(inputShapes.map { Array($0.dropFirst()) })")
                }
                return (inputShapes.count == 1 ? .identity : .add, false)
            case .concat:
                guard shape.count >= 2,
                      inputShapes.allSatisfy({ $0.count == shape.count && $0.dropFirst(2) == shape.dropFirst(2) }) else {
                    throw invalid("concat needs inputs that differ only in channels, got \(inputShapes.map { Array($0.dropFirst()) })")
                }
                return (inputShapes.count == 1 ? .identity : .concat, false)
            case .transposedConvolution: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "transposed convolution")
            case .adaptivePooling: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "adaptive pooling")
            case .globalPooling(let kind):
                try imageInput("global pooling")
                let whole = Array(shape[2...])
                switch kind {
                case .max: return (.module(try MaxPool2D(kernel: whole, name: node.name)), false)
                case .average: return (.module(try AvgPool2D(kernel: whole, name: node.name)), false)
                case .lp: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "global Lp pooling")
                }
            case .resize: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "resize")
            case .pad: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "pad")
            case .slice: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "slice")
            case .batchNorm: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "batch normalization")
            case .multiply: throw ModelError.unsupportedLayer(model: model, node: node.name, layer: "multiply")
            }
        } catch let error as ModelError {
            throw error
        } catch {
            throw invalid(detail(of: error))
        }
    }

    /// A layer or tensor error without the layer name, which the model error already carries.
    static func detail(of error: any Error) -> String {
        switch error {
        case let LayerError.invalidParameter(_, parameter, detail): "\(parameter): \(detail)"
        case let LayerError.shapeMismatch(_, tensor, expected, actual): "\(tensor) has shape \(actual), expected \(expected)"
        default: "\(error)"
        }
    }
}
