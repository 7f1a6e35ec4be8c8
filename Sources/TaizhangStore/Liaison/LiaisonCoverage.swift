import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Who answers for each township (挂钩联系 coverage) on a day: its lead and helpers, its last
/// visit and the visits in the rhythm's window; per county, how many townships have a lead.
/// Townships without a lead come first.
public struct LiaisonCoverage: Sendable {
    public struct Township: Sendable, Hashable {
        public var code: String
        public var name: String
        public var countyCode: String
        public var countyName: String
        public var lead: LiaisonCadre?
        public var helpers: [LiaisonCadre]
        public var lastVisit: CalendarDay?
        public var visitsInWindow: Int
        public var belowRhythm: Bool
    }

    public struct County: Sendable, Hashable {
        public var code: String
        public var name: String
        public var townships: Int
        public var withLead: Int
        public var belowRhythm: Int
        public var withoutLead: Int { townships - withLead }
    }

    public var asOf: CalendarDay
    public var rhythm: VisitRhythm
    public var townships: [Township]
    public var counties: [County]
    public var total: Int { townships.count }
    public var withLead: Int { townships.filter { $0.lead != nil }.count }

    /// The coverage of a campaign's townships under `path` (a city, county or township; the caller
    /// has checked the user sees it).
    public static func compute(campaignID: Int, under path: String, asOf day: CalendarDay, rhythm: VisitRhythm = .standard,
                               on db: any Database) async throws -> LiaisonCoverage {
        let inside = try await DivisionQueries.townships(under: .within(path), limit: 1_000_000, on: db)
        let active = try await LiaisonStore.active(campaignID: campaignID, under: path, on: day, on: db)
        let visits = try await VisitStore.rhythm(under: path, window: rhythm.window(endingOn: day), on: db)
        var leads: [String: LiaisonCadre] = [:]
        var helpers: [String: [LiaisonCadre]] = [:]
        for assignment in active {
            if assignment.role == .lead { leads[assignment.townshipCode] = assignment.cadre } else { helpers[assignment.townshipCode, default: []].append(assignment.cadre) }
        }
        let townships = inside.map { label in
            let seen = visits[label.code]
            return Township(code: label.code, name: label.name, countyCode: label.countyCode, countyName: label.countyName, lead: leads[label.code],
                            helpers: helpers[label.code] ?? [], lastVisit: seen?.lastVisit, visitsInWindow: seen?.inWindow ?? 0,
                            belowRhythm: rhythm.isBelow(visits: seen?.inWindow ?? 0))
        }
        var counties: [County] = []
        for township in townships {
            if counties.last?.code != township.countyCode {
                counties.append(County(code: township.countyCode, name: township.countyName, townships: 0, withLead: 0, belowRhythm: 0))
            }
            counties[counties.count - 1].townships += 1
            if township.lead != nil { counties[counties.count - 1].withLead += 1 }
            if township.belowRhythm { counties[counties.count - 1].belowRhythm += 1 }
        }
        // Townships without a lead first; otherwise in tree order (stable).
        let ordered = townships.enumerated().sorted { a, b in
            (a.element.lead == nil) != (b.element.lead == nil) ? a.element.lead == nil : a.offset < b.offset
        }.map(\.element)
        return LiaisonCoverage(asOf: day, rhythm: rhythm, townships: ordered, counties: counties)
    }
}
