import Foundation
import TaizhangCore
import TaizhangStore

extension SpotCheckController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// A division one may draw over, with the strata that fit it.
    struct ScopeChoice {
        var code: String
        var label: String
        var stratifyBy: String

        init(division: Division) {
            code = division.code
            label = "\(division.name)（\(division.level == .county ? "按乡镇分层" : "按县分层")）"
            stratifyBy = division.level == .county ? "township" : "county"
        }
    }

    struct ListRow: Encodable {
        var href: String
        var reportHref: String
        var number: String
        var campaign: String
        var scope: String
        var asOf: String
        var design: String
        var frameSize: Int
        var sampleSize: Int
        var seed: String
        var createdBy: String
        var createdAt: String
    }

    struct IndexPage: Encodable {
        var layout: LayoutContext
        var rows: [ListRow]
        var canDraw: Bool
        var drawAction: String
        var campaigns: [Option]
        var scopes: [Option]
        var stratifications: [Option]
        var categories: [Option]
        var modes: [Option]
        var form: SpotCheckForm
        var fixedChosen: Bool
        var flaggedFirst: Bool
        var apiHref: String
        var error: String?
    }

    struct StratumRow: Encodable {
        var code: String
        var name: String
        var frameSize: Int
        var flaggedSize: Int
        var sampleSize: Int
    }

    struct SampleRow: Encodable {
        var id: String
        var code: String
        var name: String
        var href: String
        var township: String
        var stratum: String
        var position: Int
        var flagged: Bool
        var outcome: String
        var outcomeClass: String
        var checker: String
        var visitedOn: String
        /// The form's date: the recorded visit, or today.
        var visitDefault: String
        var wrongFields: String
        var notes: String
        var recordedBy: String
        var action: String
        var outcomes: [Option]
        var fields: [Option]
        var failed: Bool
    }

    struct ShowPage: Encodable {
        var layout: LayoutContext
        var title: String
        var listHref: String
        var reportHref: String
        var apiHref: String
        var campaignName: String
        var scopeName: String
        var asOf: String
        var design: String
        var filters: String
        var seed: String
        var frameSize: Int
        var sampleSize: Int
        var frameHash: String
        var createdBy: String
        var createdAt: String
        var strata: [StratumRow]
        var redrawMatches: Bool
        var redrawText: String
        var ledgerMoved: String?
        var compareHref: String
        var samples: [SampleRow]
        var recorded: Int
        var canRecord: Bool
        var error: String?

        init(_ spotCheck: SpotCheck, samples: [SpotCheckSample], redraw: SpotCheckRedraw, campaignName: String, canRecord: Bool,
             error: String?, failedCode: String?, layout: LayoutContext) {
            self.layout = layout
            title = "数据抽查第 \(spotCheck.id) 号 · \(spotCheck.scopeName)"
            listHref = SiteURL.spotChecks.path
            reportHref = SiteURL.spotCheckReport(.value(spotCheck.id)).path
            apiHref = APIURL.spotCheck(.value(spotCheck.id)).path
            self.campaignName = campaignName
            scopeName = spotCheck.scopeName
            asOf = spotCheck.asOf.description
            design = spotCheck.design.label
            filters = spotCheck.filters.label
            seed = spotCheck.seed.description
            frameSize = spotCheck.frameSize
            sampleSize = spotCheck.sampleSize
            frameHash = spotCheck.frameHash
            createdBy = spotCheck.createdBy
            createdAt = DisplayFormat.dateTime(spotCheck.createdAt)
            let names = Dictionary(spotCheck.strata.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
            strata = spotCheck.strata.map { StratumRow(code: $0.code, name: $0.name, frameSize: $0.frameSize, flaggedSize: $0.flaggedSize, sampleSize: $0.sampleSize) }
            redrawMatches = redraw.matches
            redrawText = redraw.matches
                ? "一致：按保存的抽样框重新计算 SHA-256 为 \(redraw.recomputedHash)，与保存值相同；用种子 \(spotCheck.seed) 重新抽取，得到的样本与保存的样本逐一相同。"
                : "不一致：保存的 SHA-256 为 \(redraw.storedHash)，重新计算为 \(redraw.recomputedHash)；重新抽取的样本\(redraw.sampleMatches ? "相同" : "与保存的不同")。请联系系统管理员。"
            compareHref = SiteURL.spotCheck(.value(spotCheck.id)).path + "?compare=ledger#redraw"
            if let added = redraw.addedSince, let removed = redraw.removedSince {
                ledgerMoved = added + removed == 0 ? "与当前台账比较：按同一口径，现在的抽样框与抽样时相同。"
                    : "与当前台账比较：按同一口径，现在的抽样框比抽样时多 \(added) 个、少 \(removed) 个（如核查为不属实的团组织已不再计入）。复核仍以抽样时保存的抽样框为准。"
            }
            let today = CalendarDay.today()
            self.samples = samples.map { sample in
                let finding = sample.finding
                return SampleRow(
                    id: "sample-\(sample.code)", code: sample.code, name: sample.name, href: SiteURL.organization(.value(sample.code)).path,
                    township: sample.townshipName, stratum: names[sample.stratumCode] ?? sample.stratumCode, position: sample.position,
                    flagged: sample.flagged, outcome: finding?.outcome.label ?? "待核查",
                    outcomeClass: finding.map { $0.outcome == .notReal ? "bad" : $0.outcome == .wrongDetails ? "warn" : "ok" } ?? "muted",
                    checker: finding?.checker ?? "", visitedOn: finding?.visitedOn.description ?? "",
                    visitDefault: (finding?.visitedOn ?? today).description,
                    wrongFields: finding?.wrongFields.joined(separator: "、") ?? "", notes: finding?.notes ?? "",
                    recordedBy: sample.recordedBy.map { by in "\(by)（\(sample.recordedAt.map(DisplayFormat.dateTime) ?? "")）" } ?? "",
                    action: SiteURL.spotCheckOutcome(.value(spotCheck.id), .value(sample.code)).path,
                    outcomes: SpotCheckOutcome.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == (finding?.outcome ?? .real)) },
                    fields: SpotCheckFinding.fieldChoices.map { Option(value: $0, label: $0, selected: finding?.wrongFields.contains($0) ?? false) },
                    failed: sample.code == failedCode)
            }
            recorded = samples.filter { $0.finding != nil }.count
            self.canRecord = canRecord
            self.error = error
        }
    }
}
