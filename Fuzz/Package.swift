// swift-tools-version: 6.1
// libFuzzer harnesses for Fovea's parsers of untrusted files, kept out of the main package so
// its build never sees sanitizer flags. Build and run with Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "FoveaFuzz",
    dependencies: [.package(name: "Fovea", path: "..")],
    targets: [
        .target(name: "FuzzerDriver"),
        .executableTarget(
            name: "FuzzONNX",
            dependencies: [
                "FuzzerDriver",
                .product(name: "FoveaModels", package: "Fovea"),
                .product(name: "FoveaGeometry", package: "Fovea"),
            ]
        ),
        .executableTarget(name: "FuzzNpy", dependencies: ["FuzzerDriver", .product(name: "FoveaTensor", package: "Fovea")]),
        .executableTarget(
            name: "FuzzSpec",
            dependencies: [
                "FuzzerDriver",
                .product(name: "FoveaModels", package: "Fovea"),
                .product(name: "FoveaGeometry", package: "Fovea"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
