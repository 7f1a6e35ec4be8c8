import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// What a spot check's finding does to the ledger: an organization found 不属实 stops counting
/// (whatever the campaign's rule) from the day it was found, and is marked wherever it is shown;
/// a corrected outcome puts it back. Runs inside the caller's transaction and adjusts the
/// running counts there.
public enum OrganizationReview {
    /// Marks organizations 不属实 as of `day`. Already refuted ones keep their first day.
    public static func refute(codes: [String], on day: CalendarDay, by actor: Actor, db: any Database) async throws {
        try await mark(codes: codes, refutedOn: day, by: actor, db: db)
    }

    /// How many 已建立 organizations (founded by `day`) inside `scope` stand 不属实 as found on or
    /// before `day` — the ones no figure counts because of a spot check — by township path.
    public static func refutedCounts(in scope: Scope, through day: CalendarDay, on db: any Database) async throws -> [String: Int] {
        let select = db.sql.select().column("division_path").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("organizations")
            .where("refuted_on", .isNot, SQLLiteral.null).where("refuted_on", .lessThanOrEqual, day.description)
            .where("stage", .equal, Stage.founded.rawValue).where("founded_on", .lessThanOrEqual, day.description)
        select.whereInside(scope, SQLColumn("division_path"))
        let rows = try await ResultRows.all(select.groupBy("division_path").query, on: db) { row in (try row.string("division_path"), try row.int("n")) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// Takes the 不属实 mark off (the outcome was corrected).
    public static func restore(codes: [String], by actor: Actor, db: any Database) async throws {
        try await mark(codes: codes, refutedOn: nil, by: actor, db: db)
    }

    private static func mark(codes: [String], refutedOn day: CalendarDay?, by actor: Actor, db: any Database) async throws {
        let records = try await LedgerImporter.existingRecords(codes: codes, on: db)
        var tally = LedgerCounts.Tally()
        var audit = AuditLog.Batch(by: actor, on: db)
        for code in Set(codes).sorted() {
            guard let record = records[code] else { throw Refusal.organizationNotFound(code) }
            guard (record.review.refutedOn == nil) != (day == nil) else { continue }
            var after = record.review
            after.refutedOn = day
            try await db.sql.update("organizations").set("refuted_on", to: SQLBind(day?.description)).where("code", .equal, code).run()
            tally.change(from: record.fields, at: record.divisionPath, review: record.review.countedReview,
                         to: record.fields, at: record.divisionPath, review: after.countedReview)
            try await audit.append(.init(action: day == nil ? "organization.refutation.remove" : "organization.refute", entityType: "organization",
                                         entityID: code, divisionPath: record.divisionPath,
                                         before: ["抽查结论": record.review.refutedOn.map { "\($0) 不属实" } ?? "—"],
                                         after: ["抽查结论": day.map { "\($0) 不属实" } ?? "—"]))
        }
        try await audit.finish()
        try await LedgerCounts.apply(tally, on: db)
    }
}
