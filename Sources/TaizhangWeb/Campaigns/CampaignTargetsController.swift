import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// A campaign's targets (指标分配): the split of one area over its children, allocation by
/// method with a preview, counties' proposals and the city's decisions, and the history.
enum CampaignTargetsController {

    struct Settings: Encodable {
        var name: String
        var start: String
        var deadline: String
        var target: Int
        var newOnly: Bool
        var withinWindow: Bool
        var confirmations: [ConfirmationOption]
        var region: String
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, campaign: try req.requireCampaign(), error: nil, status: .ok)
    }

    static func parentArea(_ req: Request, campaign: Campaign, code: String?) async throws -> CampaignArea {
        guard let code = code?.nilIfBlank else { return try await CampaignDashboard.landingArea(campaign, req: req) }
        return try await CampaignDashboard.area(code, campaign: campaign, req: req)
    }

    static func render(_ req: Request, campaign: Campaign, error: String?, status: HTTPStatus, preview: [CampaignStore.Share] = [],
                       previewNote: String = "", parentCode: String? = nil, weights: WeightRule = .init(), method: String = "equal",
                       proposedShares: [String: String] = [:], form: AllocationForm? = nil, excluded: Set<String>? = nil) async throws -> Response {
        let user = try req.requireUser()
        let parentCode = parentCode ?? req.query[String.self, at: "parent"]
        let parent = try await parentArea(req, campaign: campaign, code: parentCode)
        let children = try await CampaignStore.children(of: parent, on: req.db)
        let targets = try await CampaignStore.targets(campaign.id, codes: [parent.code] + children.map(\.code), on: req.db)
        var breadcrumbs: [Link] = []
        if let division = try await DivisionQueries.find(parent.code, on: req.db) {
            for ancestor in try await DivisionQueries.ancestors(of: division, on: req.db)
            where campaign.region.contains(ancestor.path) && user.policy.allows(.view, at: ancestor.path) {
                breadcrumbs.append(.init(label: ancestor.name,
                                         href: SiteURL.campaignTargets(.value(campaign.id)).path + "?parent=\(ancestor.code)"))
            }
        }
        let names = Dictionary(uniqueKeysWithValues: children.map { ($0.code, $0.name) })
        let proposals = try await CampaignStore.proposals(campaign.id, under: try req.scope(for: .view), on: req.db)
        var areaNames: [String: String] = [:]
        for code in Set(proposals.map(\.divisionCode)) { areaNames[code] = try await CampaignStore.area(code, on: req.db)?.name ?? code }
        var changeNames = names
        changeNames[parent.code] = parent.name
        // This level's history: the area itself and its direct children.
        let changes = try await CampaignStore.changes(campaign.id, under: parent.path, limit: 1000, on: req.db)
            .filter { changeNames[$0.divisionCode] != nil }.prefix(200)
        var shareNames: [String: String] = [:]
        var current: [String: Int] = [:]
        for proposal in proposals {
            current.merge(try await CampaignStore.targets(campaign.id, codes: Array(proposal.shares.keys), on: req.db)) { $1 }
            for code in proposal.shares.keys where shareNames[code] == nil {
                shareNames[code] = try await CampaignStore.area(code, on: req.db)?.name ?? code
            }
        }
        let page = Page(
            layout: LayoutContext(title: "\(campaign.name) · 指标分配", area: .targets, request: req),
            campaignLinks: CampaignLinks(campaign.id), campaignName: campaign.name, version: campaign.version,
            settings: Settings(name: campaign.name, start: campaign.start.description, deadline: campaign.deadline.description,
                               target: campaign.target, newOnly: campaign.rule.newOnly, withinWindow: campaign.rule.withinWindow,
                               confirmations: ConfirmationOption.all(selected: campaign.rule.confirmation),
                               region: try await CampaignStore.regionArea(campaign, on: req.db).name),
            parentCode: parent.code, parentAreaHref: SiteURL.campaignArea(.value(campaign.id), .value(parent.code)).path,
            parentName: parent.name, parentTarget: targets[parent.code].map(String.init) ?? "未分配",
            childrenSum: children.reduce(0) { $0 + (targets[$1.code] ?? 0) }, breadcrumbs: breadcrumbs,
            rows: children.map { child in
                ShareRow(code: child.code, name: child.name,
                         href: child.level == .township ? nil : SiteURL.campaignTargets(.value(campaign.id)).path + "?parent=\(child.code)",
                         target: targets[child.code].map(String.init) ?? "", proposed: proposedShares[child.code] ?? targets[child.code].map(String.init) ?? "",
                         previous: "", changed: false, parentName: parent.name,
                         // A unit the city set to 0 stays out of the next split unless unticked.
                         excluded: excluded.map { $0.contains(child.code) } ?? ((targets[parent.code] ?? 0) > 0 && targets[child.code] == 0))
            },
            preview: preview.map { share in
                ShareRow(code: share.code, name: share.name, href: nil, target: String(share.target), proposed: "",
                         previous: share.previous.map(String.init) ?? "—", changed: share.previous != share.target,
                         parentName: names[share.parentCode] ?? (share.parentCode == parent.code ? parent.name : share.parentCode))
            },
            hasPreview: !preview.isEmpty, previewNote: previewNote,
            canManage: user.policy.allows(.manageCampaigns, at: campaign.regionPath),
            canPropose: user.policy.allows(.proposeTargets, at: parent.path) && !children.isEmpty && parent.level == .county,
            proposals: proposals.map { proposal in
                ProposalRow(id: proposal.id,
                            decisionAction: SiteURL.campaignProposalDecision(.value(campaign.id), .value(proposal.id)).path,
                            area: areaNames[proposal.divisionCode] ?? proposal.divisionCode, reason: proposal.reason,
                            status: proposal.status.label, isPending: proposal.status == .pending, proposedBy: proposal.proposedBy,
                            proposedAt: DisplayFormat.dateTime(proposal.proposedAt),
                            decision: [proposal.decidedBy, proposal.decisionNote].compactMap { $0 }.joined(separator: "："),
                            shares: proposal.shares.sorted { $0.key < $1.key }
                                .filter { proposal.status != .pending || current[$0.key] != $0.value }
                                .map { "\(shareNames[$0.key] ?? $0.key) \(proposal.status == .pending ? "\(current[$0.key].map(String.init) ?? "—")→" : "")\($0.value)" }
                                .joined(separator: "，"))
            },
            changes: changes.map { change in
                ChangeRow(area: changeNames[change.divisionCode] ?? change.divisionCode,
                          change: "\(change.oldTarget.map(String.init) ?? "—") → \(change.newTarget)", method: methodLabel(change.method),
                          reason: change.reason ?? "", actor: change.actorName, at: DisplayFormat.dateTime(change.changedAt))
            },
            weights: weights, method: method, cascade: form?.cascade == "1", reason: form?.reason ?? "",
            planDigest: preview.isEmpty ? "" : planDigest(preview), error: error)
        return try await req.view.render("campaign-targets", page).encodeResponse(status: status, for: req)
    }

    static func methodLabel(_ method: String) -> String {
        if let known = TargetAllocation.Method(rawValue: method) { return known.label }
        switch method {
        case "create": return "新建活动"
        case "rescale": return "按比例调整"
        case "move": return "乡镇迁移"
        default: return method
        }
    }

    struct AllocationForm: Content {
        var parentCode: String
        var method: String
        var cascade: String?
        var reason: String?
        var action: String?
        var base: String?
        var perCommitteeMember: String?
        var perThousandYouth: String?
        var countySeat: String?
        var smallTown: String?
        var developed: String?
        var floorPerTownship: String?
        var planDigest: String?
    }

    /// A fingerprint of a plan (every unit and its new target), carried from the preview to the save.
    static func planDigest(_ shares: [CampaignStore.Share]) -> String {
        shares.map { "\($0.code)=\($0.target)" }.joined(separator: ";").sha256Hex
    }

    /// The `exclude_<code>` boxes ticked on the form.
    static func excluded(_ req: Request) throws -> Set<String> {
        Set(try req.content.decode([String: String].self).keys.filter { $0.hasPrefix("exclude_") }.map { String($0.dropFirst(8)) })
    }

    /// Reads `share_<code>` fields as child code → target, naming any that is not a whole number.
    static func shares(_ req: Request) throws -> (values: [String: Int], raw: [String: String]) {
        let all = try req.content.decode([String: String].self)
        var values: [String: Int] = [:]
        var raw: [String: String] = [:]
        var problems: [String] = []
        for (key, text) in all where key.hasPrefix("share_") {
            let code = String(key.dropFirst(6))
            raw[code] = text
            do { values[code] = try ValueParser.integer(text, field: "「\(code)」的指标") } catch let error as InvalidInput { problems.append(error.message) }
        }
        guard problems.isEmpty else { throw Refusal(problems.sorted().joined(separator: "；")) }
        return (values, raw)
    }

    static func weights(_ form: AllocationForm) throws -> WeightRule {
        func number(_ text: String?, _ field: String, _ fallback: Double) throws -> Double {
            guard let text = text?.nilIfBlank else { return fallback }
            guard let value = Double(ValueParser.normalize(text)), value.isFinite else {
                throw Refusal("\(field)：「\(text)」不是数字")
            }
            return value
        }
        let defaults = WeightRule()
        let floorText = form.floorPerTownship?.nilIfBlank
        let floor = try floorText.map { try ValueParser.integer($0, field: "每乡镇保底") } ?? defaults.floorPerTownship
        let rule = WeightRule(base: try number(form.base, "基础权重", defaults.base),
                              perCommitteeMember: try number(form.perCommitteeMember, "每名委员", defaults.perCommitteeMember),
                              perThousandYouth: try number(form.perThousandYouth, "每千名青年", defaults.perThousandYouth),
                              countySeat: try number(form.countySeat, "城关镇加权", defaults.countySeat),
                              smallTown: try number(form.smallTown, "小城镇加权", defaults.smallTown),
                              developed: try number(form.developed, "经济发达乡镇加权", defaults.developed), floorPerTownship: floor)
        try rule.validate()
        return rule
    }

    /// Previews (`action=preview`) or saves an allocation under one area.
    static func allocate(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(AllocationForm.self)
        var weights = WeightRule()
        let excludedCodes = try excluded(req)
        let rawShares = (try? shares(req).raw) ?? [:]
        do {
            weights = try self.weights(form)
            guard let method = TargetAllocation.Method(rawValue: form.method) else {
                throw Refusal("分配方法：「\(form.method)」不是可选的方法（equal、weighted、manual）")
            }
            _ = try await CampaignDashboard.area(form.parentCode, campaign: campaign, req: req)
            let allocation = CampaignStore.Allocation(parentCode: form.parentCode, method: method, weights: weights,
                                                      manualShares: method == .manual ? try shares(req).values : [:],
                                                      cascade: form.cascade == "1", reason: form.reason, excluded: excludedCodes)
            if form.action == "preview" {
                let preview = try await CampaignStore.preview(campaign.id, allocation, on: req.db)
                return try await render(req, campaign: campaign, error: nil, status: .ok, preview: preview,
                                        previewNote: "以下为\(method.label)的预览（\(preview.count) 个单位），尚未保存", parentCode: form.parentCode,
                                        weights: weights, method: method.rawValue, proposedShares: rawShares, form: form, excluded: excludedCodes)
            }
            // Saved only if it is still exactly the plan that was previewed.
            if let digest = form.planDigest?.nilIfBlank {
                let now = try await CampaignStore.preview(campaign.id, allocation, on: req.db)
                guard planDigest(now) == digest else {
                    throw Refusal("保存的分配与预览不一致（预览后改了表单，或指标、区划已被他人修改）：请重新预览后再保存", kind: .conflict)
                }
            }
            try await CampaignStore.allocate(campaign.id, allocation, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignTargets(.value(campaign.id)).path + "?parent=\(form.parentCode)", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, campaign: campaign, error: error.message, status: error.kind == .conflict ? .conflict : .badRequest,
                                    parentCode: form.parentCode, weights: weights, method: form.method, proposedShares: rawShares, form: form,
                                    excluded: excludedCodes)
        }
    }

    struct ProposalForm: Content {
        var parentCode: String
        var reason: String?
    }

    static func propose(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(ProposalForm.self)
        let area = try await CampaignDashboard.area(form.parentCode, campaign: campaign, req: req)
        guard try req.requireUser().policy.allows(.proposeTargets, at: area.path) else { throw AccessDenied.notPermitted(area.name) }
        var raw: [String: String] = [:]
        do {
            let parsed = try shares(req)
            raw = parsed.raw
            try await CampaignStore.propose(campaign.id, divisionCode: area.code, shares: parsed.values, reason: form.reason ?? "",
                                            by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignTargets(.value(campaign.id)).path + "?parent=\(area.code)", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, campaign: campaign, error: error.message, status: .badRequest, parentCode: area.code,
                                    proposedShares: raw)
        }
    }

    struct DecisionForm: Content {
        var decision: String
        var note: String?
    }

    static func decide(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(DecisionForm.self)
        guard let id = req.parameters.get("proposalID", as: Int.self),
              let proposal = try? await CampaignStore.proposal(id, on: req.db), proposal.campaignID == campaign.id else {
            throw Refusal("找不到该调整方案", kind: .notFound)
        }
        do {
            guard ["accept", "reject"].contains(form.decision) else { throw Refusal("处理意见：应为采纳（accept）或不采纳（reject）") }
            try await CampaignStore.decide(id, accept: form.decision == "accept", note: form.note, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignTargets(.value(campaign.id)).path + "?parent=\(proposal.divisionCode)",
                                redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, campaign: campaign, error: error.message, status: error.kind == .conflict ? .conflict : .badRequest,
                                    parentCode: proposal.divisionCode)
        }
    }
}

/// A choice of the counting rule's confirmation level in a campaign's settings form.
struct ConfirmationOption: Encodable {
    var value: String
    var label: String
    var selected: Bool

    static func all(selected: ConfirmationRule) -> [ConfirmationOption] {
        ConfirmationRule.allCases.map { ConfirmationOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }
}
