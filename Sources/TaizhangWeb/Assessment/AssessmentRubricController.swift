import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 考评方案 (`/assessments/{id}/rubric`): the rubric editor — indicators with weights, data sources
/// and curves, checked items, eligibility, star quotas, the tie-break and the appeal window. A save
/// that does not add up is shown again with each problem beside its field.
enum AssessmentRubricController {
    /// Blank rows offered for new indicators.
    static let blankRows = 2

    static func show(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessment(req)
        return try await render(req, assessment, rows: assessment.rubric.indicators.map(IndicatorRow.init) + blank(after: assessment.rubric.indicators.count),
                                settings: Settings(assessment.rubric), version: assessment.rubricVersion, problems: [], status: .ok)
    }

    static func save(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessing(req)
        let form = try req.content.decode([String: String].self)
        let rows = (0..<(Int(form["rows"] ?? "") ?? 0)).map { IndicatorRow(form: form, index: $0) }.filter { !$0.isBlank }
        let settings = Settings(form: form)
        let version = Int(form["version"] ?? "") ?? -1
        var problems: [InvalidInput] = []
        let indicators = rows.enumerated().map { index, row in row.indicator(position: index + 1, problems: &problems) }
        let rubric = settings.rubric(indicators: indicators, problems: &problems)
        do {
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            _ = try await AssessmentStore.saveRubric(assessment.id, rubric, expectedVersion: version, scope: try req.scope(for: AssessmentController.assessing),
                                                     by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            let all = problems.isEmpty ? rubric.problems(forOrganizations: assessment.isOrganizationLevel) : problems
            return try await render(req, assessment, rows: rows + blank(after: rows.count), settings: settings, version: version,
                                    problems: all.isEmpty ? [InvalidInput(field: "考评方案", reason: error.message)] : all,
                                    status: ErrorPresentation(error).status)
        }
    }

    static func blank(after count: Int) -> [IndicatorRow] {
        (0..<blankRows).map { IndicatorRow(key: "i\(count + $0 + 1)") }
    }

    struct Page: Encodable {
        var layout: LayoutContext
        var title: String
        var assessmentHref: String
        var action: String
        var canEdit: Bool
        var version: Int
        var rowCount: Int
        var rows: [IndicatorRow]
        var settings: Settings
        var measures: [AssessmentController.Option]
        var tieBreakOptions: [AssessmentController.Option]
        var totalWeight: Int
        var problems: [String]
    }

    static func render(_ req: Request, _ assessment: Assessment, rows: [IndicatorRow], settings: Settings, version: Int, problems: [InvalidInput],
                       status: HTTPStatus) async throws -> Response {
        var rows = rows
        for index in rows.indices {
            let place = "第 \(index + 1) 项指标"
            rows[index].index = index
            rows[index].number = index + 1
            rows[index].problems = problems.filter { $0.field.hasPrefix(place) }.map(\.message)
        }
        let published = try await AssessmentStore.results(assessment.id, on: req.db).last != nil
        let assessScope = try req.scope(for: AssessmentController.assessing)
        let canEdit = !published && assessScope.contains(assessment.scopePath)
        let page = Page(
            layout: LayoutContext(title: "考评方案 · \(assessment.title)", area: .assessment, request: req), title: assessment.title,
            assessmentHref: SiteURL.assessment(.value(assessment.id)).path, action: SiteURL.assessmentRubric(.value(assessment.id)).path,
            canEdit: canEdit, version: version, rowCount: rows.count, rows: rows, settings: settings,
            measures: MeasuredIndicator.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            tieBreakOptions: MeasuredIndicator.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            totalWeight: rows.compactMap { Int($0.weight) }.reduce(0, +),
            problems: problems.filter { !$0.field.hasPrefix("第 ") }.map(\.message))
        return try await req.view.render("assessment-rubric", page).encodeResponse(status: status, for: req)
    }
}

/// One indicator as the form shows and sends it (every value as typed).
struct IndicatorRow: Encodable {
    var index = 0
    var number = 1
    var key: String
    var name = ""
    var weight = ""
    var kind = AssessmentIndicator.Kind.measured.rawValue
    var measure = MeasuredIndicator.completion.rawValue
    var curve = "linear"
    var floor = "60"
    var full = "100"
    var top = "3"
    var step = "1"
    var noData = AssessmentIndicator.NoData.fullMarks.rawValue
    var guidance = ""
    var problems: [String] = []

    var isBlank: Bool { name.trimmingCharacters(in: .whitespaces).isEmpty && weight.trimmingCharacters(in: .whitespaces).isEmpty }
    var isChecked: Bool { kind == AssessmentIndicator.Kind.checked.rawValue }
    var isRank: Bool { curve == "rank" }
    var isZeroWhenNoData: Bool { noData == AssessmentIndicator.NoData.zero.rawValue }

    init(key: String) { self.key = key }

    init(_ indicator: AssessmentIndicator) {
        key = indicator.key
        name = indicator.name
        weight = String(indicator.weight)
        kind = indicator.kind.rawValue
        measure = indicator.measure?.rawValue ?? measure
        noData = (indicator.noData ?? .fullMarks).rawValue
        guidance = indicator.guidance ?? ""
        switch indicator.curve {
        case .linear(let f, let u): curve = "linear"; floor = ScoreCurve.number(f); full = ScoreCurve.number(u)
        case .rank(let t, let s): curve = "rank"; top = String(t); step = ScoreCurve.number(s)
        case nil: break
        }
    }

