import FluentKit
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing

/// The demo's 工作约谈 (issue 17 part 6): each of the six stalled townships was interviewed in late
/// November; two of them then founded organizations again, through the ledger and its audit
/// trail, are no longer stalled at the deadline and have their promise's item closed; four did not.
@Suite struct DemoWalkInterviewTests {
    @Test(arguments: TestDatabase.all)
    func twoInterviewedTownshipsRecoveredAndFourDidNot(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            struct Interview: Decodable { var divisionCode: String; var heldOn: String }
            let interviews = try await app.db.sql.select().columns("division_code", "held_on").from("escalations")
                .where("kind", .equal, "interview").all(decoding: Interview.self, keyDecodingStrategy: .convertFromSnakeCase)
            #expect(interviews.count == 6)
            var after: [String: Int] = [:]
            for interview in interviews {
                after[interview.divisionCode] = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from("organizations").where("township_code", .equal, interview.divisionCode).where("stage", .equal, Stage.founded.rawValue)
                    .where("founded_on", .greaterThan, interview.heldOn).first(decodingColumn: "n", as: Int.self) ?? -1
            }
            #expect(after.values.filter { $0 > 0 }.count == 2, "\(after)")
            #expect(after.values.filter { $0 == 0 }.count == 4, "\(after)")
            // What the recovered townships founded is in the audit trail like any township's own work.
            for (code, count) in after where count > 0 {
                let audited = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_events")
                    .where("action", .equal, "organization.create").where("actor_name", .like, "%团委")
                    .where("division_path", .like, "%/\(code)/").first(decodingColumn: "n", as: Int.self) ?? 0
                #expect(audited >= count, "\(code)")
                // Founded within the last week of the campaign: no longer stalled at the deadline.
                let last = try await app.db.sql.select().column(SQLFunction("MAX", args: SQLColumn("founded_on")), as: "d").from("organizations")
                    .where("township_code", .equal, code).first(decodingColumn: "d", as: String.self)
                #expect((last ?? "") >= "2012-12-09", "\(code) \(last ?? "-")")
            }
            // The promise made at the interview is closed where it was kept, still open where it was not.
            for (code, count) in after {
                let states = try await app.db.sql.select().column("state").from("supervision_items").where("division_code", .equal, code)
                    .where("source", .equal, "interview").all(decodingColumn: "state", as: String.self)
                #expect(states == [count > 0 ? SupervisionState.closed.rawValue : SupervisionState.open.rawValue], "\(code) \(states)")
            }
        }
    }
}
