import FluentKit
import Foundation
import SQLKit
import Synchronization
import TaizhangCore

extension LedgerImporter {
    /// The active organizations a chunk's rows may share a name with, by "township|name key".
    ///
    /// A chunk in a few townships asks the database for those townships' names. A chunk spread
    /// over many — a national file that takes the townships in turn — would read most of the
    /// ledger for every chunk; then the names of every township in scope are read once, into a
    /// `NameTable` (32 bytes an organization), for the rest of the pass.
    struct LedgerNames {
        let scope: Scope
        /// Past this many townships in a chunk, the names of the whole scope are read.
        let townshipsPerQuery: Int
        private var everyName: NameTable?

        /// Known to hold no organization (then nothing is asked).
        let ledgerIsEmpty: Bool

        init(scope: Scope, townshipsPerQuery: Int = 200, ledgerIsEmpty: Bool = false) {
            self.scope = scope
            self.townshipsPerQuery = townshipsPerQuery
            self.ledgerIsEmpty = ledgerIsEmpty
        }

        /// The code of the active organization each of `keys` names ("township|name key"), if any.
        mutating func codes(for keys: [String], townships: Set<String>, on db: any Database) async throws -> [String: String] {
            var found: [String: String] = [:]
            if ledgerIsEmpty { return found }
            if everyName == nil, townships.count <= townshipsPerQuery {
                let names = try await activeNames(townships: townships, on: db)
                for key in keys { found[key] = names[key] }
                return found
            }
            if everyName == nil { everyName = try await NameTable.read(scope: scope, on: db) }
            for key in keys { found[key] = everyName?.code(named: key) }
            return found
        }

        /// Lets go of the names read, once the pass is done with them.
        mutating func forget() {
            everyName = nil
        }
    }

    /// Every active organization of a scope as a fingerprint of its "township|name key" and its
    /// code, in one array sorted by fingerprint: 32 bytes an organization (a code of up to 15
    /// bytes is held inline), where a dictionary of the same took 64–96 — its slots are kept at
    /// most three-quarters full, in a power of two, and it grows by doubling. The array is sized
    /// by a count first, so it does not grow while it is read (unless the ledger grew in between,
    /// which only a preview outside a transaction allows); sorting it takes a scratch buffer of
    /// up to half its size for a moment. Were two active organizations to share a name, which of
    /// their codes is found is arbitrary, as it was with the dictionary and is with the
    /// per-township lookup.
    struct NameTable {
        struct Entry {
            let print: TextFingerprint
            let code: String
        }
        private let entries: [Entry]

        /// Takes `entries` over and sorts them where they are (the array is not copied).
        init(sorting entries: consuming [Entry]) {
            entries.sort { $0.print < $1.print }
            self.entries = entries
        }

        /// The code of the organization whose "township|name key" is `key`, if any.
        func code(named key: String) -> String? {
            let print = TextFingerprint(key)
            var low = 0, high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].print < print { low = middle + 1 } else { high = middle }
            }
            return low < entries.count && entries[low].print == print ? entries[low].code : nil
        }

        /// Every active organization in `scope`, read as a stream of rows.
        static func read(scope: Scope, on db: any Database) async throws -> NameTable {
            func active(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
                query.from("organizations")
                    .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue])
                    .whereInside(scope, SQLColumn("division_path"))
            }
            let count = try await active(db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n"))
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let entries = Mutex<[Entry]>([])
            entries.withLock { $0.reserveCapacity(count) }
            try await db.sql.execute(sql: active(db.sql.select().columns("code", "township_code", "name")).query) { row in
                guard let code = try? row.decode(column: "code", as: String.self),
                      let township = try? row.decode(column: "township_code", as: String.self),
                      let name = try? row.decode(column: "name", as: String.self)
                else { return }
                let entry = Entry(print: TextFingerprint(LedgerImporter.nameKey(township: township, name: name)), code: code)
                entries.withLock { $0.append(entry) }
            }
            return NameTable(sorting: entries.withLock { list in
                var taken: [Entry] = []
                swap(&taken, &list)
                return taken
            })
        }
    }
}