    init(form: [String: String], index: Int) {
        func value(_ name: String) -> String { form["\(name)\(index)"]?.trimmingCharacters(in: .whitespaces) ?? "" }
        key = value("key").nilIfBlank ?? "i\(index + 1)"
        name = value("name")
        weight = value("weight")
        kind = value("kind")
        measure = value("measure")
        curve = value("curve")
        floor = value("floor")
        full = value("full")
        top = value("top")
        step = value("step")
        noData = value("noData")
        guidance = form["guidance\(index)"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// The indicator, with every value that is not a number or not a choice named in `problems`.
    func indicator(position: Int, problems: inout [InvalidInput]) -> AssessmentIndicator {
        let place = "第 \(position) 项指标「\(name)」"
        func number(_ text: String, _ label: String) -> Double {
            guard let value = Double(text), value.isFinite else {
                problems.append(.init(field: "\(place)\(label)", reason: "「\(text)」不是数字"))
                return 0
            }
            return value
        }
        let points = Int(weight) ?? {
            problems.append(.init(field: "\(place)分值", reason: "「\(weight)」不是整数"))
            return 0
        }()
        guard let kind = AssessmentIndicator.Kind(rawValue: kind) else {
            problems.append(.init(field: "\(place)类型", reason: "请选择数据类或检查类"))
            return .checked(key, name, weight: points, guidance: guidance)
        }
        if kind == .checked { return .checked(key, name, weight: points, guidance: guidance.nilIfBlank ?? "") }
        guard let measure = MeasuredIndicator(rawValue: measure) else {
            problems.append(.init(field: "\(place)数据来源", reason: "请选择一项可计算的数据"))
            return .checked(key, name, weight: points, guidance: "")
        }
        let curve: ScoreCurve = self.curve == "rank"
            ? .rank(top: Int(top) ?? { problems.append(.init(field: "\(place)满分名次", reason: "「\(top)」不是整数")); return 0 }(),
                    step: number(step, "每名次扣分"))
            : .linear(floor: number(floor, "下限"), full: number(full, "满分线"))
        return .measured(key, name, weight: points, measure, curve, noData: AssessmentIndicator.NoData(rawValue: noData) ?? .fullMarks)
    }
}

/// The rubric's settings besides the indicators, as typed.
struct Settings: Encodable {
    var requiresTarget: Bool
    var minimumMonths: String
    var exclusions: String
    var fiveStarPercent: String
    var fourOrBetterPercent: String
    var tieBreak0: String
    var tieBreak1: String
    var appealDays: String

    init(_ rubric: AssessmentRubric) {
        requiresTarget = rubric.eligibility.requiresTarget
        minimumMonths = String(rubric.eligibility.minimumMonths)
        exclusions = rubric.eligibility.exclusions.map { "\($0.code) \($0.reason)" }.joined(separator: "\n")
        fiveStarPercent = String(rubric.quotas.fiveStarPercent)
        fourOrBetterPercent = String(rubric.quotas.fourOrBetterPercent)
        tieBreak0 = rubric.tieBreak.first?.rawValue ?? ""
        tieBreak1 = rubric.tieBreak.dropFirst().first?.rawValue ?? ""
        appealDays = String(rubric.appealDays)
    }

    init(form: [String: String]) {
        requiresTarget = form["requiresTarget"] != nil
        minimumMonths = form["minimumMonths"]?.trimmingCharacters(in: .whitespaces) ?? ""
        exclusions = form["exclusions"] ?? ""
        fiveStarPercent = form["fiveStarPercent"]?.trimmingCharacters(in: .whitespaces) ?? ""
        fourOrBetterPercent = form["fourOrBetterPercent"]?.trimmingCharacters(in: .whitespaces) ?? ""
        tieBreak0 = form["tieBreak0"] ?? ""
        tieBreak1 = form["tieBreak1"] ?? ""
        appealDays = form["appealDays"]?.trimmingCharacters(in: .whitespaces) ?? ""
    }

    func rubric(indicators: [AssessmentIndicator], problems: inout [InvalidInput]) -> AssessmentRubric {
        func integer(_ text: String, _ field: String) -> Int {
            guard let value = Int(text) else { problems.append(.init(field: field, reason: "「\(text)」不是整数")); return 0 }
            return value
        }
        var exclusions: [AssessmentEligibility.Exclusion] = []
        for (number, line) in self.exclusions.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.trimmingCharacters(in: .whitespaces).split(maxSplits: 1, whereSeparator: \.isWhitespace).map(String.init)
            guard let code = parts.first, !code.isEmpty else { continue }
            guard parts.count == 2 else {
                problems.append(.init(field: "不参评单位第 \(number + 1) 行", reason: "应写作“单位代码 原因”，如“350526 受灾停止考评”"))
                continue
            }
            exclusions.append(.init(code: code, reason: parts[1]))
        }
        return AssessmentRubric(
            indicators: indicators,
            eligibility: AssessmentEligibility(requiresTarget: requiresTarget, minimumMonths: integer(minimumMonths, "参评条件设立月数"), exclusions: exclusions),
            quotas: StarQuotas(fiveStarPercent: integer(fiveStarPercent, "五星级比例"), fourOrBetterPercent: integer(fourOrBetterPercent, "四星级及以上比例")),
            tieBreak: [tieBreak0, tieBreak1].compactMap(MeasuredIndicator.init(rawValue:)), appealDays: integer(appealDays, "申诉期限"))
    }
}
