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
    /// ledger for every chunk; then the names of every township in scope are read once, and
    /// kept as fingerprints (~50 bytes an organization) for the rest of the pass.
    struct LedgerNames {
        let scope: Scope
        /// Past this many townships in a chunk, the names of the whole scope are read.
        let townshipsPerQuery: Int
        private var everyName: [TextFingerprint: String]?

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
            if everyName == nil { everyName = try await Self.everyName(in: scope, on: db) }
            for key in keys { found[key] = everyName?[TextFingerprint(key)] }
            return found
        }

        /// Lets go of the names read, once the pass is done with them.
        mutating func forget() {
            everyName = nil
        }

        /// Every active organization in `scope`, read as a stream of rows.
        private static func everyName(in scope: Scope, on db: any Database) async throws -> [TextFingerprint: String] {
            let names = Mutex<[TextFingerprint: String]>([:])
            let query = db.sql.select().columns("code", "township_code", "name").from("organizations")
                .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue])
                .whereInside(scope, SQLColumn("division_path")).query
            try await db.sql.execute(sql: query) { row in
                guard let code = try? row.decode(column: "code", as: String.self),
                      let township = try? row.decode(column: "township_code", as: String.self),
                      let name = try? row.decode(column: "name", as: String.self)
                else { return }
                let print = TextFingerprint(LedgerImporter.nameKey(township: township, name: name))
                names.withLock { $0[print] = code }
            }
            return names.withLock { $0 }
        }
    }
}
