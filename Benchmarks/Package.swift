// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that building Fovea never needs package-benchmark.
let package = Package(
    name: "FoveaBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Fovea", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "GEMMBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FoveaKernels", package: "Fovea"),
            ],
            path: "Benchmarks/GEMMBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FoveaBench", package: "Fovea"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
