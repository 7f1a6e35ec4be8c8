import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the assessment pages show.
extension AssessmentController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected = false
    }

    struct ListRow: Encodable {
        var href: String
        var title: String
        var scope: String
        var year: Int
        var asOf: String
        var state: String
    }

    struct ListPage: Encodable {
        var layout: LayoutContext
        var rows: [ListRow]
        var canCreate: Bool
        var campaigns: [Option]
        var scopes: [Option]
        var year: String
        var asOf: String
        var action: String
        var error: String?
    }

    struct CheckedRow: Encodable {
        var unit: String
        var indicator: String
        var points: String
        var note: String
        var scoredBy: String
        var scoredAt: String
        /// The item's evidence files.
        var files: [FileLink]
    }

    struct FileLink: Encodable {
        var name: String
        var href: String
    }

    struct ResultLink: Encodable {
        var href: String
        var label: String
        var publishedAt: String
        var publishedBy: String
        var appealUntil: String
    }

    struct AppealRow: Encodable {
        var id: Int
        var unit: String
        var indicator: String
        var reason: String
        var filed: String
        var state: String
        var decision: String?
        var isOpen: Bool
        var decideAction: String
    }

    /// The scoring page: the rules, the table (preview or latest published), the breakdowns, the forms.
    struct ScoringPage: Encodable {
        var layout: LayoutContext
        var title: String
        var subtitle: String
        var listHref: String
        var rubricHref: String
        var isPublished: Bool
        var state: String
        var rules: AssessmentRules
        var table: AssessmentTable
        var results: [ResultLink]
        var canAssess: Bool
        var canEditRubric: Bool
        var units: [Option]
        var checkedIndicators: [Option]
        var scoreAction: String
        var scorePoints: String
        var scoreNote: String
        var checked: [CheckedRow]
        /// 对标定级: organizations score themselves first (自评), then the assessors review.
        var isOrganizationLevel: Bool
        var canSelfAssess: Bool
        var selfAction: String
        var selfUnits: [Option]
        var selfIndicators: [Option]
        var selfPoints: String
        var selfNote: String
        var selfScores: [CheckedRow]
        var unscored: [String]
        var publishAction: String
        var republishAction: String
        var pendingAppeals: Int
        var hasPendingAppeals: Bool
        var canDecide: Bool
        var appeals: [AppealRow]
        var appealsAction: String
        var error: String?

        init(_ req: Request, _ assessment: Assessment, rubric: AssessmentRubric, outcome: AssessmentOutcome, results: [AssessmentResult],
             appeals: [AssessmentAppeal], checked: [AssessmentStore.StoredCheckedScore], selfScores: [AssessmentStore.StoredCheckedScore],
             evidence: [AssessmentEvidence],
             canAssess: Bool, canSelfAssess: Bool, scoreForm: ScoreForm?, selfForm: ScoreForm?, error: String?) {
            let id = assessment.id
            let latest = results.last
            layout = LayoutContext(title: assessment.title, area: .assessment, request: req)
            title = assessment.title
            subtitle = "\(assessment.scopeName)考评所属\(assessment.unitLabel) · 考评日期 \(assessment.asOf.chinese) · 数据均取至考评日"
            listHref = SiteURL.assessments.path
            rubricHref = SiteURL.assessmentRubric(.value(id)).path
            isPublished = latest != nil
            state = latest.map { "已发布第 \($0.number) 号（第 \($0.version) 版，\(DisplayFormat.dateTime($0.publishedAt))）：下表为发布时冻结的结果，此后数据变化不影响它" }
                ?? "预览：下表按当前数据实时计算，发布后冻结"
            rules = AssessmentRules(rubric, outcome: outcome)
            table = AssessmentTable(outcome, rubric: rubric, sources: AssessmentSources(campaignID: assessment.campaignID, asOf: assessment.asOf,
                                                                                                   parentPath: assessment.scopePath, viewScope: (try? req.scope(for: .view)) ?? .within([])))
            self.results = results.reversed().map {
                ResultLink(href: SiteURL.assessmentResult(.value(id), .value($0.version)).path, label: "第 \($0.number) 号 · 第 \($0.version) 版",
                           publishedAt: DisplayFormat.dateTime($0.publishedAt), publishedBy: $0.publishedBy, appealUntil: $0.appealUntil.description)
            }
            self.canAssess = canAssess && latest == nil
            canEditRubric = canAssess && latest == nil
            units = outcome.eligible.map { Option(value: $0.code, label: $0.name, selected: $0.code == scoreForm?.unit) }
            checkedIndicators = rubric.indicators.filter { $0.kind == .checked }.map {
                Option(value: $0.key, label: "\($0.name)（满分 \($0.weight)）", selected: $0.key == scoreForm?.indicator)
            }
            scoreAction = SiteURL.assessmentScores(.value(id)).path
            scorePoints = scoreForm?.points ?? ""
            scoreNote = scoreForm?.note ?? ""
            let names = Dictionary(outcome.units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            let files = Dictionary(grouping: evidence) { "\($0.unitCode)|\($0.indicatorKey)" }
            func rows(_ scores: [AssessmentStore.StoredCheckedScore]) -> [CheckedRow] {
                scores.map {
                    CheckedRow(unit: names[$0.unitCode] ?? $0.unitCode, indicator: rubric.indicator($0.indicatorKey)?.name ?? $0.indicatorKey,
                               points: $0.score.points.description, note: $0.score.note, scoredBy: $0.score.scoredBy,
                               scoredAt: DisplayFormat.dateTime($0.scoredAt),
                               files: (files["\($0.unitCode)|\($0.indicatorKey)"] ?? []).map {
                                   FileLink(name: $0.fileName, href: SiteURL.assessmentEvidenceFile(.value(id), .value($0.id)).path)
                               })
                }
            }
            self.checked = rows(checked)
            isOrganizationLevel = assessment.isOrganizationLevel
            self.canSelfAssess = assessment.isOrganizationLevel && canSelfAssess && latest == nil
            selfAction = SiteURL.assessmentSelfScores(.value(id)).path
            selfUnits = outcome.eligible.sorted { $0.code < $1.code }
                .map { Option(value: $0.code, label: "\($0.name)（\($0.code)）", selected: $0.code == selfForm?.unit) }
            selfIndicators = rubric.indicators.filter { $0.kind == .checked }.map {
                Option(value: $0.key, label: "\($0.name)（满分 \($0.weight)）", selected: $0.key == selfForm?.indicator)
            }
            selfPoints = selfForm?.points ?? ""
            selfNote = selfForm?.note ?? ""
            self.selfScores = rows(selfScores)
            unscored = latest == nil ? outcome.unscored : []
            publishAction = SiteURL.assessmentPublish(.value(id)).path
            republishAction = SiteURL.assessmentRepublish(.value(id)).path
            pendingAppeals = canAssess ? appeals.filter(\.awaitsRepublication).count : 0
            hasPendingAppeals = pendingAppeals > 0
            canDecide = canAssess
            self.appeals = appeals.map { AppealRow($0, names: names, rubric: rubric, assessmentID: id) }
            appealsAction = SiteURL.assessmentAppeals(.value(id)).path
            self.error = error
        }
    }
}

