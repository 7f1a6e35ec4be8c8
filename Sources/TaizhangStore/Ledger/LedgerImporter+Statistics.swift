import FluentKit
import SQLKit

extension LedgerImporter {
    /// Fewer rows than this never refresh the planner's statistics themselves.
    static let statisticsFrom = 10_000

    /// PostgreSQL: the planner's statistics of the ledger are brought up to date, in the import's
    /// transaction, after an import that wrote a tenth as many rows as the ledger held, or into a
    /// ledger never analyzed.
    ///
    /// Autovacuum does the same, but later: it was still busy with the running counts when a
    /// search for 团支部 (found in every organization) came right after a first load of 1,000,000
    /// rows. Without statistics the planner took the text for rare and read the trigram indexes:
    /// every row, then a sort, 770 ms a page against 4 ms once analyzed. `ANALYZE` samples a
    /// fixed number of rows (1.8 s at 1,000,000 organizations with their search indexes), reads
    /// nothing twice and locks no reader or writer out. SQLite has no statistics unless asked for,
    /// and none are kept.
    static func refreshStatistics(afterWriting rows: Int, on db: any Database) async throws {
        guard !db.isSQLite, rows >= statisticsFrom else { return }
        let known = try await db.sql.raw("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'organizations'::regclass").first()?
            .decode(column: "n", as: Double.self) ?? -1
        // -1: never analyzed nor vacuumed.
        guard known < 0 || Double(rows) >= known / 10 else { return }
        try await db.sql.raw("ANALYZE organizations").run()
    }
}
