// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "pactctl",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PactModel", targets: ["PactModel"]),
        .library(name: "PactMatching", targets: ["PactMatching"]),
        .library(name: "PactMockServer", targets: ["PactMockServer"]),
        .library(name: "PactConsumer", targets: ["PactConsumer"]),
        .library(name: "PactHTTP", targets: ["PactHTTP"]),
        .library(name: "PactOpenAPI", targets: ["PactOpenAPI"]),
        .library(name: "PactVerifier", targets: ["PactVerifier"]),
        .library(name: "PactBroker", targets: ["PactBroker"]),
        .library(name: "PactBrokerClient", targets: ["PactBrokerClient"]),
        .executable(name: "pactctl", targets: ["pactctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Pact files: the JSON value type, path expressions, interactions, rules and generators, V1–V4 I/O.
        .target(name: "PactModel"),
        // The one matching engine: rules, bodies, mismatches and generators.
        .target(name: "PactMatching", dependencies: ["PactModel"]),
        // The mock provider: an HTTP server on SwiftNIO that serves interactions and records what it receives.
        .target(
            name: "PactMockServer",
            dependencies: [
                "PactModel", "PactMatching", "PactHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The consumer DSL: matchers, generators and interaction builders, run against the mock server.
        .target(name: "PactConsumer", dependencies: ["PactModel", "PactMatching", "PactMockServer"]),
        // libcurl, for the one outbound HTTP client.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The one outbound HTTP client: sends requests exactly as given over libcurl, reusing connections.
        .target(name: "PactHTTP", dependencies: ["CCurl"]),
        // OpenAPI documents: request and response validation against their schemas, examples for a mock, and the
        // bi-directional check of pacts against a document.
        .target(
            name: "PactOpenAPI",
            dependencies: [
                "PactModel", "PactMockServer",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The provider verifier: loads pacts, drives provider states, replays requests and reports the differences.
        .target(name: "PactVerifier", dependencies: ["PactModel", "PactMatching", "PactHTTP", "PactBrokerClient"]),
        // The broker's web UI templates and assets, kept in Broker/ and shipped as a resource bundle.
        .target(name: "BrokerAssets", path: "Broker", exclude: ["sql", "deploy", "README.md"], resources: [.copy("templates"), .copy("static")]),
        // The broker: the Pact Broker HTTP API on Hummingbird, stored through SQLKit in SQLite or PostgreSQL.
        .target(
            name: "PactBroker",
            dependencies: [
                "PactModel",
                "PactHTTP",
                "BrokerAssets",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The broker client: HAL navigation, auth and retries over PactHTTP, and the broker operations the CLI offers.
        .target(name: "PactBrokerClient", dependencies: ["PactModel", "PactHTTP"]),
        // The command-line tool; it parses arguments, calls the libraries and prints.
        .executableTarget(
            name: "pactctl",
            dependencies: [
                "PactModel",
                "PactMatching",
                "PactMockServer",
                "PactVerifier",
                "PactBroker",
                "PactBrokerClient",
                "PactOpenAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The example provider: the banking service on Hummingbird that the quickstart verifies (Sources/Examples).
        .target(
            name: "BankingAPI",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Examples/BankingAPI"
        ),
        // The example provider as a process: `banking-api --port N [--provider-states]`.
        .executableTarget(
            name: "banking-api",
            dependencies: ["BankingAPI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Examples/banking-api"
        ),
        // The example consumer: the banking app's API client, over PactHTTP.
        .target(name: "BankingClient", dependencies: ["PactHTTP"], path: "Sources/Examples/BankingClient"),
        // A benchmark executable for Scripts/bench; it is never run by the test suite.
        .executableTarget(name: "pactctl-bench", dependencies: ["PactModel", "PactMatching"], path: "Sources/PactBench"),
        // The broker benchmark's seeder and load driver for Scripts/bench/broker; never run by the tests.
        .executableTarget(
            name: "pactctl-broker-bench",
            dependencies: ["PactBroker", "PactHTTP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Sources/PactBrokerBench"
        ),
        .testTarget(
            name: "PactModelTests",
            dependencies: ["PactModel", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "PactMatchingTests",
            dependencies: ["PactMatching", "PactModel", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "CompatibilitySuiteTests",
            dependencies: [
                "PactMatching", "PactModel", "PactMockServer", "PactHTTP", "PactConsumer", "PactVerifier", "PactBroker", "PactBrokerClient",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "PactHTTPTests", dependencies: ["PactHTTP"]),
        .testTarget(name: "PactConsumerTests", dependencies: ["PactConsumer", "PactMatching", "PactModel", "PactHTTP"]),
        .testTarget(name: "PactMockServerTests", dependencies: ["PactMockServer", "PactModel", "PactHTTP", "pactctl", "TestSupport"]),
        .testTarget(name: "PactVerifierTests", dependencies: ["PactVerifier", "PactModel", "PactMatching", "PactMockServer"]),
        .testTarget(
            name: "PactBrokerTests",
            dependencies: [
                "PactBroker", "PactModel", "PactHTTP", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The Pact specification's own test cases (../shared/pact-specification-testcases).
        .testTarget(name: "SpecificationCaseTests", dependencies: ["PactModel", "PactMatching", "PactMockServer", "TestSupport"]),
        .testTarget(name: "PactBrokerClientTests", dependencies: ["PactBrokerClient", "PactBroker", "PactModel"]),
        .testTarget(name: "PactOpenAPITests", dependencies: ["PactOpenAPI", "PactModel", "PactMockServer", "PactHTTP"]),
        // The example's consumer tests (they write Contracts/BankingApp-BankingAPI.json) and provider tests.
        .testTarget(name: "BankingClientTests", dependencies: ["BankingClient", "PactConsumer", "PactMockServer", "PactModel"], path: "Tests/Examples/BankingClientTests"),
        .testTarget(
            name: "BankingAPITests",
            dependencies: ["BankingAPI", "BankingClient", "PactVerifier", "PactModel", "PactHTTP", "banking-api", "TestSupport"],
            path: "Tests/Examples/BankingAPITests"
        ),
        .testTarget(name: "PactctlTests", dependencies: ["pactctl", "PactMockServer", "PactModel", "PactHTTP", "TestSupport", "BankingAPI"]),
        // What the test targets share: child processes started with posix_spawn, raw loopback sockets.
        .target(name: "TestSupport", path: "Tests/Support"),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer targets (Sources/PactFuzz), declared only for Scripts/fuzz: they are built with
// -sanitize=fuzzer,address in a build folder of their own, and libFuzzer supplies their `main`.
if ProcessInfo.processInfo.environment["PACTCTL_FUZZ"] == "1" {
    package.targets.append(.target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"))
    package.targets.append(.executableTarget(name: "pactctl-fuzz", dependencies: ["PactModel", "PactMatching", "CLibFuzzer"], path: "Sources/PactFuzz"))
}
