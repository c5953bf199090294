import FoveaGeometry

/// Turns a parsed spec document into a `Network`, remembering where each node was defined.
struct SpecParser {
    let file: String
    private var nodes: [Node] = []
    private var lines: [String: Int] = [:]
    private var autoNameCounts: [String: Int] = [:]

    init(file: String) { self.file = file }

    struct Result {
        var network: Network
        var nodeLines: [String: Int]
        var inputLine: Int?
    }

    mutating func parse(_ root: SpecValue, defaultName: String) throws(SpecError) -> Result {
        var top = try root.mapping()
        let name = try top.optional("name")?.string() ?? defaultName
        _ = try top.optional("description")?.string()
        let inputValue = try top.required("input")
        var input = try inputValue.mapping()
        let sizeValue = try input.required("size")
        guard case .sequence = sizeValue.node else {
            throw sizeValue.error("expected a list with one size per spatial axis, e.g. [224, 224]")
        }
        let size = try sizeValue.list().map { v throws(SpecError) in try v.int() }
        guard !size.isEmpty else { throw sizeValue.error("needs at least one spatial axis") }
        let channels = try input.optional("channels")?.int()
        try input.finish()

        switch (top.optional("layers"), top.optional("nodes")) {
        case (let layers?, nil):
            for item in try layers.list() { try addNode(item, name: nil, rank: size.count) }
        case (nil, let graph?):
            var mapping = try graph.mapping()
            for key in mapping.keys {
                if let body = mapping.optional(key) { try addNode(body, name: key, rank: size.count) }
            }
        case (_?, let graph?):
            throw graph.error("give either 'layers' (a sequence) or 'nodes' (a graph), not both")
        case (nil, nil):
            throw root.error("missing 'layers' (a list of layers) or 'nodes' (a mapping from names to nodes)")
        }
        guard !nodes.isEmpty else { throw root.error("the network has no layers") }
        let outputsValue = top.optional("outputs")
        let outputs = try outputsValue?.names().map { v throws(SpecError) in try v.string() }
        try top.finish()
        try checkCycles()
        do {
            let network = try Network(name: name, inputChannels: channels, inputSize: size, nodes: nodes,
                                      outputs: outputs)
            return Result(network: network, nodeLines: lines, inputLine: sizeValue.line)
        } catch let error as NetworkError {
            let line: Int?
            switch error {
            case .duplicateName(let node), .reservedName(let node), .missingInput(let node, _), .cycle(let node),
                 .wrongInputCount(let node, _, _):
                line = lines[node]
            case .unknownNode:
                line = outputsValue?.line
            }
            throw SpecError(file: file, line: line, field: nil, message: error.description)
        } catch {
            throw root.error("\(error)")
        }
    }

    /// One layer: a bare operation name, a one-key mapping `op: parameters`, or a mapping with an
    /// `op` key beside the parameters. `name` is the graph form's key.
    private mutating func addNode(_ item: SpecValue, name graphName: String?, rank: Int) throws(SpecError) {
        let opValue: SpecValue
        var fields: LayerFields
        var explicitName: SpecValue?
        var inputsValue: SpecValue?
        switch item.node {
        case .scalar:
            opValue = item
            fields = LayerFields(mapping: nil, primary: nil, owner: item)
        case .mapping:
            var mapping = try item.mapping()
            if let op = mapping.optional("op") {
                opValue = op
                explicitName = graphName == nil ? mapping.optional("name") : nil
                inputsValue = mapping.optional("inputs")
                fields = LayerFields(mapping: mapping, primary: nil, owner: item)
            } else {
                guard mapping.keys.count == 1, let key = mapping.keys.first, let value = mapping.optional(key) else {
                    throw item.error("a layer is an operation name, a one-key mapping {op: parameters} or a mapping with an 'op' key; got keys \(mapping.keys.joined(separator: ", "))")
                }
                opValue = SpecValue(node: .init(key, .init(.str), .plain), field: value.field, file: file)
                fields = try oneKeyFields(value)
                if graphName == nil { explicitName = fields.mapping?.optional("name") }
                inputsValue = fields.mapping?.optional("inputs")
            }
        default:
            throw item.typeError(expected: "an operation name or a mapping")
        }
        let opName = try opValue.string()
        guard let op = SpecOperation.canonical(opName) else {
            throw SpecError(file: file, line: item.line, field: opValue.field.isEmpty ? nil : opValue.field,
                            message: "unknown op '\(opName)' (see docs/spec-format.md for the operations)")
        }
        if let primary = fields.primary {
            guard let key = SpecOperation.primaryParameter(of: op) else {
                throw primary.error("'\(op)' takes no value (write '- \(op)')")
            }
            fields.primaryKey = key
        }
        let layer = try SpecOperation.layer(op, &fields, rank: rank)
        try fields.finish()

        let name: String
        if let graphName {
            name = graphName
        } else if let explicitName {
            name = try explicitName.string()
        } else {
            name = autoName(op)
        }
        if name == Network.inputName {
            throw (explicitName ?? item).error("'\(Network.inputName)' is the network input; choose another name")
        }
        if let first = lines[name] {
            throw (explicitName ?? item).error("duplicate node name '\(name)' (first defined on line \(first))")
        }
        let inputs = try inputsValue?.names().map { v throws(SpecError) in try v.string() }
            ?? [nodes.last?.name ?? Network.inputName]
        lines[name] = item.line ?? 0
        nodes.append(Node(name, layer, inputs: inputs))
    }

    /// The parameters of a one-key layer `op: value`: a mapping, nothing, or the primary value.
    private func oneKeyFields(_ value: SpecValue) throws(SpecError) -> LayerFields {
        switch value.node {
        case .mapping:
            return LayerFields(mapping: try value.mapping(), primary: nil, owner: value)
        case .scalar where value.isNull:
            return LayerFields(mapping: nil, primary: nil, owner: value)
        default:
            return LayerFields(mapping: nil, primary: value, owner: value)
        }
    }

    /// `conv1`, `conv2`, … counted per operation, skipping names already taken.
    private mutating func autoName(_ op: String) -> String {
        var count = autoNameCounts[op, default: 0]
        var name: String
        repeat {
            count += 1
            name = "\(op)\(count)"
        } while lines[name] != nil
        autoNameCounts[op] = count
        return name
    }

    /// Rejects a cycle, naming its nodes in order (the Network check names only one node).
    private func checkCycles() throws(SpecError) {
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.name] = i }
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        func visit(_ i: Int) -> [Int]? {
            if state[i] == 2 { return nil }
            if state[i] == 1 { return Array(path[path.firstIndex(of: i)!...]) + [i] }
            state[i] = 1
            path.append(i)
            for input in nodes[i].inputs {
                if let j = index[input], let cycle = visit(j) { return cycle }
            }
            path.removeLast()
            state[i] = 2
            return nil
        }
        for i in nodes.indices {
            if let cycle = visit(i) {
                let names = cycle.reversed().map { "'\(nodes[$0].name)'" }.joined(separator: " → ")
                let start = nodes[cycle[0]].name
                throw SpecError(file: file, line: lines[start], field: nil, message: "cycle: \(names)")
            }
        }
    }
}
