import FluentKit
import SQLKit

extension LedgerImporter {
    /// The secondary indexes of `organizations`, set aside while a first load fills an empty
    /// ledger on SQLite and built once when its rows are in.
    ///
    /// A national file takes its townships in turn, so consecutive rows land on pages all over
    /// each of the ledger's nine secondary indexes; building an index from the finished table
    /// sorts once instead (measured at 1,000,000 rows: 220 s against 278 s with them kept, in
    /// one sitting; BENCHMARKS). Only into an empty ledger: into a full one, rebuilding would sort
    /// every organization already there for the sake of the new ones.
    ///
    /// SQLite only, and safe there: the drop and the rebuild belong to the import's transaction,
    /// so a refusal or a crash leaves the indexes as they were, and readers on other
    /// connections keep seeing the ledger, indexes included, as it was before the import until
    /// it commits. PostgreSQL's `DROP INDEX` would lock the table against every reader of every
    /// instance until the commit, so there the indexes stay.
    struct DeferredIndexes {
        /// Name and `CREATE INDEX` statement of each index set aside, as SQLite keeps them.
        let definitions: [(name: String, sql: String)]

        /// Sets the indexes aside when `db` is SQLite and the ledger is empty; otherwise nil, and
        /// nothing changes.
        static func setAside(on db: any Database) async throws -> DeferredIndexes? {
            guard db.isSQLite, try await LedgerImporter.ledgerIsEmpty(on: db) else { return nil }
            // The primary key's own index has no statement (`sql` is NULL) and stays: every
            // lookup of the load goes through it.
            let definitions = try await ResultRows.all(SQLQueryString("""
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organizations' AND sql IS NOT NULL ORDER BY name
                """), on: db) { row in (name: try row.string("name"), sql: try row.string("sql")) }
            for index in definitions {
                try await db.sql.raw("DROP INDEX \(ident: index.name)").run()
            }
            return DeferredIndexes(definitions: definitions)
        }

        /// Builds every index set aside, from the rows now in the ledger.
        func rebuild(on db: any Database) async throws {
            // Each build sorts the ledger's keys in memory as large as the page cache, then spills
            // the sorted runs to temporary files. The import's 64 MB cache, full of its written
            // pages, and a sort as large were over 400 MB at the peak (1,000,000 rows); a 16 MB
            // cache (the caller restores its own) bounds both, and the writes are done.
            try await db.sql.raw("PRAGMA cache_size = -16384").run()
            // The runs should go to files on disk (the import leaves `temp_store` alone when it
            // sets indexes aside). Asked again in case this connection was left in memory; if
            // that is refused inside the transaction, the runs stay in memory, as correct.
            try? await db.sql.raw("PRAGMA temp_store = FILE").run()
            for index in definitions {
                try await db.sql.raw(SQLQueryString(index.sql)).run()
            }
        }
    }
}
