/// An organization's place in the review, as its record carries it.
public struct ReviewStatus: Sendable, Equatable, Codable {
    public var state: ReviewState
    /// Why it was returned (shown to the township while 已退回).
    public var reason: String?
    /// The account that created the record, and the one that last changed it (four eyes:
    /// neither may confirm it). Nil for the command line and records from before review existed.
    public var createdBy: String?
    public var changedBy: String?
    /// The account that confirmed it last (the city's confirmation must be someone else's).
    public var confirmedBy: String?
    /// The sign-off that locks the record, while it is not reopened.
    public var signOffID: Int?
    /// The day a spot check found the organization 不属实; it never counts from then on.
    public var refutedOn: CalendarDay?

    public init(state: ReviewState = .pending, reason: String? = nil, createdBy: String? = nil, changedBy: String? = nil,
                confirmedBy: String? = nil, signOffID: Int? = nil, refutedOn: CalendarDay? = nil) {
        self.confirmedBy = confirmedBy
        self.state = state
        self.reason = reason
        self.createdBy = createdBy
        self.changedBy = changedBy
        self.signOffID = signOffID
        self.refutedOn = refutedOn
    }

    public var countedReview: CountedReview { CountedReview(state, refuted: refutedOn != nil) }
    /// What the ledger and its exports show: the state's label, or 抽查不属实 once a spot check found it so.
    public var label: String { refutedOn == nil ? state.label : "抽查不属实" }
    public var isLocked: Bool { signOffID != nil }

    /// Whether `userID` may confirm the record: not its creator, not its last editor.
    public func mayBeConfirmed(by userID: String?) -> Bool {
        guard let userID else { return true }
        return userID != createdBy && userID != changedBy
    }

    /// The status after an edit by `userID` that changed `changedCounted` (the counted fields
    /// that differ): a confirmed record whose counted fields changed goes back to 待县核实, a
    /// returned record that is corrected goes back to 待县核实.
    public func afterEdit(by userID: String?, changedCounted: [String]) -> ReviewStatus {
        var next = self
        next.changedBy = userID
        if state == .returned || (state.isConfirmed && !changedCounted.isEmpty) {
            next.state = .pending
            next.reason = nil
        }
        return next
    }

    /// The fields that the counting rule and the bulletins use, by their audit names.
    public static let countedFieldNames: Set<String> = ["建设阶段", "筹建批复日期", "成立日期", "单位类别", "建团方式", "乡镇", "新建或联系指导"]

    /// The counted fields whose values differ between two versions of a record.
    public static func changedCountedFields(from old: OrganizationFields, to new: OrganizationFields) -> [String] {
        new.changedFields(since: old).filter(countedFieldNames.contains)
    }
}