extension AssessmentController.AppealRow {
    init(_ appeal: AssessmentAppeal, names: [String: String], rubric: AssessmentRubric, assessmentID: Int) {
        id = appeal.id
        unit = names[appeal.unitCode] ?? appeal.unitCode
        indicator = rubric.indicator(appeal.indicatorKey)?.name ?? appeal.indicatorKey
        reason = appeal.reason
        filed = "\(appeal.filedBy)于 \(DisplayFormat.dateTime(appeal.filedAt))对第 \(appeal.resultVersion) 版提出"
        isOpen = appeal.isOpen
        switch appeal.decision {
        case nil: state = "待答复"
        case .rejected: state = "维持原评分"
        case .accepted: state = appeal.appliedInVersion.map { "申诉成立，已改为 \(appeal.newPoints?.description ?? "") 分，见第 \($0) 版" }
            ?? "申诉成立，改为 \(appeal.newPoints?.description ?? "") 分，待重新发布"
        }
        decision = appeal.decisionNote.map { "\(appeal.decidedBy ?? "")：\($0)" }
        decideAction = SiteURL.assessmentAppealDecision(.value(assessmentID), .value(appeal.id)).path
    }
}

/// Where each measured figure can be seen in Taizhang (the page that shows it).
/// A unit the viewer may not open (another county, for a county's cadre reading the city's
/// assessment of all counties) gets no link.
struct AssessmentSources {
    var campaignID: Int
    var asOf: CalendarDay
    /// The assessing division's path: each unit is one of its children.
    var parentPath: String
    var viewScope: Scope

    func href(_ measure: MeasuredIndicator?, unit code: String) -> String? {
        guard viewScope.contains(DivisionPath.path(parentPath: parentPath, code: code)) else { return nil }
        return switch measure {
        case .completion: SiteURL.campaignArea(.value(campaignID), .value(code)).path + "?asOf=\(asOf)"
        case .reportsOnTime: SiteURL.campaignReports(.value(campaignID)).path + "?area=\(code)"
        case .verificationPass: SiteURL.ledger.path + "?division=\(code)&stage=founded"
        case .spotCheckReal: SiteURL.spotChecks.path
        case .liaisonCoverage: SiteURL.division(.value(code)).path
        case .conferenceMonthly: SiteURL.conferences.path + "?division=\(code)"
        case .visitRhythm: SiteURL.liaisons.path
        case .supervisionOnTime: SiteURL.supervision.path
        case .activityCoverage: SiteURL.activities.path + "?division=\(code)"
        case .demonstrationAccepted: SiteURL.demonstrations.path + "?campaign=\(campaignID)"
        case nil: nil
        }
    }
}

