import FluentKit
import TaizhangCore
import TaizhangStore

/// One demo account per role, each on the part of 泉州 a real holder would have. Every
/// run of `taizhang demo` gives them fresh generated passwords and prints them: there is
/// no default password, not even in the demo.
public enum DemoAccounts {
    public struct Account: Sendable {
        public var username: String
        public var role: Role
        public var divisionCode: String
        public var divisionName: String
        public var password: String
    }

    static let plan: [(username: String, displayName: String, role: Role, divisionCode: String)] = [
        ("admin", "系统管理员", .systemAdmin, DivisionTable.nationalRegion),
        ("quanzhou", "泉州团市委", .cityAdmin, "3505"),
        ("jinjiang", "晋江团市委", .countyAdmin, "350582"),
        ("anhai", "安海镇团委", .townshipReporter, "350582101"),
        ("guagou", "挂钩干部 陈明", .liaisonCadre, "350582101"),
        ("hecha", "晋江核查员", .verifier, "350582"),
        ("lingdao", "市领导", .leaderViewer, "3505"),
    ]

    /// Creates the accounts that are missing and gives every one a new password.
    public static func prepare(on db: any Database) async throws -> [Account] {
        let actor = Actor.commandLine("demo")
        var accounts: [Account] = []
        for entry in plan {
            let password = AuthService.generatePassword()
            if let existing = try await AccountStore.user(named: entry.username, on: db) {
                try await AccountStore.setPassword(userID: existing.id!, hash: try AuthService.hashPassword(password), by: actor, on: db)
            } else {
                _ = try await AuthService.createAccount(username: entry.username, displayName: entry.displayName, password: password,
                                                        grants: [(entry.role, entry.divisionCode)], by: actor, on: db)
            }
            let name = try await AccountStore.grantTarget(entry.divisionCode, on: db).name
            accounts.append(Account(username: entry.username, role: entry.role, divisionCode: entry.divisionCode,
                                    divisionName: name, password: password))
        }
        try await DemoLiaison.linkAccount(username: "guagou", on: db)
        if let campaign = try await CampaignStore.list(overlapping: .everywhere, on: db).first {
            _ = try await DemoReminders.seed(campaign, on: db)
        }
        return accounts
    }

    /// The table `taizhang demo` prints.
    public static func lines(_ accounts: [Account]) -> [String] {
        ["演示账号（密码每次启动重新生成）："] + accounts.map {
            "  \($0.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.password)   \($0.role.label) · \($0.divisionName)"
        }
    }
}
