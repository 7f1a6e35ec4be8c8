import Foundation
import TaizhangCore

/// A spot check (数据抽查) as stored: where and when its frame was taken, how it was drawn, and
/// what makes the draw repeatable (the seed, the frame's fingerprint, the frame itself).
public struct SpotCheck: Sendable, Equatable {
    public var id: Int
    public var campaignID: Int
    public var scopeCode: String
    public var scopePath: String
    public var scopeName: String
    public var asOf: CalendarDay
    public var filters: SpotCheckFilters
    public var design: SpotCheckDesign
    public var seed: SpotCheckSeed
    public var frameSize: Int
    public var frameHash: String
    public var strata: [SpotCheckDraw.Stratum]
    public var createdBy: String
    public var createdAt: Date

    public var sampleSize: Int { strata.map(\.sampleSize).reduce(0, +) }
}

/// What narrows the frame beyond the campaign's counting rule.
public struct SpotCheckFilters: Sendable, Equatable, Codable {
    /// 单位类别
    public var unitCategory: String?
    /// 建团方式
    public var buildMode: String?

    public init(unitCategory: String? = nil, buildMode: String? = nil) {
        self.unitCategory = unitCategory?.nilIfBlank
        self.buildMode = buildMode?.nilIfBlank
    }

    public var label: String {
        let parts = [unitCategory.map { "单位类别：\($0)" }, buildMode.map { "建团方式：\($0)" }].compactMap { $0 }
        return parts.isEmpty ? "无" : parts.joined(separator: "；")
    }
}

/// A draw as asked for on the form or through the API.
public struct SpotCheckRequest: Sendable {
    public var campaignID: Int
    /// The division drawn over; its subtree (inside the campaign's region) is the frame's.
    public var scopeCode: String
    public var asOf: CalendarDay
    public var filters: SpotCheckFilters
    public var design: SpotCheckDesign
    public var seed: SpotCheckSeed

    public init(campaignID: Int, scopeCode: String, asOf: CalendarDay, filters: SpotCheckFilters = .init(),
                design: SpotCheckDesign, seed: SpotCheckSeed) {
        self.campaignID = campaignID
        self.scopeCode = scopeCode
        self.asOf = asOf
        self.filters = filters
        self.design = design
        self.seed = seed
    }
}

/// A sampled organization with what its checker found (nil until recorded).
public struct SpotCheckSample: Sendable, Equatable {
    public var code: String
    public var name: String
    public var townshipName: String
    public var stratumCode: String
    public var position: Int
    public var flagged: Bool
    public var finding: SpotCheckFinding?
    public var recordedBy: String?
    public var recordedAt: Date?
}

/// What a checker found on a visit.
public struct SpotCheckFinding: Sendable, Equatable, Codable {
    public var outcome: SpotCheckOutcome
    public var checker: String
    public var visitedOn: CalendarDay
    /// For 信息有误: the ledger columns found wrong.
    public var wrongFields: [String]
    public var notes: String?

    public init(outcome: SpotCheckOutcome, checker: String, visitedOn: CalendarDay, wrongFields: [String] = [], notes: String? = nil) {
        self.outcome = outcome
        self.checker = checker
        self.visitedOn = visitedOn
        self.wrongFields = wrongFields
        self.notes = notes
    }

    /// The columns a 信息有误 finding may name: the ledger's, except the code.
    public static let fieldChoices: [String] = LedgerColumn.allCases.filter { $0 != .code }.map(\.header)

    /// The finding's own mistakes, each naming the field.
    func validate(today: CalendarDay, asOf: CalendarDay) throws {
        var problems: [InvalidInput] = []
        let checker = checker.trimmingCharacters(in: .whitespacesAndNewlines)
        if checker.isEmpty { problems.append(InvalidInput(field: "核查人", reason: "不能为空")) }
        if checker.count > 50 { problems.append(InvalidInput(field: "核查人", reason: "不能超过 50 字")) }
        if visitedOn > today { problems.append(InvalidInput(field: "核查日期", reason: "不能晚于今天（\(today.description)）")) }
        if visitedOn < asOf { problems.append(InvalidInput(field: "核查日期", reason: "不能早于抽样框的截至日期 \(asOf.description)")) }
        if outcome == .wrongDetails, wrongFields.isEmpty {
            problems.append(InvalidInput(field: "有误字段", reason: "核查结果为「信息有误」时，请选出哪些字段有误"))
        }
        if outcome != .wrongDetails, !wrongFields.isEmpty {
            problems.append(InvalidInput(field: "有误字段", reason: "只有核查结果为「信息有误」时才填写"))
        }
        for field in wrongFields where !Self.fieldChoices.contains(field) {
            problems.append(InvalidInput(field: "有误字段", reason: "「\(field)」不是台账的字段"))
        }
        if (notes ?? "").count > 1_000 { problems.append(InvalidInput(field: "备注", reason: "不能超过 1000 字")) }
        if !problems.isEmpty { throw Refusal.invalid(problems) }
    }
}

/// The "redraw" check: the sample recomputed from the stored frame and seed, compared with the
/// stored draw, and the frame as the ledger gives it today compared with the stored one.
public struct SpotCheckRedraw: Sendable, Equatable {
    public var storedHash: String
    /// SHA-256 of the stored frame, computed again.
    public var recomputedHash: String
    public var sampleMatches: Bool
    /// Records the ledger's frame has today that the stored one has not, and the other way round
    /// (nil unless the ledger was read again: on a city's frame that is most of the check's time).
    public var addedSince: Int?
    public var removedSince: Int?

    public var matches: Bool { storedHash == recomputedHash && sampleMatches }
}
