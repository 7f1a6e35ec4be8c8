import FluentKit
import SQLKit

extension LedgerImporter {
    /// The secondary indexes of `organizations`, set aside while an import writes many rows on
    /// SQLite and built once when its rows are in.
    ///
    /// A national file takes its townships in turn, so consecutive rows land on pages all over
    /// each of the ledger's secondary indexes, and once they outgrow the import's page cache each
    /// row costs pages spilled and read back; building an index from the finished table sorts
    /// once instead. Measured (BENCHMARKS): a million rows into an empty ledger, 220 s against
    /// 278 s with the indexes kept; a million into a ledger of a million, 200 s against 325 s,
    /// of which rebuilding the nine indexes over the two million is 26 s.
    ///
    /// SQLite only, and safe there: the drop and the rebuild belong to the import's transaction,
    /// so a refusal or a crash leaves the indexes as they were, and readers on other
    /// connections keep seeing the ledger, indexes included, as it was before the import until
    /// it commits. PostgreSQL's `DROP INDEX` would lock the table against every reader of every
    /// instance until the commit, so there the indexes stay.
    struct DeferredIndexes {
        /// Name and `CREATE INDEX` statement of each index set aside, as SQLite keeps them.
        let definitions: [(name: String, sql: String)]

        /// The index kept when the ledger already holds organizations: the checks look a chunk's
        /// names up by township (`LedgerImporter.activeNames`), which without it reads the ledger.
        static let keptForLookups = "organizations_township"

        /// Sets the indexes aside when `db` is SQLite, all of them or all but those `keeping`;
        /// otherwise nil, and nothing changes.
        static func setAside(keeping kept: Set<String> = [], on db: any Database) async throws -> DeferredIndexes? {
            guard db.isSQLite else { return nil }
            // The primary key's own index has no statement (`sql` is NULL) and stays: every
            // lookup of the load goes through it.
            let definitions = try await ResultRows.all(SQLQueryString("""
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organizations' AND sql IS NOT NULL ORDER BY name
                """), on: db) { row in (name: try row.string("name"), sql: try row.string("sql")) }
                .filter { !kept.contains($0.name) }
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
            // The runs should go to files on disk (the import leaves `temp_store` at its
            // default). Asked again in case this connection was left in memory; if that is
            // refused inside the transaction, the runs stay in memory, as correct.
            try? await db.sql.raw("PRAGMA temp_store = FILE").run()
            // The sorts may use a second thread (with 16 MB of runs of its own): nothing else of
            // the import runs meanwhile, and the other core was idle. Building the eight indexes
            // over two million organizations took 16.0 s on SQLite's thread alone, 12.0 s with one
            // more and 11.7 s with two more (sqlite3 CLI, the same statements, `PRAGMA threads`).
            let usualThreads = try await db.sql.raw("PRAGMA threads").first()?.decode(column: "threads", as: Int.self) ?? 0
            try await db.sql.raw("PRAGMA threads = \(unsafeRaw: String(Self.sortThreads))").run()
            do {
                for index in definitions {
                    try await db.sql.raw(SQLQueryString(index.sql)).run()
                }
            } catch {
                try? await db.sql.raw("PRAGMA threads = \(unsafeRaw: String(usualThreads))").run()
                throw error
            }
            try await db.sql.raw("PRAGMA threads = \(unsafeRaw: String(usualThreads))").run()
        }

        /// Threads SQLite's sorts may use besides its own while the indexes are built.
        static let sortThreads = 1
    }

    /// When an import sets the ledger's indexes aside (`DeferredIndexes`): into an empty ledger
    /// before its first row; into a ledger with organizations once the import has written a
    /// tenth as many rows as the ledger held — or before its first row when the file is known to
    /// hold that many (a CSV's line breaks, counted first) — and then all but the index its
    /// lookups need.
    ///
    /// Why a tenth: at a million organizations, a row written with the indexes kept costs
    /// ~150 µs more, and rebuilding them ~13 µs a row of the ledger, so the two are even at about
    /// a tenth. When the file's size is not known (an XLSX), the import keeps the indexes while
    /// what they cost it stays below what rebuilding them would: a small file into a large
    /// ledger never pays a rebuild, and a large one pays at most about twice the better of the two.
    struct IndexSchedule {
        /// Rows written before the indexes are set aside; nil: they stay (PostgreSQL).
        let setAsideAfter: Int?
        private let ledgerIsEmpty: Bool
        private(set) var deferred: DeferredIndexes?

        /// Reads how many organizations the ledger holds (the largest row id: deletions are
        /// rare, and this is an estimate) and sets the indexes aside at once into an empty one,
        /// or when `expectedRows` (the file's, if known) are enough.
        static func start(ledgerIsEmpty: Bool, expectedRows: Int? = nil, on db: any Database) async throws -> IndexSchedule {
            guard db.isSQLite else { return IndexSchedule(setAsideAfter: nil, ledgerIsEmpty: ledgerIsEmpty) }
            let held = ledgerIsEmpty ? 0
                : try await db.sql.raw("SELECT COALESCE(MAX(rowid), 0) AS held FROM organizations").first()?.decode(column: "held", as: Int.self) ?? 0
            var schedule = IndexSchedule(setAsideAfter: held / 10, ledgerIsEmpty: ledgerIsEmpty)
            try await schedule.reached(expectedRows ?? 0, on: db)
            return schedule
        }

        private init(setAsideAfter: Int?, ledgerIsEmpty: Bool) {
            self.setAsideAfter = setAsideAfter
            self.ledgerIsEmpty = ledgerIsEmpty
        }

        /// Whether, with `rows` written, the indexes are to be set aside now.
        func isDue(_ rows: Int) -> Bool {
            guard deferred == nil, let setAsideAfter else { return false }
            return rows >= setAsideAfter
        }

        /// Called with the rows written so far, when nothing else is running on `db`.
        mutating func reached(_ rows: Int, on db: any Database) async throws {
            guard isDue(rows) else { return }
            deferred = try await DeferredIndexes.setAside(keeping: ledgerIsEmpty ? [] : [DeferredIndexes.keptForLookups], on: db)
        }

        /// Builds the indexes set aside, if any.
        func finish(on db: any Database) async throws {
            try await deferred?.rebuild(on: db)
        }
    }
}
