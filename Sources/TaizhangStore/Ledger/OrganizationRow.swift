import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// An organization as stored: its fields plus code, place in the tree and version.
public struct OrganizationRecord: Sendable, Equatable {
    public var code: String
    public var divisionPath: String
    public var fields: OrganizationFields
    public var mergedIntoCode: String?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var review: ReviewStatus
}

/// The `organizations` table row, column for column (snake_case on the wire).
struct OrganizationRow: Codable, Sendable {
    var code: String
    var townshipCode: String
    var divisionPath: String
    var name: String
    var orgType: String
    var unitCategory: String
    var buildMode: String
    var coveredUnits: String
    var stage: String
    var preparationApprovedOn: String?
    var foundedOn: String?
    var approvalDocument: String?
    var secretaryName: String?
    var secretaryPhone: String?
    var actingSecretaryName: String?
    var actingSecretaryPhone: String?
    var instructorName: String?
    var memberCount: Int?
    var youthCount: Int?
    var dualManagement: Bool
    var countyDepartment: String?
    var guidance: String
    var brandActivities: String
    var notes: String?
    var mergedIntoCode: String?
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var reviewState: String
    var reviewReason: String?
    var createdBy: String?
    var changedBy: String?
    var confirmedBy: String?
    var signoffId: Int?
    var refutedOn: String?
    /// The name's sort key (`NameSortKey`), computed from the name whenever the name is written (migration 028).
    var nameSort: String

    /// The column names themselves, so rows decode without converting every key of every row
    /// (SQLKit's snake-case conversion cost more than the query in profiles of the ledger and rankings).
    enum CodingKeys: String, CodingKey {
        case code, name, stage, notes, version, guidance
        case townshipCode = "township_code", divisionPath = "division_path", orgType = "org_type", unitCategory = "unit_category"
        case buildMode = "build_mode", coveredUnits = "covered_units", preparationApprovedOn = "preparation_approved_on"
        case foundedOn = "founded_on", approvalDocument = "approval_document", secretaryName = "secretary_name"
        case secretaryPhone = "secretary_phone", actingSecretaryName = "acting_secretary_name"
        case actingSecretaryPhone = "acting_secretary_phone", instructorName = "instructor_name", memberCount = "member_count"
        case youthCount = "youth_count", dualManagement = "dual_management", countyDepartment = "county_department"
        case brandActivities = "brand_activities", mergedIntoCode = "merged_into_code", createdAt = "created_at"
        case updatedAt = "updated_at", reviewState = "review_state", reviewReason = "review_reason", createdBy = "created_by"
        case changedBy = "changed_by", confirmedBy = "confirmed_by", signoffId = "signoff_id", refutedOn = "refuted_on"
        case nameSort = "name_sort"
    }

    static let columns = [
        "code", "township_code", "division_path", "name", "org_type", "unit_category", "build_mode", "covered_units",
        "stage", "preparation_approved_on", "founded_on", "approval_document", "secretary_name", "secretary_phone",
        "acting_secretary_name", "acting_secretary_phone", "instructor_name", "member_count", "youth_count",
        "dual_management", "county_department", "guidance", "brand_activities", "notes", "merged_into_code",
        "version", "created_at", "updated_at", "review_state", "review_reason", "created_by", "changed_by", "confirmed_by", "signoff_id",
        "refuted_on", "name_sort",
    ]

    /// `columns` as one select list, quoted once: serializing 36 column expressions was a
    /// tenth of what the ledger's page query cost to build on every request. (SQLite and
    /// PostgreSQL quote identifiers alike, and none of these needs escaping.)
    static let selectList = selectList(columns)

