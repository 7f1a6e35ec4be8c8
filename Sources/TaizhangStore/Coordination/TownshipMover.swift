import FluentKit
import TaizhangCore

/// A township moving to another county-level unit of its city, with everything that follows
/// it, in one transaction: the division tree (Divisions), the paths and running counts of its
/// organizations (Ledger), its targets in every campaign (Campaigns), and its liaisons, visits,
/// supervision items and escalations (Liaison, Supervision). The areas do not call
/// each other for this; this is the one place that knows them all.
public enum TownshipMover {
    public static func move(_ move: DivisionEditor.TownshipMove, by actor: Actor, on database: any Database) async throws -> Division {
        try await writeTransaction(on: database) { db in
            let moved = try await DivisionEditor.relocate(move, by: actor, on: db)
            try await OrganizationStore.followTownship(moved.township.code, to: moved.township.path, on: db)
            try await LedgerCounts.moveTownship(moved.township.code, from: moved.oldPath, to: moved.township.path, on: db)
            try await CampaignStore.moveTownship(moved.township, from: moved.from, to: moved.to, by: actor, on: db)
            try await LiaisonStore.followTownship(moved.township.code, to: moved.township.path, on: db)
            try await SupervisionStore.followTownship(moved.township.code, to: moved.township.path, on: db)
            return moved.township
        }
    }
}
