import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/divisions/{code}/committee` and `/api/v1/talents`: the township committee and the
/// talent pool, read-only, within the caller's scope.
enum CommitteeAPIController {
    struct MemberJSON: Content {
        struct OrganizationRef: Content {
            var code: String
            var name: String
        }
        var name: String
        var position: CommitteePosition
        var positionLabel: String
        var sourceUnit: String?
        var isFullTime: Bool
        var phone: String?
        var organizations: [OrganizationRef]
    }

    struct CommitteeResponse: Content {
        var townshipCode: String
        var members: [MemberJSON]
    }

    static func committee(_ req: Request) async throws -> CommitteeResponse {
        let code = try req.parameters.require("code")
        let township = try await DivisionQueries.require(code, on: req.db)
        guard township.level == .township else { throw Refusal("「\(township.name)」不是乡镇（街道）", kind: .notFound) }
        let members = try await CommitteeStore.members(of: code, on: req.db)
        return CommitteeResponse(townshipCode: code, members: members.map {
            MemberJSON(name: $0.name, position: $0.position, positionLabel: $0.position.label, sourceUnit: $0.sourceUnit,
                       isFullTime: $0.isFullTime, phone: $0.phone,
                       organizations: $0.organizations.map { .init(code: $0.code, name: $0.name) })
        })
    }

    struct TalentJSON: Content {
        var id: UUID
        var name: String
        var category: String
        var townshipCode: String
        var unit: String?
        var phone: String?
    }

    struct TalentList: Content {
        var items: [TalentJSON]
    }

    static func talents(_ req: Request) async throws -> TalentList {
        let category = try (try? req.query.get(String.self, at: "category")).flatMap { text -> TalentCategory? in
            guard let category = TalentCategory(text: text) else { throw InvalidInput(field: "category", reason: "「\(text)」不是人才类别") }
            return category
        }
        let talents = try await TalentStore.list(scope: try req.scope(for: .view), category: category, on: req.db)
        return TalentList(items: talents.map {
            TalentJSON(id: $0.id, name: $0.name, category: $0.category, townshipCode: $0.townshipCode, unit: $0.unit, phone: $0.phone)
        })
    }
}