    /// Column names as one select list, quoted once.
    static func selectList(_ columns: [String]) -> SQLRaw {
        SQLRaw(columns.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    /// A stored stage, or the lowest one for a value this version does not know.
    static func stage(stored: String) -> Stage { Stage(rawValue: stored) ?? .youthGroup }

    /// A stored review state, or 待县核实 for a value this version does not know.
    static func reviewState(stored: String) -> ReviewState { ReviewState(rawValue: stored) ?? .pending }

    init(code: String, divisionPath: String, fields f: OrganizationFields, mergedIntoCode: String?, version: Int,
         createdAt: Date, updatedAt: Date, review: ReviewStatus) {
        self.code = code
        townshipCode = f.townshipCode
        self.divisionPath = divisionPath
        name = f.name
        orgType = f.orgType
        unitCategory = f.unitCategory
        buildMode = f.buildMode
        coveredUnits = Self.encodeUnits(f.coveredUnits)
        stage = f.stage.rawValue
        preparationApprovedOn = f.preparationApprovedOn?.description
        foundedOn = f.foundedOn?.description
        approvalDocument = f.approvalDocument
        secretaryName = f.secretaryName
        secretaryPhone = f.secretaryPhone
        actingSecretaryName = f.actingSecretaryName
        actingSecretaryPhone = f.actingSecretaryPhone
        instructorName = f.instructorName
        memberCount = f.memberCount
        youthCount = f.youthCount
        dualManagement = f.dualManagement
        countyDepartment = f.countyDepartment
        guidance = f.guidance.rawValue
        brandActivities = BrandActivity.allCases.filter(f.brandActivities.contains).map(\.rawValue).joined(separator: ",")
        notes = f.notes
        self.mergedIntoCode = mergedIntoCode
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        reviewState = review.state.rawValue
        reviewReason = review.reason
        createdBy = review.createdBy
        changedBy = review.changedBy
        confirmedBy = review.confirmedBy
        signoffId = review.signOffID
        refutedOn = review.refutedOn?.description
        nameSort = NameSortKey.of(f.name)
    }

    /// A row of a query that selected `columns`.
    init(reading row: some ColumnReader) throws {
        code = try row.string("code")
        townshipCode = try row.string("township_code")
        divisionPath = try row.string("division_path")
        name = try row.string("name")
        orgType = try row.string("org_type")
        unitCategory = try row.string("unit_category")
        buildMode = try row.string("build_mode")
        coveredUnits = try row.string("covered_units")
        stage = try row.string("stage")
        preparationApprovedOn = try row.optionalString("preparation_approved_on")
        foundedOn = try row.optionalString("founded_on")
        approvalDocument = try row.optionalString("approval_document")
        secretaryName = try row.optionalString("secretary_name")
        secretaryPhone = try row.optionalString("secretary_phone")
        actingSecretaryName = try row.optionalString("acting_secretary_name")
        actingSecretaryPhone = try row.optionalString("acting_secretary_phone")
        instructorName = try row.optionalString("instructor_name")
        memberCount = try row.optionalInt("member_count")
        youthCount = try row.optionalInt("youth_count")
        dualManagement = try row.bool("dual_management")
        countyDepartment = try row.optionalString("county_department")
        guidance = try row.string("guidance")
        brandActivities = try row.string("brand_activities")
        notes = try row.optionalString("notes")
        mergedIntoCode = try row.optionalString("merged_into_code")
        version = try row.int("version")
        createdAt = try row.date("created_at")
        updatedAt = try row.date("updated_at")
        reviewState = try row.string("review_state")
        reviewReason = try row.optionalString("review_reason")
        createdBy = try row.optionalString("created_by")
        changedBy = try row.optionalString("changed_by")
        confirmedBy = try row.optionalString("confirmed_by")
        signoffId = try row.optionalInt("signoff_id")
        refutedOn = try row.optionalString("refuted_on")
        // As stored, so a page's cursor holds exactly what the database sorted on.
        nameSort = try row.optionalString("name_sort") ?? NameSortKey.of(name)
    }

    /// The organizations a query selects (it must select `columns`).
    static func all(_ query: any SQLExpression, on db: any Database) async throws -> [OrganizationRow] {
        try await ResultRows.all(query, on: db) { try OrganizationRow(reading: $0) }
    }

    /// The values in `columns` order, for `BulkWrite` (imports write hundreds of thousands of rows).
    var bulkValues: [BulkValue] {
        [.text(code), .text(townshipCode), .text(divisionPath), .text(name), .text(orgType), .text(unitCategory),
         .text(buildMode), .text(coveredUnits), .text(stage), .text(preparationApprovedOn), .text(foundedOn),
         .text(approvalDocument), .text(secretaryName), .text(secretaryPhone), .text(actingSecretaryName),
         .text(actingSecretaryPhone), .text(instructorName), .integer(memberCount), .integer(youthCount), .bool(dualManagement),
         .text(countyDepartment), .text(guidance), .text(brandActivities), .text(notes), .text(mergedIntoCode),
         .integer(version), .date(createdAt), .date(updatedAt), .text(reviewState), .text(reviewReason), .text(createdBy),
         .text(changedBy), .text(confirmedBy), .integer(signoffId), .text(refutedOn), .text(nameSort)]
    }

    var record: OrganizationRecord {
        OrganizationRecord(
            code: code, divisionPath: divisionPath,
            fields: OrganizationFields(
                name: name, townshipCode: townshipCode, orgType: orgType, unitCategory: unitCategory, buildMode: buildMode,
                coveredUnits: Self.decodeUnits(coveredUnits), stage: Self.stage(stored: stage),
                preparationApprovedOn: preparationApprovedOn.flatMap(CalendarDay.init(iso:)),
                foundedOn: foundedOn.flatMap(CalendarDay.init(iso:)), approvalDocument: approvalDocument,
                secretaryName: secretaryName, secretaryPhone: secretaryPhone, actingSecretaryName: actingSecretaryName,
                actingSecretaryPhone: actingSecretaryPhone, instructorName: instructorName, memberCount: memberCount,
                youthCount: youthCount, dualManagement: dualManagement, countyDepartment: countyDepartment,
                guidance: GuidanceKind(rawValue: guidance) ?? .newlyBuilt,
                brandActivities: Set(brandActivities.split(separator: ",").compactMap { BrandActivity(rawValue: String($0)) }),
                notes: notes),
            mergedIntoCode: mergedIntoCode, version: version, createdAt: createdAt, updatedAt: updatedAt,
            review: ReviewStatus(state: Self.reviewState(stored: reviewState), reason: reviewReason, createdBy: createdBy,
                                 changedBy: changedBy, confirmedBy: confirmedBy, signOffID: signoffId, refutedOn: refutedOn.flatMap(CalendarDay.init(iso:))))
    }

    static func encodeUnits(_ units: [CoveredUnit]) -> String {
        guard !units.isEmpty, let data = try? JSONEncoder().encode(units) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeUnits(_ text: String) -> [CoveredUnit] {
        // Most organizations cover no other unit; a JSONDecoder for "[]" was 2% of a ledger page.
        guard text != "[]" else { return [] }
        return (try? JSONDecoder().decode([CoveredUnit].self, from: Data(text.utf8))) ?? []
    }
}
