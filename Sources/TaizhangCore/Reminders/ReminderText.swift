import Foundation

/// The words of a reminder, in one place: the subject line and the plain-text body that the inbox
/// shows and the e-mail carries.
public struct ReminderText: Sendable, Equatable {
    public var subject: String
    public var body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }

    static let footer = "\n\n——\n此提醒由台账系统自动发出，站内收件箱中也可查看。"

    /// 催报: a township that has not reported for a period due today.
    public static func report(township: String, campaign: String, period: ReportingPeriod) -> ReminderText {
        let due = dueText(period.dueAt)
        return ReminderText(
            subject: "【催报】\(township)：\(period.label)\(period.frequency.label)尚未报送",
            body: "\(township)：\n\n活动「\(campaign)」的\(period.frequency.label)（\(period.label)）应于 \(due) 前报送，系统尚未收到贵单位的报告。"
                + "请尽快登录台账系统，在「报送」中填写工作进展并提交。" + footer)
    }

    /// 催办: a supervision item due tomorrow or overdue, not closed.
    public static func supervision(title: String, division: String, deadline: CalendarDay, overdue: Bool) -> ReminderText {
        let state = overdue ? "已逾期（期限 \(deadline.chinese)）" : "将于 \(deadline.chinese) 到期"
        return ReminderText(
            subject: "【催办】\(title)：\(overdue ? "已逾期" : "明日到期")",
            body: "督办事项「\(title)」（\(division)）\(state)，尚未办结。请抓紧办理，并在台账系统中填写办理结果。" + footer)
    }

    /// "2012年12月3日 17:00" in Asia/Shanghai.
    static func dueText(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let time = TimeOfDay(hour: c.hour ?? 0, minute: c.minute ?? 0)?.description ?? ""
        return "\(c.year ?? 0)年\(c.month ?? 0)月\(c.day ?? 0)日 \(time)"
    }
}
