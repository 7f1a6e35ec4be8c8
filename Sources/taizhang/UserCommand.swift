import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangWeb

/// `taizhang user …`: accounts from the command line, for the first administrator and for scripts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "管理用户账号：开设账号、授权、重置密码。",
        subcommands: [Add.self, Grant.self, ResetPassword.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "开设账号并授予一个角色；生成的初始密码只显示这一次。")

        @Option(help: "用户名（3–32 位英文字母、数字、_ . -）")
        var username: String

        @Option(help: "姓名或单位")
        var name: String

        @Option(help: "角色：\(Role.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")
        var role: String

        @Option(help: "授权范围：区划代码（如 350582），系统管理员可用 CN 表示全国")
        var division: String

        @Option(help: "手机号")
        var phone: String?

        func run() async throws {
            try await Taizhang.run {
                let role = try UserCommand.parseRole(role)
                let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
                let password = try await AppRunner.withApplication(settings: settings) { app in
                    try await AuthService.createAccount(
                        username: username, displayName: name, phone: phone,
                        grants: [(role, division)], mustChangePassword: true, by: .commandLine("user add"), on: app.db).password
                }
                print("已开设账号 \(username)（\(role.label) · \(division)）")
                print("初始密码：\(password)   （只显示这一次；登录后请在“我的账号”中修改）")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "给已有账号再授予一个角色。")

        @Option(help: "用户名")
        var username: String

        @Option(help: "角色代码或中文名")
        var role: String

        @Option(help: "授权范围：区划代码，或 CN")
        var division: String

        func run() async throws {
            try await Taizhang.run {
                let role = try UserCommand.parseRole(role)
                let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
                try await AppRunner.withApplication(settings: settings) { app in
                    let user = try await AccountStore.requireUser(named: username, on: app.db)
                    try await AccountStore.addGrant(userID: user.id!, role: role, divisionCode: division,
                                                    by: .commandLine("user grant"), on: app.db)
                }
                print("已授予 \(username)：\(role.label) · \(division)")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "为账号生成新密码（其所有登录会话随即失效）。")

        @Option(help: "用户名")
        var username: String

        func run() async throws {
            try await Taizhang.run {
                let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
                let password = AuthService.generatePassword()
                try await AppRunner.withApplication(settings: settings) { app in
                    let user = try await AccountStore.requireUser(named: username, on: app.db)
                    try await AccountStore.setPassword(userID: user.id!, hash: try AuthService.hashPassword(password), handedOut: true,
                                                       by: .commandLine("user reset-password"), on: app.db)
                }
                print("\(username) 的新密码：\(password)   （只显示这一次）")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出所有账号及其授权。")

        func run() async throws {
            try await Taizhang.run {
                let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
                try await AppRunner.withApplication(settings: settings) { app in
                    for user in try await AccountStore.users(manageableBy: AccessPolicy(grants: [
                        .init(role: .systemAdmin, divisionCode: DivisionTable.nationalRegion, divisionPath: "")]), on: app.db) {
                        let grants = try await AccountStore.grantRows(of: user.id!, on: app.db)
                            .map { "\($0.grant.role.label)·\($0.divisionName)" }.joined(separator: "；")
                        print("\(user.username)\t\(user.displayName)\t\(user.isActive ? "启用" : "停用")\t\(grants)")
                    }
                }
            }
        }
    }

    static func parseRole(_ text: String) throws -> Role {
        guard let role = Role(text: text) else {
            throw Refusal("--role：未知角色「\(text)」，可选 \(Role.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        return role
    }
}
