// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Fovea",
    products: [
        .library(name: "FoveaTensor", targets: ["FoveaTensor"]),
        .library(name: "FoveaKernels", targets: ["FoveaKernels"]),
        .library(name: "FoveaNN", targets: ["FoveaNN"]),
        .library(name: "FoveaGeometry", targets: ["FoveaGeometry"]),
        .library(name: "FoveaModels", targets: ["FoveaModels"]),
        .library(name: "FoveaBench", targets: ["FoveaBench"]),
        .executable(name: "fovea", targets: ["fovea"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "FoveaTensor"),
        .target(
            name: "CFoveaKernels",
            linkerSettings: [.linkedLibrary("dispatch", .when(platforms: [.linux]))]
        ),
        .target(name: "FoveaKernels", dependencies: ["FoveaTensor", "CFoveaKernels"]),
        .target(name: "FoveaGeometry"),
        .target(name: "FoveaNN", dependencies: ["FoveaTensor", "FoveaKernels", "FoveaGeometry"]),
        .target(name: "FoveaModels", dependencies: [
            "FoveaGeometry", "FoveaNN", "FoveaKernels",
            .product(name: "Yams", package: "Yams"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], resources: [.copy("Datasets/DigitsData")]),
        .target(name: "FoveaBench", dependencies: ["FoveaKernels", "FoveaNN", "FoveaModels", "FoveaTensor"]),
        .executableTarget(
            name: "fovea",
            dependencies: [
                "FoveaTensor", "FoveaNN", "FoveaGeometry", "FoveaModels", "FoveaBench", "FoveaKernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FoveaTensorTests", dependencies: ["FoveaTensor"], exclude: ["Fixtures"]),
        .testTarget(name: "FoveaKernelsTests", dependencies: ["FoveaKernels", "FoveaTensor"]),
        .testTarget(name: "FoveaNNTests", dependencies: ["FoveaNN", "FoveaKernels", "FoveaTensor", "FoveaGeometry"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "FoveaCLITests", dependencies: ["fovea", "FoveaTensor"], exclude: ["Fixtures"]),
        .testTarget(name: "FoveaGeometryTests", dependencies: ["FoveaGeometry"]),
        .testTarget(
            name: "FoveaModelsTests", dependencies: ["FoveaModels", "FoveaGeometry", "FoveaNN"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
