// swift-tools-version:6.0
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "taizhang",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "taizhang", targets: ["taizhang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "TaizhangFiles",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: upcoming
        ),
        .target(
            name: "TaizhangCore",
            dependencies: ["TaizhangFiles"],
            exclude: ["Resources/DIVISIONS-SOURCE.md"],
            resources: [.copy("Resources/divisions-china.csv")],
            swiftSettings: upcoming
        ),
        .target(
            name: "TaizhangStore",
            dependencies: [
                "TaizhangFiles",
                "TaizhangCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "TaizhangMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "TaizhangWeb",
            dependencies: [
                "TaizhangFiles",
                "TaizhangMail",
                "TaizhangCore",
                "TaizhangStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["README.md"],
            resources: [.copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/openapi.json")],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "taizhang",
            dependencies: [
                "TaizhangFiles",
                "TaizhangWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "TaizhangTestSupport",
            dependencies: [
                "TaizhangWeb",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            path: "Tests/TaizhangTestSupport",
            swiftSettings: upcoming
        ),
        .testTarget(name: "TaizhangFilesTests", dependencies: ["TaizhangFiles", "TaizhangCore"], exclude: ["Fixtures"], swiftSettings: upcoming),
        .testTarget(name: "TaizhangCoreTests", dependencies: ["TaizhangCore"], swiftSettings: upcoming),
        .testTarget(name: "TaizhangMailTests", dependencies: ["TaizhangMail", "TaizhangTestSupport"], swiftSettings: upcoming),
        .testTarget(
            name: "TaizhangStoreTests",
            dependencies: ["TaizhangFiles", "TaizhangStore", "TaizhangTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TaizhangCLITests",
            dependencies: ["taizhang", "TaizhangTestSupport"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TaizhangWebTests",
            dependencies: [
                "TaizhangFiles",
                "TaizhangWeb",
                "TaizhangTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: upcoming
        ),
    ]
)
