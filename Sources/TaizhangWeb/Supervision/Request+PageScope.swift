import FluentKit
import TaizhangCore
import TaizhangStore
import Vapor

/// What a liaison or supervision page covers when the link does not say: the latest campaign the
/// user takes part in, and their outermost visible division.
extension Request {
    /// `?campaign=` when the user sees it, else the latest campaign they take part in.
    func pageCampaign() async throws -> Campaign? {
        let campaigns = try await CampaignStore.list(overlapping: try scope(for: .view), on: db)
        if let id = queryText("campaign").flatMap(Int.init), let chosen = campaigns.first(where: { $0.id == id }) { return chosen }
        return campaigns.first
    }

    /// `?division=` when the user sees it, else their outermost visible division.
    func pageDivision() async throws -> Division {
        if let code = queryText("division") {
            return try await authorize(.view, divisionCode: code)
        }
        guard let root = try await visibleRootDivisions().first else { throw Abort(.notFound, reason: "您还没有可查看的行政区划") }
        return root
    }
}

extension SelectOption {
    /// The choices of an item's or escalation's owner: each county (全县) once, then its townships.
    static func owners(_ townships: [DivisionQueries.TownshipLabel]) -> [SelectOption] {
        var counties: [SelectOption] = []
        for township in townships where !counties.contains(where: { $0.value == township.countyCode }) {
            counties.append(.init(value: township.countyCode, label: "\(township.countyName)（全县）"))
        }
        return counties + townships.map { .init(value: $0.code, label: "\($0.countyName) \($0.name)") }
    }
}
