import Foundation

/// A cadre put in charge of (or helping with) one township for a campaign, from a day until a
/// day or until further notice. Ending an assignment keeps it, with who ended it and why, so
/// the township's history of liaisons stays readable.
public struct LiaisonAssignment: Sendable, Hashable, Codable {
    public var id: Int
    public var campaignID: Int
    public var townshipCode: String
    public var townshipPath: String
    public var cadre: LiaisonCadre
    public var role: LiaisonRole
    public var startsOn: CalendarDay
    /// The last day, inclusive; nil while open-ended.
    public var endsOn: CalendarDay?
    public var assignedBy: String
    public var assignedAt: Date
    public var endedBy: String?
    public var endReason: String?

    public init(id: Int, campaignID: Int, townshipCode: String, townshipPath: String, cadre: LiaisonCadre, role: LiaisonRole,
                startsOn: CalendarDay, endsOn: CalendarDay?, assignedBy: String, assignedAt: Date, endedBy: String?, endReason: String?) {
        self.id = id
        self.campaignID = campaignID
        self.townshipCode = townshipCode
        self.townshipPath = townshipPath
        self.cadre = cadre
        self.role = role
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.assignedBy = assignedBy
        self.assignedAt = assignedAt
        self.endedBy = endedBy
        self.endReason = endReason
    }

    /// Whether the assignment holds on `day`.
    public func isActive(on day: CalendarDay) -> Bool {
        startsOn <= day && (endsOn.map { day <= $0 } ?? true)
    }

    /// Whether this assignment's days and `other`'s share at least one day.
    public func overlaps(from start: CalendarDay, to end: CalendarDay?) -> Bool {
        LiaisonAssignment.overlap(startsOn, endsOn, start, end)
    }

    /// Two inclusive day ranges, nil meaning open-ended, share a day.
    public static func overlap(_ a0: CalendarDay, _ a1: CalendarDay?, _ b0: CalendarDay, _ b1: CalendarDay?) -> Bool {
        (a1.map { b0 <= $0 } ?? true) && (b1.map { a0 <= $0 } ?? true)
    }
}

/// A new assignment, as a form or API call gives it: the cadre is an existing one (by id) or a new one.
public struct LiaisonAssignmentDraft: Sendable, Hashable {
    public enum CadreChoice: Sendable, Hashable {
        case existing(Int)
        case new(LiaisonCadreDraft)
    }

    public var campaignID: Int
    public var townshipCode: String
    public var cadre: CadreChoice
    public var role: LiaisonRole
    public var startsOn: CalendarDay
    public var endsOn: CalendarDay?

    public init(campaignID: Int, townshipCode: String, cadre: CadreChoice, role: LiaisonRole, startsOn: CalendarDay, endsOn: CalendarDay?) {
        self.campaignID = campaignID
        self.townshipCode = townshipCode
        self.cadre = cadre
        self.role = role
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    public func problems() -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if let endsOn, endsOn < startsOn {
            problems.append(InvalidInput(field: "结束日期", reason: "\(endsOn) 早于开始日期 \(startsOn)"))
        }
        if case .new(let draft) = cadre { problems += draft.problems() }
        return problems
    }
}
