import FluentKit
import TaizhangCore
import TaizhangStore

extension DivisionDetailResponse {
    /// Everything a division's page and its API answer show, in a handful of queries.
    static func query(code: String, on database: any Database) async throws -> DivisionDetailResponse {
        let division = try await DivisionQueries.require(code, on: database)
        async let ancestors = DivisionQueries.ancestors(of: division, on: database)
        async let children = DivisionQueries.children(of: division.code, on: database)
        async let moveRows = DivisionEditor.moves(of: division.code, on: database)
        let childRows = try await children
        let counts = try await DivisionQueries.descendantCounts(of: [division] + childRows, on: database)
        let moves = try await moveRows
        let names = try await movedParentNames(moves, on: database)
        return DivisionDetailResponse(
            division: DivisionResponse(division, counts: counts[division.code]),
            ancestors: try await ancestors.map { DivisionResponse($0) },
            children: childRows.map { DivisionResponse($0, counts: counts[$0.code]) },
            moves: moves.map {
                DivisionMoveResponse(
                    townshipCode: $0.divisionCode, fromParentCode: $0.fromParentCode,
                    fromParentName: names[$0.fromParentCode], toParentCode: $0.toParentCode,
                    toParentName: names[$0.toParentCode], effectiveDate: $0.effectiveDate,
                    reason: $0.reason, actorName: $0.actorName, recordedAt: $0.recordedAt
                )
            }
        )
    }

    private static func movedParentNames(_ moves: [DivisionMove], on database: any Database) async throws -> [String: String] {
        let codes = Set(moves.flatMap { [$0.fromParentCode, $0.toParentCode] })
        guard !codes.isEmpty else { return [:] }
        let rows = try await Division.query(on: database).filter(\.$id ~~ Array(codes)).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0.name) })
    }
}
