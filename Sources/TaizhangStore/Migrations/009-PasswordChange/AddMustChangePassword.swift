import FluentKit
import SQLKit

/// A password handed out by someone else (an administrator's new account or reset) must be
/// changed by its user at the next sign-in. Accounts that exist already are left as they are.
struct AddMustChangePassword: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("must_change_password", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("must_change_password").update()
    }
}
