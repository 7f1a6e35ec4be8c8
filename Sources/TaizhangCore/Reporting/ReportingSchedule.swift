/// When one kind of report is asked for and by when, in Asia/Shanghai.
public struct ReportingRule: Codable, Sendable, Hashable {
    /// Whether reports of this frequency are asked for at all. A rule that is switched off
    /// keeps its settings so that switching it on again restores them.
    public var isEnabled: Bool
    /// The first day reports are asked for; required for an enabled daily report. Periods that
    /// end before it are not asked for; the period it falls in is asked for whole.
    public var startsOn: CalendarDay?
    /// The time of day a report is due.
    public var dueTime: TimeOfDay
    /// Whole days after the period's last day on which the report is due; 0 means on the last
    /// day itself (a daily report due the same day at 17:00).
    public var dueDaysAfterEnd: Int

    public init(isEnabled: Bool, startsOn: CalendarDay?, dueTime: TimeOfDay, dueDaysAfterEnd: Int = 0) {
        self.isEnabled = isEnabled
        self.startsOn = startsOn
        self.dueTime = dueTime
        self.dueDaysAfterEnd = dueDaysAfterEnd
    }

    /// The longest allowed gap between a period's end and its deadline.
    public static let maxDueDaysAfterEnd = 30
}

/// A campaign's reporting rhythm: a daily report, a weekly report and a half-month report,
/// each switched on or off with its own start and deadline.
public struct ReportingSchedule: Codable, Sendable, Hashable {
    public var daily: ReportingRule
    public var weekly: ReportingRule
    public var halfMonthly: ReportingRule
    /// The day weeks end on; a week is the seven days up to it (Sunday: Monday to Sunday).
    public var weekEndsOn: Weekday

    public init(daily: ReportingRule, weekly: ReportingRule, halfMonthly: ReportingRule, weekEndsOn: Weekday = .sunday) {
        self.daily = daily
        self.weekly = weekly
        self.halfMonthly = halfMonthly
        self.weekEndsOn = weekEndsOn
    }

    /// All three reports from `day` on, each due at 17:00 on its period's last day, weeks
    /// Monday to Sunday.
    public static func standard(startingOn day: CalendarDay) -> ReportingSchedule {
        let rule = ReportingRule(isEnabled: true, startsOn: day, dueTime: TimeOfDay(hour: 17, minute: 0)!)
        return ReportingSchedule(daily: rule, weekly: rule, halfMonthly: rule)
    }

    /// The rule for one frequency.
    public subscript(frequency: ReportingFrequency) -> ReportingRule {
        get {
            switch frequency {
            case .daily: daily
            case .weekly: weekly
            case .halfMonthly: halfMonthly
            }
        }
        set {
            switch frequency {
            case .daily: daily = newValue
            case .weekly: weekly = newValue
            case .halfMonthly: halfMonthly = newValue
            }
        }
    }

    /// Refuses a schedule a cadre could not mean, naming the report and the field.
    public func validate() throws {
        for frequency in ReportingFrequency.allCases {
            let rule = self[frequency]
            guard rule.isEnabled else { continue }
            let name = frequency.label
            if frequency == .daily, rule.startsOn == nil {
                throw InvalidInput(field: "\(name)开始日期", reason: "开启\(name)须填写从哪一天开始报送")
            }
            guard (0...ReportingRule.maxDueDaysAfterEnd).contains(rule.dueDaysAfterEnd) else {
                throw InvalidInput(field: "\(name)截止日",
                    reason: "「周期结束后 \(rule.dueDaysAfterEnd) 天」应在 0 到 \(ReportingRule.maxDueDaysAfterEnd) 天之间（0 为周期最后一天当天）")
            }
            if rule.dueDaysAfterEnd == 0, rule.dueTime.minutesSinceMidnight == 0 {
                // 0:00 of the last day is when that day begins; a cadre writing 0:00 means its end.
                throw InvalidInput(field: "\(name)截止时间",
                    reason: "0:00 是周期最后一天的开始；如指当天结束，请设为周期结束后 1 天的 0:00")
            }
        }
    }
}
