/// Who takes part (参评条件): a unit with a target in the campaign, in existence long enough, and
/// not excluded by name with a reason.
public struct AssessmentEligibility: Codable, Sendable, Equatable {
    /// Units without a target (不参与) are not assessed.
    public var requiresTarget: Bool
    /// A unit established later than this many months before the assessment date is not assessed.
    public var minimumMonths: Int
    public var exclusions: [Exclusion]

    public struct Exclusion: Codable, Sendable, Equatable {
        public var code: String
        public var reason: String

        public init(code: String, reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    public init(requiresTarget: Bool = true, minimumMonths: Int = 6, exclusions: [Exclusion] = []) {
        self.requiresTarget = requiresTarget
        self.minimumMonths = minimumMonths
        self.exclusions = exclusions
    }

    /// Why the unit is not assessed, or nil when it is. `establishedOn` nil means long established.
    public func ineligibility(code: String, target: Int, establishedOn: CalendarDay?, asOf: CalendarDay) -> String? {
        if let exclusion = exclusions.first(where: { $0.code == code }) { return "不参评：\(exclusion.reason)" }
        if requiresTarget && target <= 0 { return "未分配目标任务（不参与本次建设）" }
        if let establishedOn, minimumMonths > 0, establishedOn > asOf.addingMonths(-minimumMonths) {
            return "设立于 \(establishedOn)，至考评日不满 \(minimumMonths) 个月"
        }
        return nil
    }

    public var sentence: String {
        var parts: [String] = []
        if requiresTarget { parts.append("分配了目标任务") }
        if minimumMonths > 0 { parts.append("至考评日设立满 \(minimumMonths) 个月") }
        let rule = parts.isEmpty ? "所有下级单位参评" : "参评单位须\(parts.joined(separator: "且"))"
        return exclusions.isEmpty ? rule : rule + "；另有 \(exclusions.count) 个单位经说明不参评"
    }

    var problem: String? {
        guard (0...120).contains(minimumMonths) else { return "设立月数应在 0 到 120 之间（现为 \(minimumMonths)）" }
        if let blank = exclusions.first(where: { $0.reason.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return "不参评单位 \(blank.code) 须写明原因"
        }
        return nil
    }
}

extension CalendarDay {
    /// The same day `months` months later (earlier when negative), clamped to the month's last day.
    public func addingMonths(_ months: Int) -> CalendarDay {
        let index = year * 12 + (month - 1) + months
        let y = index / 12, m = index % 12 + 1
        return CalendarDay(year: y, month: m, day: min(day, CalendarDay.daysIn(month: m, year: y))) ?? self
    }
}
