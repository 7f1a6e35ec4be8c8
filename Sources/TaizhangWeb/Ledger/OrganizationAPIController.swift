import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// `/api/v1/organizations`, `/api/v1/ledger-imports`, `/api/v1/reference-values`: the same
/// store calls as the ledger pages.
enum OrganizationAPIController {
    struct CoveredUnitJSON: Content {
        var name: String
        var unitCategory: String
    }

    struct OrganizationJSON: Content {
        var code: String
        var name: String
        var townshipCode: String
        var townshipName: String
        var countyName: String
        var orgType: String
        var unitCategory: String
        var buildMode: String
        var coveredUnits: [CoveredUnitJSON]
        var stage: Stage
        var stageLabel: String
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
        var guidance: GuidanceKind
        var brandActivities: [BrandActivity]
        var notes: String?
        var mergedIntoCode: String?
        var version: Int
        /// ISO 8601, UTC.
        var updatedAt: String
        var reviewState: ReviewState
        var reviewStateLabel: String
        /// Why the record was returned, while 已退回.
        var returnReason: String?
        /// The sign-off that locks the record, if any.
        var signOffID: Int?
        /// The day a spot check found it 不属实 (it no longer counts).
        var refutedOn: String?

        init(_ record: OrganizationRecord, names: DivisionNames) {
            let f = record.fields
            let township = names.byCode[f.townshipCode]
            code = record.code
            name = f.name
            townshipCode = f.townshipCode
            townshipName = township?.name ?? ""
            countyName = township?.parentCode.flatMap { names.byCode[$0]?.name } ?? ""
            orgType = f.orgType
            unitCategory = f.unitCategory
            buildMode = f.buildMode
            coveredUnits = f.coveredUnits.map { CoveredUnitJSON(name: $0.name, unitCategory: $0.unitCategory) }
            stage = f.stage
            stageLabel = f.stage.label
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
            guidance = f.guidance
            brandActivities = BrandActivity.allCases.filter(f.brandActivities.contains)
            notes = f.notes
            mergedIntoCode = record.mergedIntoCode
            version = record.version
            // Not a new ISO8601DateFormatter per row: making one cost ~0.3 ms on Linux, most of a 50-row page.
            updatedAt = record.updatedAt.ISO8601Format()
            reviewState = record.review.state
            reviewStateLabel = record.review.state.label
            returnReason = record.review.state == .returned ? record.review.reason : nil
            signOffID = record.review.signOffID
            refutedOn = record.review.refutedOn?.description
        }
    }

    struct ListResponse: Content {
        var items: [OrganizationJSON]
        var nextCursor: String?
        /// Matching records: exact from the running counts where they cover the filter, else counted up to `countCap`.
        var total: Int
        var totalIsCapped: Bool
    }

    static func list(_ req: Request) async throws -> ListResponse {
        let params = try req.query.decode(LedgerFilterParams.self)
        let filter = try await params.filter(for: req)
        let limit = try req.queryInteger("limit", default: 50, in: 1...500)
        let page = try await LedgerQuery.page(filter, sort: params.sortOrder, after: params.after?.nilIfBlank, limit: limit, on: req.db)
        let total = try await req.ledgerTotal(filter, cap: LedgerController.countCap)
        let names = try await req.divisionNames(townships: Set(page.records.map(\.fields.townshipCode)))
        return ListResponse(items: page.records.map { OrganizationJSON($0, names: names) }, nextCursor: page.nextCursor,
                            total: total.count, totalIsCapped: total.isCapped)
    }

    struct TimelineJSON: Content {
        var from: Stage?
        var to: Stage
        var effectiveOn: String
        var reason: String?
        var mergedIntoCode: String?
        var actorName: String
    }

    struct DetailResponse: Content {
        var organization: OrganizationJSON
        var timeline: [TimelineJSON]
        var warnings: [String]
    }

    /// - Parameter timeline: the record's timeline when the caller knows it (a save that just wrote it), else read.
    static func detail(_ record: OrganizationRecord, warnings: [String]? = nil, timeline known: [OrganizationStore.TimelineEntry]? = nil,
                       req: Request) async throws -> DetailResponse {
        let names = try await req.divisionNames(townships: [record.fields.townshipCode])
        var entries = known ?? []
        if known == nil { entries = try await OrganizationStore.timeline(record.code, on: req.db) }
        let timeline = entries.map {
            TimelineJSON(from: $0.from, to: $0.to, effectiveOn: $0.effectiveOn, reason: $0.reason, mergedIntoCode: $0.mergedIntoCode,
                         actorName: $0.actorName)
        }
        return DetailResponse(organization: OrganizationJSON(record, names: names), timeline: timeline,
                              warnings: warnings ?? req.application.settings.organizationChecks.warnings(record.fields))
    }

