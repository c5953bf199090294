import FoveaGeometry
import Testing
@testable import FoveaModels

@Suite("Zoo registry")
struct ZooRegistryTests {
    static let torchvisionNames = [
        "alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50", "resnet101",
        "resnet152", "googlenet", "inception_v3", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
        "densenet121", "squeezenet1_0", "squeezenet1_1", "efficientnet_b0", "convnext_tiny", "regnet_y_400mf",
    ]
    static let slimNames = ["alexnet_v2", "vgg_16", "resnet_v1_50", "resnet_v1_101", "resnet_v1_152",
                            "inception_v3_slim", "mobilenet_v1"]

    @Test func listsEveryModelOnce() {
        #expect(Zoo.names == Self.torchvisionNames + Self.slimNames + ["lenet5", "lenet_digits"])
        #expect(Set(Zoo.names).count == Zoo.names.count)
    }

    @Test(arguments: Zoo.entries.map(\.name))
    func everyModelBuildsWithItsEntryMetadata(_ name: String) throws {
        let entry = try #require(Zoo.entry(named: name))
        let network = try Zoo.network(named: name)
        #expect(network.name == name)
        #expect(network.inputSize == entry.inputSize)
        #expect(network.inputChannels == entry.inputChannels)
        #expect(!entry.summary.isEmpty && !entry.summary.contains("\n"))
        #expect(!entry.source.isEmpty && !entry.family.isEmpty)
        // Every node but the last feeds another one: no dangling branches.
        let consumed = Set(network.nodes.flatMap(\.inputs))
        let dangling = network.nodes.dropLast().map(\.name).filter { !consumed.contains($0) }
        #expect(dangling.isEmpty, "\(name): unused nodes \(dangling)")
        #expect(network.outputs == [network.nodes.last?.name ?? ""])
    }

    @Test func defaultInputSizes() throws {
        for entry in Zoo.entries {
            let expected: [Int] = switch entry.name {
            case "inception_v3", "inception_v3_slim": [299, 299]
            case "lenet5": [28, 28]
            case "lenet_digits": [8, 8]
            default: [224, 224]
            }
            #expect(entry.inputSize == expected, "\(entry.name)")
            #expect(entry.inputChannels == (entry.name.hasPrefix("lenet") ? 1 : 3))
        }
    }

    @Test func lookupIgnoresCase() throws {
        #expect(try Zoo.network(named: "ResNet50").name == "resnet50")
        #expect(Zoo.entry(named: "resnet50")?.family == "ResNet")
    }

    @Test func unknownNameSuggestsCloseNames() {
        #expect(throws: ZooError.self) { try Zoo.network(named: "resnet05") }
        do {
            _ = try Zoo.network(named: "resnet05")
        } catch {
            guard case .unknownModel(let name, let suggestions) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(name == "resnet05")
            #expect(suggestions.contains("resnet50"))
            #expect(error.description.contains("did you mean"))
            #expect(error.description.contains("resnet50"))
            #expect(!error.description.contains("\n"))
        }
        #expect(Zoo.suggestions(for: "vgg") == ["vgg11", "vgg13", "vgg16", "vgg19"])
        #expect(Zoo.suggestions(for: "mobilenet_v3").prefix(2) == ["mobilenet_v3_large", "mobilenet_v3_small"])
        #expect(Zoo.suggestions(for: "resnet05").first == "resnet50")
        #expect(Zoo.suggestions(for: "transformer").isEmpty)
    }

    @Test func editDistance() {
        #expect(Zoo.editDistance("kitten", "sitting") == 3)
        #expect(Zoo.editDistance("", "abc") == 3)
        #expect(Zoo.editDistance("abc", "") == 3)
        #expect(Zoo.editDistance("resnet50", "resnet50") == 0)
        #expect(Zoo.editDistance("resnet05", "resnet50") == 1)
    }
}
