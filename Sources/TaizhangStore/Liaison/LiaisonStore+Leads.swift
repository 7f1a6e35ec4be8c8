import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension LiaisonStore {
    /// The lead liaison (牵头挂钩干部) of each of `codes` for a campaign on `day`, by township code;
    /// a township without one is absent. One statement for the whole set (in slices of 5,000 codes,
    /// under every driver's limit on bound values), so the completeness table, the bulletins, the
    /// ranking and the division page name every township's cadre without a query per township.
    public static func leads(campaignID: Int, townships codes: some Collection<String>, on day: CalendarDay,
                             on db: any Database) async throws -> [String: LiaisonCadre] {
        let unique = Array(Set(codes)).sorted()
        var leads: [String: LiaisonCadre] = [:]
        var start = unique.startIndex
        while start < unique.endIndex {
            let slice = Array(unique[start..<min(start + 5000, unique.endIndex)])
            start += slice.count
            let rows = try await assignmentSelect(on: db)
                .where(SQLColumn("campaign_id", table: "a"), .equal, SQLBind(campaignID))
                .where(SQLColumn("role", table: "a"), .equal, SQLBind(LiaisonRole.lead.rawValue))
                .where(SQLColumn("township_code", table: "a"), .in, SQLBind.group(slice))
                .where(SQLColumn("starts_on", table: "a"), .lessThanOrEqual, SQLBind(day.description))
                .where(group: { $0.where(SQLColumn("ends_on", table: "a"), .is, SQLLiteral.null)
                    .orWhere(SQLColumn("ends_on", table: "a"), .greaterThanOrEqual, SQLBind(day.description)) })
                .orderBy(SQLColumn("starts_on", table: "a")).orderBy(SQLColumn("id", table: "a"))
                .all(decoding: AssignmentRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            // One lead at a time is enforced on write; were two to overlap, the later start wins.
            for row in rows { leads[row.townshipCode] = row.assignment.cadre }
        }
        return leads
    }
}