    static func show(_ req: Request) async throws -> DetailResponse {
        try await detail(try await OrganizationStore.require(try req.parameters.require("code"), on: req.db), req: req)
    }

    static func create(_ req: Request) async throws -> Response {
        let input = try req.content.decode(OrganizationInput.self)
        // Where comes before what: a township outside the caller's reach is not found, whatever else is wrong.
        try await req.authorize(.editLedger, divisionCode: ValueParser.normalize(input.townshipCode ?? ""))
        let references = try await req.referenceLists()
        let fields = try input.fields(references: references)
        let saved = try await OrganizationStore.create(fields, checks: req.application.settings.organizationChecks, references: references,
                                                       by: req.actor, on: req.db)
        let response = try await detail(saved.record, warnings: saved.warnings, timeline: saved.timeline, req: req)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.organization(.value(saved.record.code)).path)
        return response
    }

    static func update(_ req: Request) async throws -> DetailResponse {
        let code = try req.parameters.require("code")
        let patch = try req.content.decode(OrganizationInput.self)
        let current = try await OrganizationStore.require(code, on: req.db)
        let version = try patch.expectedVersion()
        var fields = try patch.overlaying(OrganizationInput(current)).fields(references: try await req.referenceLists())
        if patch.stage != nil, Stage(text: patch.stage ?? "") != current.fields.stage {
            throw Refusal("stage：阶段变化请用 POST /api/v1/organizations/\(code)/stage 登记（须填日期，退回、撤销、合并须写原因）")
        }
        fields.stage = current.fields.stage
        if fields.townshipCode != current.fields.townshipCode {
            try await req.authorize(.editLedger, divisionCode: fields.townshipCode)
        }
        let saved = try await OrganizationStore.update(code, fields, expectedVersion: version, checks: req.application.settings.organizationChecks,
                                                       by: req.actor, on: req.db)
        return try await detail(saved.record, warnings: saved.warnings, req: req)
    }

    static func changeStage(_ req: Request) async throws -> DetailResponse {
        let code = try req.parameters.require("code")
        let form = try req.content.decode(OrganizationController.StageForm.self)
        let change = try OrganizationController.stageChange(form)
        if let target = change.mergedInto?.nilIfBlank { try await req.authorizeOrganization(.view, code: target) }
        guard let version = Int(form.version) else { throw InvalidInput(field: "version", reason: "应为整数") }
        let saved = try await OrganizationStore.changeStage(code, change, expectedVersion: version, checks: req.application.settings.organizationChecks,
                                                            by: req.actor, on: req.db)
        return try await detail(saved.record, warnings: saved.warnings, req: req)
    }

    struct ImportResponse: Content {
        var committed: Bool
        var preview: LedgerImporter.Preview
        var summary: String
    }

    /// The request body is the file itself (XLSX or CSV); `?commit=true` imports it, otherwise only previews.
    static func importFile(_ req: Request) async throws -> Response {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw Refusal("请求体应为要导入的 .xlsx 或 .csv 文件内容")
        }
        let data = Data(buffer: buffer)
        let commit = (try? req.query.get(Bool.self, at: "commit")) ?? false
        let fileName = (try? req.query.get(String.self, at: "fileName")) ?? "api-upload"
        let scope = try req.scope(for: .editLedger)
        let reader = try TabularFileReader(data: data, limits: .forUploads)
        let preview = commit
            ? try await LedgerImporter.commit(reader, fileName: fileName, scope: scope, checks: req.application.settings.organizationChecks,
                                                  by: req.actor, on: req.db)
            : try await LedgerImporter.preview(reader, scope: scope, checks: req.application.settings.organizationChecks, on: req.db)
        return try await ImportResponse(committed: commit, preview: preview, summary: preview.summaryLine)
            .encodeResponse(status: commit ? .created : .ok, for: req)
    }

    struct ReferenceResponse: Content {
        var orgTypes: [String]
        var unitCategories: [String]
        var buildModes: [String]
        var activityKinds: [String]
        var stages: [Stage]
    }

    static func references(_ req: Request) async throws -> ReferenceResponse {
        let lists = try await req.referenceLists()
        return ReferenceResponse(orgTypes: lists.list(.orgType), unitCategories: lists.list(.unitCategory),
                                 buildModes: lists.list(.buildMode), activityKinds: lists.list(.activityKind), stages: Stage.allCases)
    }
}