/// The rules in plain Chinese: indicators with formulas and curves, bands, caps, tie-break, eligibility.
struct AssessmentRules: Encodable {
    struct Indicator: Encodable {
        var name: String
        var weight: Int
        var kind: String
        var scoring: String
    }

    struct Band: Encodable {
        var label: String
        var stars: String
        var band: String
    }

    var indicators: [Indicator]
    var bands: [Band]
    var quotas: String
    var tieBreak: String
    var eligibility: String
    var appeal: String

    init(_ rubric: AssessmentRubric, outcome: AssessmentOutcome) {
        indicators = rubric.indicators.map { Indicator(name: $0.name, weight: $0.weight, kind: $0.kind.label, scoring: $0.scoring) }
        bands = StarGrade.allCases.reversed().map { Band(label: $0.label, stars: $0.stars, band: $0.band) }
        quotas = rubric.quotas.sentence(eligible: outcome.eligibleCount)
            + "。先按总分定星级，超出名额的单位按排序依次降一级，每次降级都写明原因。"
        tieBreak = rubric.tieBreakSentence + "。"
        eligibility = rubric.eligibility.sentence + "。"
        appeal = "结果发布后 \(rubric.appealDays) 天内，被考评单位可对单项评分提出申诉；申诉成立的，改定得分后重新发布新版本，并列出变化。"
    }
}

/// The table of units: place, each indicator's points, total, band, final grade, demotions, and each
/// unit's breakdown with where its figures come from.
struct AssessmentTable: Encodable {
    struct Cell: Encodable {
        var points: String
        var title: String
    }

    struct Line: Encodable {
        var name: String
        var weight: Int
        var figure: String
        var points: String
        var basis: String
        var href: String?
        var adjusted: String?
    }

    struct Row: Encodable {
        var position: String
        var code: String
        var anchorID: String
        var anchor: String
        var name: String
        var cells: [Cell]
        var total: String
        var band: String
        var stars: String
        var grade: String
        var demotions: [String]
        var isDemoted: Bool
        var needsRectification: Bool
        var lines: [Line]
    }

    struct Excluded: Encodable {
        var name: String
        var reason: String
    }

    var headers: [String]
    var rows: [Row]
    var excluded: [Excluded]
    var counts: String
    var demoted: [String]
    var rectification: String

    init(_ outcome: AssessmentOutcome, rubric: AssessmentRubric, sources: AssessmentSources) {
        headers = rubric.indicators.map { "\($0.name)（\($0.weight)）" }
        rows = outcome.eligible.map { unit in
            Row(position: unit.position.map(String.init) ?? "", code: unit.code, anchorID: "u\(unit.code)", anchor: "#u\(unit.code)", name: unit.name,
                cells: unit.lines.map { Cell(points: $0.points.description + ($0.isUnscored ? "＊" : ""), title: $0.basis) },
                total: unit.total.description, band: unit.band.label, stars: unit.grade.stars, grade: unit.grade.label,
                demotions: unit.demotions.map(\.reason), isDemoted: !unit.demotions.isEmpty, needsRectification: unit.needsRectification,
                lines: unit.lines.map { line in
                    Line(name: line.name, weight: line.weight, figure: line.value.map { value in
                        (line.measure?.figure(value) ?? String(format: "%.1f%%", value)) + (line.rank.map { "（第 \($0) 名）" } ?? "")
                    } ?? "—",
                         points: line.points.description, basis: line.basis, href: sources.href(line.measure, unit: unit.code),
                         adjusted: line.adjustedFrom.map { "原为 \($0) 分" })
                })
        }
        excluded = outcome.units.filter { !$0.isEligible }.map { Excluded(name: $0.name, reason: $0.ineligibleReason ?? "") }
        counts = "参评 \(outcome.eligibleCount) 个：五星级 \(outcome.count(.five)) 个、四星级 \(outcome.count(.four)) 个、三星级 \(outcome.count(.three)) 个、"
            + "二星级 \(outcome.count(.two)) 个、不定级 \(outcome.count(.unrated)) 个"
        demoted = outcome.demoted.flatMap { unit in unit.demotions.map { "\(unit.name)：\($0.reason)" } }
        rectification = outcome.rectification.isEmpty ? "" : outcome.rectification.map(\.name).joined(separator: "、") + "总分不满 60 分，不定级，列入整改。"
    }
}
