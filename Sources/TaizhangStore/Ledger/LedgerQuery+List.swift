import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// An organization as the ledger's list shows it: 14 of a record's 36 columns. A page of 50
/// read whole was half of what the ledger page cost under load (every value of every column
/// becomes a string of its own before anything looks at it).
public struct LedgerListEntry: Sendable, Equatable {
    public var code: String
    public var townshipCode: String
    public var name: String
    public var orgType: String
    public var unitCategory: String
    public var buildMode: String
    public var stage: Stage
    public var foundedOn: CalendarDay?
    public var secretaryName: String?
    public var actingSecretaryName: String?
    public var memberCount: Int?
    public var reviewState: ReviewState
    /// Why it was returned (`ReviewStatus.reason`).
    public var reviewReason: String?
    /// When a spot check found it 不属实 (`ReviewStatus.refutedOn`).
    public var refutedOn: CalendarDay?

    /// The review as the ledger shows it (`ReviewStatus.label`).
    public var reviewLabel: String {
        ReviewStatus(state: reviewState, reason: reviewReason, refutedOn: refutedOn).label
    }
}

extension LedgerListEntry {
    /// The record's entry: what `LedgerQuery.listPage` reads of it (for the tests that compare the two).
    init(_ record: OrganizationRecord) {
        let f = record.fields
        code = record.code
        townshipCode = f.townshipCode
        name = f.name
        orgType = f.orgType
        unitCategory = f.unitCategory
        buildMode = f.buildMode
        stage = f.stage
        foundedOn = f.foundedOn
        secretaryName = f.secretaryName
        actingSecretaryName = f.actingSecretaryName
        memberCount = f.memberCount
        reviewState = record.review.state
        reviewReason = record.review.reason
        refutedOn = record.review.refutedOn
    }
}

public struct LedgerListPage: Sendable {
    public var entries: [LedgerListEntry]
    /// The same cursor as `LedgerPage.nextCursor` of the same filter and sort.
    public var nextCursor: String?
}

extension LedgerQuery {
    /// One page of the list: `page`'s organizations, in its order and with its cursors, reading
    /// only what the list shows.
    public static func listPage(
        _ filter: LedgerFilter, sort: LedgerSort, after cursor: String?, limit: Int, on db: any Database
    ) async throws -> LedgerListPage {
        let (rows, next) = try await rows(filter, sort: sort, after: cursor, limit: limit, on: db, columns: ListRow.selectList) {
            try ListRow(reading: $0)
        } keys: { row, seconds in
            keyValues(sort, SortedBy(divisionPath: row.divisionPath, code: row.entry.code, nameSort: row.nameSort,
                                     foundedOn: row.foundedOn, updatedSeconds: seconds ?? row.updatedAt.timeIntervalSince1970))
        }
        return LedgerListPage(entries: rows.map(\.entry), nextCursor: next)
    }

    /// An entry and what its page's cursor is made of.
    struct ListRow: Sendable {
        var entry: LedgerListEntry
        var divisionPath: String
        var nameSort: String
        /// As stored (the founded-on sort's cursor).
        var foundedOn: String?
        var updatedAt: Date

        static let columns = [
            "code", "township_code", "division_path", "name", "org_type", "unit_category", "build_mode", "stage", "founded_on",
            "secretary_name", "acting_secretary_name", "member_count", "updated_at", "review_state", "review_reason",
            "refuted_on", "name_sort",
        ]
        static let selectList = OrganizationRow.selectList(columns)

        /// Read in `columns` order, as `OrganizationRow` reads its own.
        init(reading row: some ColumnReader) throws {
            let code = try row.string("code")
            let townshipCode = try row.string("township_code")
            divisionPath = try row.string("division_path")
            let name = try row.string("name")
            let orgType = try row.string("org_type")
            let unitCategory = try row.string("unit_category")
            let buildMode = try row.string("build_mode")
            let stage = try row.string("stage")
            foundedOn = try row.optionalString("founded_on")
            let secretaryName = try row.optionalString("secretary_name")
            let actingSecretaryName = try row.optionalString("acting_secretary_name")
            let memberCount = try row.optionalInt("member_count")
            updatedAt = try row.date("updated_at")
            let reviewState = try row.string("review_state")
            let reviewReason = try row.optionalString("review_reason")
            let refutedOn = try row.optionalString("refuted_on")
            // As stored, so a page's cursor holds exactly what the database sorted on.
            nameSort = try row.optionalString("name_sort") ?? NameSortKey.of(name)
            entry = LedgerListEntry(
                code: code, townshipCode: townshipCode, name: name, orgType: orgType, unitCategory: unitCategory, buildMode: buildMode,
                stage: OrganizationRow.stage(stored: stage), foundedOn: foundedOn.flatMap(CalendarDay.init(iso:)),
                secretaryName: secretaryName, actingSecretaryName: actingSecretaryName, memberCount: memberCount,
                reviewState: OrganizationRow.reviewState(stored: reviewState), reviewReason: reviewReason,
                refutedOn: refutedOn.flatMap(CalendarDay.init(iso:)))
        }
    }
}
