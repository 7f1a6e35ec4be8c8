/// Where an organization stands: "first an organization, then like a league organization,
/// then a league organization" (青年组织 → 类团组织 → 筹建 → 已建立), or ended (撤销, 合并).
public enum Stage: String, Codable, Sendable, CaseIterable, Hashable {
    case youthGroup = "youth_group"
    case leagueLike = "league_like"
    case preparing = "preparing"
    case founded = "founded"
    case dissolved = "dissolved"
    case merged = "merged"

    public var label: String {
        switch self {
        case .youthGroup: "青年组织"
        case .leagueLike: "类团组织"
        case .preparing: "筹建"
        case .founded: "已建立"
        case .dissolved: "撤销"
        case .merged: "合并"
        }
    }

    /// Position on the way to founding; nil for the ends (撤销, 合并).
    public var rank: Int? {
        switch self {
        case .youthGroup: 0
        case .leagueLike: 1
        case .preparing: 2
        case .founded: 3
        case .dissolved, .merged: nil
        }
    }

    public var isEnded: Bool { rank == nil }

    /// Accepts the code, the Chinese label, and the spellings sheets use (已建, 已成立, 筹建中).
    public init?(text: String) {
        let t = ValueParser.normalize(text)
        if let stage = Stage(rawValue: t) { self = stage; return }
        switch t {
        case "青年组织": self = .youthGroup
        case "类团组织": self = .leagueLike
        case "筹建", "筹建中", "筹备": self = .preparing
        case "已建立", "已建", "已成立", "建立", "成立": self = .founded
        case "撤销", "已撤销": self = .dissolved
        case "合并", "已合并": self = .merged
        default: return nil
        }
    }
}

extension Stage {
    /// Stages written as a comma-separated list ("筹建,已建立" or "preparing,founded"), each named
    /// in the refusal if it is not a stage.
    public static func list(_ text: String, field: String) throws -> [Stage] {
        try text.split(separator: ",").map { part in
            guard let stage = Stage(text: String(part)) else { throw InvalidInput(field: field, reason: "「\(part)」不是建设阶段") }
            return stage
        }
    }
}

/// The rules for a stage change: forward moves may skip steps; a move back, 撤销 and 合并
/// need a reason, and 合并 names the organization it merged into.
public enum StageTransition {
    public static func check(from: Stage, to: Stage, reason: String?, mergedInto: String?) throws {
        let hasReason = reason?.nilIfBlank != nil
        guard from != to else {
            throw InvalidInput(field: "建设阶段", reason: "已经是「\(to.label)」")
        }
        if from.isEnded {
            throw InvalidInput(field: "建设阶段", reason: "已\(from.label)的组织不能再变更阶段")
        }
        switch to {
        case .dissolved:
            guard hasReason else { throw InvalidInput(field: "原因", reason: "撤销须写明原因") }
        case .merged:
            guard hasReason else { throw InvalidInput(field: "原因", reason: "合并须写明原因") }
            guard mergedInto?.nilIfBlank != nil else { throw InvalidInput(field: "并入组织", reason: "合并须写明并入哪个组织") }
        default:
            if let fromRank = from.rank, let toRank = to.rank, toRank < fromRank, !hasReason {
                throw InvalidInput(field: "原因", reason: "从「\(from.label)」退回「\(to.label)」须写明原因")
            }
        }
    }
}
