// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the pure core's parsers (see README.md beside this
// file). A package of its own so the main build and `swift test` never see the
// fuzzer flags; run everything through `Fuzz/run`.
//
// Each fuzzer is one file defining `LLVMFuzzerTestOneInput` and an `@main`
// that starts libFuzzer through FuzzDriver (SwiftPM's executables need a Swift
// entry point, see FuzzDriver.swift); `@main` needs `-parse-as-library`.
let fuzzers = ["fuzz-duration", "fuzz-dates", "fuzz-expression", "fuzz-workflow", "fuzz-json"]

let package = Package(
    name: "bevaka-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "bevaka", path: ".."),
    ],
    targets: [
        // `@_extern(c)` declares libFuzzer's driver without a C header target.
        .target(name: "FuzzDriver", swiftSettings: [.enableExperimentalFeature("Extern")]),
    ] + fuzzers.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzDriver", .product(name: "BevakaCore", package: "bevaka")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v6]
)
