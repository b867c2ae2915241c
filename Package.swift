// swift-tools-version:6.0
import PackageDescription

// Layering (see README "Architecture"): BevakaCore is pure (Foundation + Yams);
// BevakaStore knows Core; BevakaDelivery is the wire (libcurl for HTTP and SMTP,
// signing, mail messages, templates); BevakaServer (daemon services: timers,
// deliveries, HTTP API, configuration) knows them all; the `bevaka` executable
// only parses arguments and wires things together.
let package = Package(
    name: "bevaka",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bevaka", targets: ["bevaka"]),
        .library(name: "BevakaCore", targets: ["BevakaCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", exact: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit", exact: "5.8.0"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        // Named for the connection handlers (request-head timeout) added to Hummingbird's pipeline.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        // The register page's CSV upload (multipart/form-data).
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        // The second store: PostgreSQL, for several daemons on one database (issue 15).
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // TLS to the PostgreSQL server (its certificate authorities).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "BevakaCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "BevakaStore",
            dependencies: [
                "BevakaCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The store on PostgreSQL: the same contract as BevakaStore's SQLite store, for several nodes.
        .target(
            name: "BevakaPostgres",
            dependencies: [
                "BevakaCore",
                "BevakaStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // `bevaka migrate-store` reads the SQLite file it copies.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The commands and queries every caller uses, and the access policy they ask.
        .target(name: "BevakaApplication", dependencies: ["BevakaCore", "BevakaStore"]),
        // The pages people use in a browser: server-rendered Swedish HTML on the application layer.
        .target(
            name: "BevakaWeb",
            dependencies: [
                "BevakaCore",
                "BevakaStore",
                "BevakaApplication",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libcurl, for webhooks and SMTP; only BevakaDelivery imports it.
        .systemLibrary(
            name: "CBevakaCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "BevakaDelivery",
            dependencies: [
                "BevakaCore",
                "CBevakaCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "BevakaServer",
            dependencies: [
                "BevakaCore",
                "BevakaStore",
                "BevakaApplication",
                "BevakaDelivery",
                "BevakaWeb",
                "BevakaPostgres",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bevaka",
            dependencies: [
                "BevakaCore",
                "BevakaStore",
                "BevakaApplication",
                "BevakaServer",
                "BevakaDelivery",
                "BevakaPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Measures throughput and memory; run with `swift run -c release bevaka-bench`.
        .executableTarget(
            name: "bevaka-bench",
            dependencies: [
                "BevakaCore", "BevakaStore", "BevakaServer", "BevakaDelivery", "BevakaPostgres",
                .product(name: "Logging", package: "swift-log"),
                // The page benchmark drives the daemon's router in process.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // The goals' baseline: SQLite's C API, with nothing of Bevaka around it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Helpers shared by the test targets (temporary folders, a manual clock).
        .target(
            name: "BevakaTestSupport",
            dependencies: ["BevakaCore", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "BevakaCoreTests", dependencies: ["BevakaCore"]),
        .testTarget(
            name: "BevakaDeliveryTests",
            dependencies: ["BevakaDelivery", "BevakaTestSupport"]
        ),
        .testTarget(name: "BevakaApplicationTests", dependencies: ["BevakaCore", "BevakaStore", "BevakaApplication", "BevakaTestSupport"]),
        .testTarget(
            name: "BevakaStoreTests",
            dependencies: [
                "BevakaCore", "BevakaStore", "BevakaPostgres", "BevakaTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BevakaServerTests",
            dependencies: [
                "BevakaCore",
                "BevakaStore",
                "BevakaServer",
                "BevakaApplication",
                "BevakaDelivery",
                "BevakaWeb",
                "BevakaTestSupport",
                "BevakaPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Clocks", package: "swift-clocks"),
            ]
        ),
    ]
)
