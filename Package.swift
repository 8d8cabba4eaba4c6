// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "judgetop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "judgetop", targets: ["judgetop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        .target(
            name: "JudgeCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/imdb_top_1000.csv"), .copy("Resources/tasks")]
        ),
        .target(
            name: "BatchAPI",
            dependencies: [
                "JudgeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "JudgeCore", "BatchAPI",
                "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Simulator",
            dependencies: [
                "JudgeCore", "BatchAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CSQLiteSetup", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(name: "CWidth"),
        .target(
            name: "Dashboard",
            dependencies: ["JudgeCore", "BatchAPI", "Pipeline", "CWidth"],
            resources: [.copy("Resources/themes")]
        ),
        .target(name: "HTMLReport", dependencies: ["JudgeCore", .product(name: "Plot", package: "Plot")]),
        .target(name: "RunControl", dependencies: ["JudgeCore", "BatchAPI", "Pipeline", "Dashboard"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .target(name: "CTermSupport", dependencies: ["CNcursesw"]),
        .target(name: "TerminalBackend", dependencies: ["Dashboard", "CNcursesw", "CTermSupport"]),
        .executableTarget(
            name: "judgetop",
            dependencies: [
                "JudgeCore", "BatchAPI", "Pipeline", "Simulator", "Dashboard", "RunControl", "TerminalBackend", "HTMLReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "judgetop-bench", dependencies: ["BatchAPI", "Dashboard", "JudgeCore", "Pipeline", "RunControl"]),
        .testTarget(name: "JudgeCoreTests", dependencies: ["JudgeCore"]),
        .testTarget(name: "BatchAPITests", dependencies: ["BatchAPI"]),
        .testTarget(name: "HTMLReportTests", dependencies: ["HTMLReport", "JudgeCore"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "BatchAPI", "JudgeCore", "Pipeline"], exclude: ["__snapshots__"]),
        .target(
            name: "TestSupport",
            dependencies: [
                "JudgeCore", "BatchAPI", "Pipeline", "Simulator", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PipelineTests", dependencies: [
            "JudgeCore", "BatchAPI", "Pipeline", "Simulator", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .testTarget(name: "RunControlTests", dependencies: [
            "JudgeCore", "BatchAPI", "Pipeline", "Dashboard", "RunControl", "Simulator", "TestSupport",
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .testTarget(name: "SimulatorTests", dependencies: [
            "JudgeCore", "BatchAPI", "Simulator", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], exclude: ["Scripts"]),
        // The executable's tests: the real binary, end to end (killed and resumed, in tmux, against
        // hostile providers), and the checks of the README and the benchmarks.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["JudgeCore", "BatchAPI", "Pipeline", "Simulator", "judgetop", "judgetop-bench", "TestSupport"],
            exclude: ["Scripts", "Fixtures"]
        ),
    ]
)
