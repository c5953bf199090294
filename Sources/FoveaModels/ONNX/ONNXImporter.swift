import FoveaGeometry

/// What is known about an ONNX tensor during import.
enum TensorValue {
    case constant(ConstantTensor)
    case dynamic(DynamicTensor)

    var dynamic: DynamicTensor? {
        if case .dynamic(let d) = self { return d }
        return nil
    }
    var constant: ConstantTensor? {
        if case .constant(let c) = self { return c }
        return nil
    }
    var shape: [Int]? {
        switch self {
        case .constant(let c): return c.shape
        case .dynamic(let d): return d.shape
        }
    }
}

/// Walks an ONNX graph in dependency order and builds the geometry network.
struct ONNXImporter {
    struct Result {
        var network: Network
        var input: ONNXModel.Input
        var outputs: [ONNXModel.Output]
        var assumptions: [ONNXModel.Assumption]
        var opset: Int
        var tensorNodes: [String: String]
        var tensorShapes: [String: [Int]]
    }

    let options: ONNXModel.Options
    let opset: Int
    let spatialRank: Int
    var values: [String: TensorValue] = [:]
    var nodes: [Node] = []
    var usedNames: Set<String> = [Network.inputName]
    var assumptions: [ONNXModel.Assumption] = []

    private init(options: ONNXModel.Options, opset: Int, spatialRank: Int) {
        self.options = options
        self.opset = opset
        self.spatialRank = spatialRank
    }

    static func run(_ model: Onnx_ModelProto, name: String?, options: ONNXModel.Options) throws(ONNXError) -> Result {
        let opset = try defaultOpset(model)
        guard model.hasGraph else { throw .invalidModel("the model has no graph") }
        let graph = model.graph

        var constants: [String: TensorValue] = [:]
        for initializer in graph.initializer {
            guard !initializer.name.isEmpty else { throw .invalidModel("an initializer has no name") }
            guard constants[initializer.name] == nil else {
                throw .duplicateTensor(tensor: initializer.name, node: "initializer")
            }
            constants[initializer.name] = .constant(try ConstantTensor(initializer, name: initializer.name))
        }

        let (inputInfo, otherInputs) = try chooseInput(graph, initializers: constants, options: options)
        let declared = try declaredShape(inputInfo)
        guard let declared else {
            throw .invalidInput(name: inputInfo.name, problem: "the file declares no tensor shape for it")
        }
        let layout = try inputLayout(inputInfo.name, rank: declared.count, graph: graph, options: options)
        let shape = try resolveInputShape(inputInfo.name, declared: declared, layout: layout, options: options)

        var importer = ONNXImporter(options: options, opset: opset, spatialRank: layout.spatial.count)
        importer.values = constants
        for other in otherInputs {
            let dims = try declaredShape(other)?.map { d -> Int? in if case .value(let v) = d { return v } else { return nil } }
            let known = dims.flatMap { $0.contains(nil) ? nil : $0.compactMap { $0 } }
            importer.values[other.name] = .constant(ConstantTensor(shape: known, missingReason: "it is a graph input other than '\(inputInfo.name)'"))
        }
        importer.values[inputInfo.name] = .dynamic(DynamicTensor(node: Network.inputName, shape: shape,
                                                                  spatialAxes: layout.spatial.map(Optional.some)))

        let order = try dependencyOrder(graph.node, known: Set(importer.values.keys))
        for index in order {
            let context = ONNXNodeContext(graph.node[index], index: index, opset: opset)
            try importer.importNode(context)
        }

        var outputs: [ONNXModel.Output] = []
        var outputNodes: [String] = []
        for output in graph.output {
            let value = importer.values[output.name]
            guard let value else { throw .danglingInput(node: "graph output", tensor: output.name) }
            let node = value.dynamic?.node
            if let node, !outputNodes.contains(node), node != Network.inputName { outputNodes.append(node) }
            outputs.append(ONNXModel.Output(name: output.name, nodeName: node,
                                            declaredShape: try declaredShape(output), shape: value.shape))
        }
        guard !outputNodes.isEmpty else { throw .noSpatialOutput }

        let network: Network
        do {
            network = try Network(name: name ?? (graph.name.isEmpty ? "onnx" : graph.name),
                                  inputChannels: shape[layout.channel],
                                  inputSize: layout.spatial.map { shape[$0] },
                                  nodes: importer.nodes, outputs: outputNodes)
        } catch let error as NetworkError {
            throw .network(error)
        } catch {
            throw .invalidModel(String(describing: error))
        }
        var tensorNodes: [String: String] = [:]
        var tensorShapes: [String: [Int]] = [:]
        for (tensor, value) in importer.values {
            if let d = value.dynamic {
                tensorNodes[tensor] = d.node
                tensorShapes[tensor] = d.shape
            }
        }
        let input = ONNXModel.Input(name: inputInfo.name, declaredShape: declared, shape: shape,
                                    spatialAxes: layout.spatial, channelAxis: layout.channel)
        return Result(network: network, input: input, outputs: outputs, assumptions: importer.assumptions,
                      opset: opset, tensorNodes: tensorNodes, tensorShapes: tensorShapes)
    }

