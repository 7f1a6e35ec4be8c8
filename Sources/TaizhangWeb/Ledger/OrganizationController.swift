import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// One organization: its page with timeline, the form to found a new one, edits and stage changes.
enum OrganizationController {

    struct Detail: Encodable {
        var label: String
        var value: String
        /// Where the value leads (品牌工作 to the recorded activities below it).
        var href: String? = nil
    }

    static func formModel(_ req: Request, input: OrganizationInput, includeStage: Bool) async throws -> FormModel {
        let references = try await req.referenceLists()
        let townships = try await editableTownships(req)
        func options(_ values: [String], _ selected: String?) -> [Option] {
            values.map { Option(value: $0, label: $0, selected: $0 == selected) }
        }
        return FormModel(
            input: input,
            townships: townships.map { Option(value: $0.code, label: $0.label, selected: $0.code == input.townshipCode) },
            hasTownships: !townships.isEmpty && townships.count < 1000,
            orgTypes: options(references.list(.orgType), input.orgType ?? "团支部"),
            unitCategories: options(references.list(.unitCategory), input.unitCategory),
            buildModes: options(references.list(.buildMode), input.buildMode ?? "单独建团"),
            stages: includeStage ? Stage.allCases.filter { !$0.isEnded }.map {
                Option(value: $0.rawValue, label: $0.label, selected: Stage(text: input.stage ?? "") == $0)
            } : [],
            hasStages: includeStage,
            guidances: GuidanceKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: GuidanceKind(text: input.guidance ?? "") == $0) },
            brands: BrandActivity.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: (input.brandActivities ?? []).contains($0.rawValue)) },
            dual: (try? ValueParser.bool(input.dualManagement ?? "", field: "")) ?? false)
    }

    struct TownshipChoice {
        var code: String
        var label: String
    }

    /// The townships where the user may edit the ledger, labelled with their county.
    static func editableTownships(_ req: Request) async throws -> [TownshipChoice] {
        let scope = try req.scope(for: .editLedger)
        let rows = try await DivisionQueries.townships(under: scope, on: req.db)
        return rows.map { TownshipChoice(code: $0.code, label: "\($0.countyName) · \($0.name)") }
    }

    static func newForm(_ req: Request) async throws -> View {
        var input = OrganizationInput()
        input.townshipCode = try? req.query.get(String.self, at: "township")
        return try await req.view.render("organization-new", NewPageModel(
            layout: LayoutContext(title: "新增团组织", area: .ledger, request: req),
            form: try await formModel(req, input: input, includeStage: true), error: nil))
    }

    static func create(_ req: Request) async throws -> Response {
        let input = try req.content.decode(OrganizationInput.self)
        do {
            // Where comes before what: a township outside the caller's reach is not found, whatever else is wrong.
            try await req.authorize(.editLedger, divisionCode: ValueParser.normalize(input.townshipCode ?? ""))
            let references = try await req.referenceLists()
            let fields = try input.fields(references: references)
            let saved = try await OrganizationStore.create(fields, checks: req.application.settings.organizationChecks, references: references,
                                                           by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.organization(.value(saved.record.code)).path + "?saved=1", redirectType: .normal)
        } catch let error as any UserFacingError where ErrorPresentation(error).status != .notFound {
            req.refusalReason = error.message
            let response = try await req.view.render("organization-new", NewPageModel(
                layout: LayoutContext(title: "新增团组织", area: .ledger, request: req),
                form: try await formModel(req, input: input, includeStage: true), error: error.message)).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }

    static func show(_ req: Request) async throws -> View {
        let record = try await OrganizationStore.require(try req.parameters.require("code"), on: req.db)
        return try await render(req, record: record, input: nil, error: nil)
    }

    /// The stage form as the cadre filled it, so a refusal does not lose what they typed.
    struct StageDraft: Encodable {
        var effectiveOn: String
        var foundedOn: String
        var reason: String
        var mergedInto: String
    }

    static func render(
        _ req: Request, record: OrganizationRecord, input: OrganizationInput?, error: String?, stageForm: StageForm? = nil
    ) async throws -> View {
        let f = record.fields
        let names = try await req.divisionNames(townships: [f.townshipCode])
        let township = names.byCode[f.townshipCode]
        let county = township?.parentCode.flatMap { names.byCode[$0]?.name } ?? ""
        let timeline = try await OrganizationStore.timeline(record.code, on: req.db).map { entry in
            TimelineRow(date: entry.effectiveOn,
                        change: entry.from.map { "\($0.label) → \(entry.to.label)" } ?? "登记为「\(entry.to.label)」",
                        reason: [entry.reason, entry.mergedIntoCode.map { "并入 \($0)" }].compactMap { $0 }.joined(separator: "；"),
                        actor: entry.actorName, recorded: DisplayFormat.dateTime(entry.recordedAt))
        }
        let edits = try await AuditLog.events(entityType: "organization", entityID: record.code, limit: 200, on: req.db)
            .filter { ["organization.update", "organization.import.update"].contains($0.action) }
            .map { event in
                EditRow(at: DisplayFormat.dateTime(event.occurredAt),
                        how: event.action == "organization.update" ? "修改" : "导入更新",
                        fields: Self.changedKeys(before: event.beforeJSON, after: event.afterJSON).joined(separator: "、"),
                        actor: event.actorName)
            }
        // A record a sign-off locks is shown, not offered for editing.
        let editable = try req.requireUser().policy.allows(.editLedger, at: record.divisionPath) && !f.stage.isEnded
            && !record.review.isLocked
        let warnings = req.application.settings.organizationChecks.warnings(f)
        var people = try await TalentStore.assignments(organizationCode: record.code, on: req.db).map {
            Detail(label: TalentRole(rawValue: $0.role)?.label ?? $0.role, value: "\($0.talentName)（人才库，\($0.assignedOn) 选派）")
        }
        people += try await CommitteeStore.members(lookingAfter: record.code, on: req.db).map { Detail(label: "联系委员", value: $0) }
        func detail(_ label: String, _ value: String?, href: String? = nil) -> Detail? {
            guard let value = value?.nilIfBlank else { return nil }
            return Detail(label: label, value: value, href: href)
        }
        // The activities recorded for it are what its 品牌工作 field stands for.
        let activities = try await ActivityStore.involving(organization: record.code, on: req.db).map(ActivityLine.init)
        let brandWork = [BrandActivity.text(f.brandActivities).nilIfBlank, activities.isEmpty ? nil : "已记录 \(activities.count) 次活动"]
            .compactMap { $0 }.joined(separator: "，")
        let details: [Detail] = [
            detail("组织类型", f.orgType), detail("单位类别", f.unitCategory), detail("建团方式", f.buildMode),
            detail("筹建批复日期", f.preparationApprovedOn?.description), detail("成立日期", f.foundedOn?.description),
            detail("批复文号", f.approvalDocument),
            detail("书记", [f.secretaryName, f.secretaryPhone].compactMap { $0 }.joined(separator: " ")),
            detail("代理书记", [f.actingSecretaryName, f.actingSecretaryPhone].compactMap { $0 }.joined(separator: " ")),
            detail("团建指导员", f.instructorName), detail("团员数", f.memberCount.map(String.init)),
            detail("青年数", f.youthCount.map(String.init)), detail("双重管理", f.dualManagement ? "是" : nil),
            detail("县直主管部门", f.countyDepartment), detail("新建或联系指导", f.guidance.label),
            detail("品牌工作", brandWork, href: activities.isEmpty ? nil : "#activities"), detail("备注", f.notes),
        ].compactMap { $0 }
        // The next step forward is the usual change, so it is preselected.
        let next = Stage.allCases.first { ($0.rank ?? -1) == (f.stage.rank ?? -2) + 1 }
        // With no step forward (已建立), the list starts at the current stage, never at a move back.
        let chosen = stageForm.flatMap { Stage(text: $0.to) } ?? next ?? f.stage
        let stageTargets = f.stage.isEnded ? [] : Stage.allCases.map {
            Option(value: $0.rawValue, label: $0 == f.stage ? "\($0.label)（当前）" : $0.label, selected: $0 == chosen)
        }
        return try await req.view.render("organization", PageModel(
            layout: LayoutContext(title: f.name, area: .ledger, request: req),
            code: record.code, updateAction: SiteURL.organization(.value(record.code)).path,
            stageAction: SiteURL.organizationStage(.value(record.code)).path, name: f.name,
            township: township?.name ?? f.townshipCode, townshipCode: f.townshipCode,
            county: county, stage: f.stage.label, stageClass: f.stage.rawValue, version: record.version,
            details: details, coveredUnits: f.coveredUnits, hasCoveredUnits: !f.coveredUnits.isEmpty,
            activities: activities, pathHref: SiteURL.organizationPath(.value(record.code)).path, timeline: timeline, edits: edits,
            warnings: warnings, hasWarnings: !warnings.isEmpty,
            canEdit: editable, canViewAudit: req.currentUser?.policy.allowsSomewhere(.viewAudit) ?? false, isEnded: f.stage.isEnded,
            form: editable ? try await formModel(req, input: input ?? OrganizationInput(record), includeStage: false) : nil,
            stageTargets: stageTargets,
            stageDraft: StageDraft(effectiveOn: stageForm?.effectiveOn ?? CalendarDay.today().description,
                                   foundedOn: stageForm?.foundedOn ?? "", reason: stageForm?.reason ?? "",
                                   mergedInto: stageForm?.mergedInto ?? ""),
            people: people, hasPeople: !people.isEmpty,
            error: error, mergedInto: record.mergedIntoCode,
            mergedIntoHref: record.mergedIntoCode.map { SiteURL.organization(.value($0)).path },
            saved: (try? req.query.get(String.self, at: "saved")) != nil,
            review: try await ReviewPanel.load(req, record: record)))
    }

    static func update(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let input = try req.content.decode(OrganizationInput.self)
        let current = try await OrganizationStore.require(code, on: req.db)
        do {
            var fields = try input.fields(references: try await req.referenceLists())
            fields.stage = current.fields.stage
            if fields.townshipCode != current.fields.townshipCode {
                try await req.authorize(.editLedger, divisionCode: fields.townshipCode)
            }
            _ = try await OrganizationStore.update(code, fields, expectedVersion: try input.expectedVersion(),
                                                   checks: req.application.settings.organizationChecks, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.organization(.value(code)).path + "?saved=1", redirectType: .normal)
        } catch let error as any UserFacingError where ErrorPresentation(error).status != .notFound {
            req.refusalReason = error.message
            let response = try await render(req, record: current, input: input, error: error.message).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }

    struct StageForm: Content {
        var to: String
        var effectiveOn: String
        var reason: String?
        var mergedInto: String?
        var foundedOn: String?
        var version: String

        enum CodingKeys: String, CodingKey {
            case to, effectiveOn, reason, mergedInto, foundedOn, version
        }

        /// The version may come as text (a form) or a number (JSON).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            to = try c.decode(String.self, forKey: .to)
            effectiveOn = try c.decode(String.self, forKey: .effectiveOn)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            mergedInto = try c.decodeIfPresent(String.self, forKey: .mergedInto)
            foundedOn = try c.decodeIfPresent(String.self, forKey: .foundedOn)
            if let number = try? c.decode(Int.self, forKey: .version) { version = String(number) } else {
                version = try c.decode(String.self, forKey: .version)
            }
        }
    }

    static func changeStage(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let current = try await OrganizationStore.require(code, on: req.db)
        let submitted = try? req.content.decode(StageForm.self)
        do {
            let form = try req.content.decode(StageForm.self)
            let change = try stageChange(form)
            if let target = change.mergedInto?.nilIfBlank {
                try await req.authorizeOrganization(.view, code: target)
            }
            guard let version = Int(form.version) else { throw InvalidInput(field: "version", reason: "缺少版本号") }
            _ = try await OrganizationStore.changeStage(code, change, expectedVersion: version, checks: req.application.settings.organizationChecks,
                                                        by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.organization(.value(code)).path + "?saved=1", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            let response = try await render(req, record: current, input: nil, error: error.message, stageForm: submitted)
                .encodeResponse(for: req)
            response.status = ErrorPresentation(error).status == .notFound ? .badRequest : ErrorPresentation(error).status
            return response
        }
    }

    static func stageChange(_ form: StageForm) throws -> OrganizationStore.StageChange {
        guard let stage = Stage(text: form.to) else { throw InvalidInput(field: "新阶段", reason: "「\(form.to)」不是建设阶段") }
        return OrganizationStore.StageChange(
            to: stage, effectiveOn: try ValueParser.day(form.effectiveOn, field: "变更日期"), reason: form.reason?.nilIfBlank,
            mergedInto: form.mergedInto?.nilIfBlank,
            foundedOn: try form.foundedOn?.nilIfBlank.map { try ValueParser.day($0, field: "成立日期") })
    }
}

extension OrganizationInput {
    /// The stored record as the edit form shows it.
    init(_ record: OrganizationRecord) {
        let f = record.fields
        self.init(
            townshipCode: f.townshipCode, name: f.name, orgType: f.orgType, unitCategory: f.unitCategory, buildMode: f.buildMode,
            coveredUnits: f.coveredUnitsText, stage: f.stage.rawValue, preparationApprovedOn: f.preparationApprovedOn?.description,
            foundedOn: f.foundedOn?.description, approvalDocument: f.approvalDocument, secretaryName: f.secretaryName,
            secretaryPhone: f.secretaryPhone, actingSecretaryName: f.actingSecretaryName, actingSecretaryPhone: f.actingSecretaryPhone,
            instructorName: f.instructorName, memberCount: f.memberCount.map(String.init), youthCount: f.youthCount.map(String.init),
            dualManagement: f.dualManagement ? "是" : "否", countyDepartment: f.countyDepartment, guidance: f.guidance.rawValue,
            brandActivities: BrandActivity.allCases.filter(f.brandActivities.contains).map(\.rawValue), notes: f.notes,
            version: String(record.version))
    }
}

extension OrganizationController {

    /// The keys whose values differ between two recorded snapshots (JSON objects of text).
    static func changedKeys(before: String?, after: String?) -> [String] {
        func object(_ json: String?) -> [String: String] {
            guard let data = json?.data(using: .utf8),
                  let decoded = try? JSONDecoder().decode([String: String].self, from: data) else { return [:] }
            return decoded
        }
        let old = object(before), new = object(after)
        return Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }
}