    // MARK: - Model-level reading

    private static func defaultOpset(_ model: Onnx_ModelProto) throws(ONNXError) -> Int {
        guard let entry = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw .invalidModel("no opset_import for the default ONNX domain")
        }
        guard entry.version >= 7, entry.version <= 1000 else { throw .unsupportedOpset(Int(clamping: entry.version)) }
        return Int(entry.version)
    }

    private static func chooseInput(_ graph: Onnx_GraphProto, initializers: [String: TensorValue],
                                    options: ONNXModel.Options) throws(ONNXError) -> (Onnx_ValueInfoProto, [Onnx_ValueInfoProto]) {
        var candidates: [Onnx_ValueInfoProto] = []
        for input in graph.input where initializers[input.name] == nil {
            guard !input.name.isEmpty else { throw .invalidModel("a graph input has no name") }
            guard !candidates.contains(where: { $0.name == input.name }) else {
                throw .duplicateTensor(tensor: input.name, node: "graph input")
            }
            candidates.append(input)
        }
        if let wanted = options.inputName {
            guard let chosen = candidates.first(where: { $0.name == wanted }) else {
                throw .invalidInput(name: wanted, problem: "no such graph input (inputs: \(candidates.map(\.name).joined(separator: ", ")))")
            }
            return (chosen, candidates.filter { $0.name != wanted })
        }
        guard let first = candidates.first else { throw .invalidInput(name: "", problem: "the graph has no input") }
        guard candidates.count == 1 else {
            throw .invalidInput(name: first.name, problem: "the graph has \(candidates.count) inputs "
                                + "(\(candidates.map(\.name).joined(separator: ", "))); choose one")
        }
        return (first, [])
    }

    /// The declared dims of a value, `nil` when it has no tensor shape.
    static func declaredShape(_ info: Onnx_ValueInfoProto) throws(ONNXError) -> [ONNXModel.Dimension]? {
        guard info.hasType, case .tensorType(let t)? = info.type.value, t.hasShape else { return nil }
        guard t.shape.dim.count <= ONNXLimits.maxRank else {
            throw .limitExceeded(what: "rank of '\(info.name)'", count: t.shape.dim.count, limit: ONNXLimits.maxRank)
        }
        var dims: [ONNXModel.Dimension] = []
        for (i, d) in t.shape.dim.enumerated() {
            switch d.value {
            case .dimValue(let v)?:
                guard v >= 0, v <= Int64(ONNXLimits.maxDimension) else {
                    throw .invalidDimension(tensor: info.name, field: "shape[\(i)]", value: Int(v))
                }
                dims.append(.value(Int(v)))
            case .dimParam(let p)?: dims.append(p.isEmpty ? .unknown : .symbol(p))
            case nil: dims.append(.unknown)
            }
        }
        return dims
    }

    private struct Layout {
        var spatial: [Int]
        var channel: Int
    }

    private static func inputLayout(_ name: String, rank: Int, graph: Onnx_GraphProto,
                                    options: ONNXModel.Options) throws(ONNXError) -> Layout {
        guard rank >= 3 else {
            throw .invalidInput(name: name, problem: "rank \(rank); need [batch, channels, spatial…] with at least one spatial axis")
        }
        var channelsLast = options.inputLayout == .channelsLast
        if options.inputLayout == .automatic {
            let toFirst = [0, rank - 1] + Array(1..<(rank - 1))
            let consumers = graph.node.filter { $0.input.contains(name) }
            channelsLast = !consumers.isEmpty && consumers.allSatisfy { node in
                node.opType == "Transpose" && node.domain.isEmpty
                    && node.attribute.first { $0.name == "perm" }?.ints.map { Int($0) } == toFirst
            }
        }
        return channelsLast ? Layout(spatial: Array(1..<(rank - 1)), channel: rank - 1)
                            : Layout(spatial: Array(2..<rank), channel: 1)
    }

    private static func resolveInputShape(_ name: String, declared: [ONNXModel.Dimension], layout: Layout,
                                          options: ONNXModel.Options) throws(ONNXError) -> [Int] {
        // One value stands for every spatial axis.
        let inputSize = options.inputSize.map { $0.count == 1 ? Array(repeating: $0[0], count: layout.spatial.count) : $0 }
        if let size = inputSize {
            guard size.count == layout.spatial.count else {
                throw .invalidInput(name: name, problem: "input size has \(size.count) values, the input has \(layout.spatial.count) spatial axes")
            }
            if let bad = size.first(where: { $0 < 1 || $0 > ONNXLimits.maxSpatialSize }) {
                throw .invalidInput(name: name, problem: "input size \(bad) is out of range 1…\(ONNXLimits.maxSpatialSize)")
            }
        }
        var shape: [Int] = []
        for (axis, dim) in declared.enumerated() {
            if let s = layout.spatial.firstIndex(of: axis), let size = inputSize {
                shape.append(size[s])
                continue
            }
            switch dim {
            case .value(let v):
                guard v >= 1, layout.spatial.contains(axis) ? v <= ONNXLimits.maxSpatialSize : true else {
                    throw .invalidDimension(tensor: name, field: "shape[\(axis)]", value: v)
                }
                shape.append(v)
            case .symbol, .unknown:
                if axis == 0 {
                    shape.append(1)
                } else if layout.spatial.contains(axis) {
                    throw .invalidInput(name: name, problem: "spatial dimension \(axis) is '\(dim)'; give the input size (--input H,W)")
                } else {
                    throw .invalidInput(name: name, problem: "dimension \(axis) (channels) is '\(dim)', not a number")
                }
            }
        }
        return shape
    }

    /// Node indices in an order where every tensor is produced before it is read (Kahn's
    /// algorithm, keeping the file's order where it is valid); checks producers and inputs.
    private static func dependencyOrder(_ nodes: [Onnx_NodeProto], known: Set<String>) throws(ONNXError) -> [Int] {
        var producer: [String: Int] = [:]
        func label(_ i: Int) -> String { nodes[i].name.isEmpty ? "#\(i) \(nodes[i].opType)" : nodes[i].name }
        for (i, node) in nodes.enumerated() {
            for output in node.output where !output.isEmpty {
                guard !known.contains(output), producer.updateValue(i, forKey: output) == nil else {
                    throw .duplicateTensor(tensor: output, node: label(i))
                }
            }
        }
        var pending = [Int](repeating: 0, count: nodes.count)
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            for input in node.input where !input.isEmpty {
                if let p = producer[input] {
                    pending[i] += 1
                    consumers[p].append(i)
                } else if !known.contains(input) {
                    throw .danglingInput(node: label(i), tensor: input)
                }
            }
        }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        var heap = MinHeap(pending.indices.filter { pending[$0] == 0 })
        while let next = heap.pop() {
            order.append(next)
            for c in consumers[next] {
                pending[c] -= 1
                if pending[c] == 0 { heap.push(c) }
            }
        }
        if order.count < nodes.count, var current = pending.indices.first(where: { pending[$0] > 0 }) {
            // Follow unfinished producers backwards until a node repeats: that node is on a cycle.
            var seen: Set<Int> = []
            var tensor = ""
            while seen.insert(current).inserted {
                guard let input = nodes[current].input.first(where: { producer[$0].map { pending[$0] > 0 } ?? false }),
                      let p = producer[input] else { break }
                tensor = input
                current = p
            }
            throw .cycle(node: label(current), tensor: tensor)
        }
        return order
    }
}

/// A binary min-heap of node indices.
private struct MinHeap {
    private var items: [Int] = []

    init(_ values: [Int]) { for v in values { push(v) } }

    mutating func push(_ v: Int) {
        items.append(v)
        var i = items.count - 1
        while i > 0, items[(i - 1) / 2] > items[i] {
            items.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
