import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// Why a writing pass wrote nothing: a row was rejected (`preview` is nil: only a checking
    /// pass of the whole file lists every rejection), or the file changes nothing and the caller
    /// wanted nothing written then. Thrown out of the transaction, so it rolls back.
    struct NotWritten: Error {
        var preview: Preview?
    }

    /// Checks and writes the file in one pass, inside the caller's transaction: each chunk is
    /// checked and, while no row has been rejected, written at once (organizations, stage
    /// events, audit rows; the running counts as they fill and at the end). Throws `NotWritten`
    /// at the first rejection, or at the end when nothing changes unless `evenUnchanged`.
    static func checkAndWrite(
        _ reader: TabularFileReader, fileName: String, scope: Scope, checks: OrganizationChecks, evenUnchanged: Bool,
        by actor: Actor, on db: any Database
    ) async throws -> Preview {
        let ledgerIsEmpty = try await ledgerIsEmpty(on: db)
        let expectedRows = reader.estimatedRowCount()
        var file = try await FileCheck(scope: scope, checks: checks, ledgerIsEmpty: ledgerIsEmpty, expectedRows: expectedRows, on: db)
        guard db.isSQLite else {
            var indexes = try await IndexSchedule.start(ledgerIsEmpty: ledgerIsEmpty, on: db)
            let preview = try await writeRows(reader, file: &file, indexes: &indexes, fileName: fileName, evenUnchanged: evenUnchanged,
                                              by: actor, on: db)
            try await refreshStatistics(afterWriting: preview.newCount + preview.updatedCount, on: db)
            return preview
        }
        // A large import touches many index pages; a 64 MB page cache for this connection keeps
        // most of them in memory instead of spilling them to the WAL in the middle of the
        // transaction (at 1,000,000 rows it cannot keep them all: 128 MB was 14% faster but
        // passed 400 MB of memory). The pooled connection gets its usual size back afterwards.
        let usualCacheSize = try await db.sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self) ?? -2000
        try await db.sql.raw("PRAGMA cache_size = -65536").run()
        func restore() async {
            try? await db.sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usualCacheSize))").run()
            try? await db.sql.raw("PRAGMA temp_store = DEFAULT").run()
        }
        do {
            // The import's temporary sorts keep `temp_store` at its default, files on disk: the
            // indexes set aside are built at the end by sorts that spill (in memory they took the
            // import to 470 MB at 1,000,000 rows), and whether that happens is known only once
            // the rows are written. Small sorts stay in memory either way, up to the page cache.
            var indexes = try await IndexSchedule.start(ledgerIsEmpty: ledgerIsEmpty, expectedRows: expectedRows, on: db)
            let preview = try await writeRows(reader, file: &file, indexes: &indexes, fileName: fileName, evenUnchanged: evenUnchanged,
                                              by: actor, on: db)
            try await indexes.finish(on: db)
            await restore()
            return preview
        } catch {
            await restore()
            throw error
        }
    }

    private static func writeRows(
        _ reader: TabularFileReader, file: inout FileCheck, indexes: inout IndexSchedule, fileName: String, evenUnchanged: Bool, by actor: Actor, on db: any Database
    ) async throws -> Preview {
        let now = Date()
        let today = file.checked.today
        let ledgerIsEmpty = file.ledgerIsEmpty
        let keysHeld = tallyKeysHeld
        // Codes continue each township's sequence, in the file's row order; a township's next
        // number is asked when its first create comes.
        var nextNumber: [String: Int] = [:]
        var rowsWritten = 0

        // On PostgreSQL the COPYs (organizations, and as they fill, updates, stage events and
        // audit rows) wait their turn in the queue while the next chunk is read — and, into an
        // empty ledger, checked; into one with organizations the queue is drained before the
        // chunk's lookups. On SQLite, whose writes are its one connection's thread's, one
        // statement runs and two wait behind it, each a JSON text of up to 4 MB: with only the
        // running one in hand, SQLite's thread sat idle for 28% of a million-row import into a
        // ledger of a million while the next chunk was checked (BENCHMARKS).
        let (tally, preview) = try await BulkStatementQueue.run(depth: db.isSQLite ? 3 : 8) { queue in
            var organizations = BulkWrite(into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            var updated = BulkWrite(.updateMatching, into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            var events = OrganizationStore.StageEventBatch(queue: queue, on: db)
            var audit = AuditLog.Batch(by: actor, queue: queue, on: db)
            var tally = LedgerCounts.Tally()
            let newReview = ReviewStatus(createdBy: actor.userID, changedBy: actor.userID)
            var chunks = reader.chunks(of: chunkSize)
            defer { chunks.cancel() }
            // A chunk's codes and names are looked up on the connection a COPY of the last chunk
            // may still hold (PostgreSQL: see `BulkWrite.copy`), so the queue is drained first;
            // into an empty ledger nothing is looked up, and the COPYs run on while it is checked.
            let looksUpBesideTheQueue = !ledgerIsEmpty && !db.isSQLite
            while let chunk = try await chunks.next() {
                if looksUpBesideTheQueue { try await queue.drain() }
                let decisions = try await file.check(chunk, on: db)
                guard file.checked.preview.rejected.isEmpty else { throw NotWritten(preview: nil) }
                var creates: [(code: String, create: NewOrganization)] = []
                var updates: [Update] = []
                let newTownships = Set(decisions.compactMap { decision -> String? in
                    guard case .create(let create) = decision, nextNumber[create.fields.townshipCode] == nil else { return nil }
                    return create.fields.townshipCode
                })
                if !newTownships.isEmpty {
                    assert(!looksUpBesideTheQueue || queue.isIdle, "a lookup beside a COPY")
                    let numbers = ledgerIsEmpty ? newTownships.reduce(into: [:]) { $0[$1] = 1 }
                        : try await OrganizationStore.nextNumbers(townships: Array(newTownships), on: db)
                    for (township, number) in numbers {
                        nextNumber[township] = number
                        file.wroteCodes(from: number, in: township)
                    }
                }
                for decision in decisions {
                    switch decision {
                    case .create(let create):
                        let township = create.fields.townshipCode
                        guard let number = nextNumber[township] else { preconditionFailure("no number for \(township)") }
                        nextNumber[township] = number + 1
                        creates.append((OrganizationStore.codes(township: township, from: number, count: 1)[0], create))
                    case .update(let update):
                        file.vacated(update)
                        updates.append(update)
                    case .unchanged, .rejected:
                        break
                    }
                }

                // Written in code order, so the rows and their index entries append instead of landing on random pages.
                creates.sort { $0.code < $1.code }
                for (code, create) in creates {
                    try await organizations.append(OrganizationRow(code: code, divisionPath: create.path, fields: create.fields,
                                                                   mergedIntoCode: nil, version: 1, createdAt: now, updatedAt: now,
                                                                   review: newReview).bulkValues)
                }
                // Stage events refer to their organizations, so they follow once the chunk's organizations are sent.
                try await organizations.finish()
                for (code, create) in creates {
                    try await events.append(.init(organizationCode: code, from: nil, to: create.fields.stage,
                                                  effectiveOn: create.fields.stageDate ?? today,
                                                  reason: "导入 \(fileName) 第 \(create.rowNumber) 行", mergedInto: nil, actorName: actor.name))
                    tally.add(path: create.path, create.fields, review: newReview.countedReview)
                    try await audit.append(.init(action: "organization.import.create", entityType: "organization", entityID: code,
                                                 divisionPath: create.path, sortedBefore: nil, sortedAfter: create.fields.auditSnapshotPairs))
                }
                var reviewEvents: [ReviewEvents.Event] = []
                for update in updates {
                    let countedChanges = ReviewStatus.changedCountedFields(from: update.current.fields, to: update.fields)
                    let review = update.current.review.afterEdit(by: actor.userID, changedCounted: countedChanges)
                    let row = OrganizationRow(code: update.current.code, divisionPath: update.path, fields: update.fields,
                                              mergedIntoCode: update.current.mergedIntoCode, version: update.current.version + 1,
                                              createdAt: update.current.createdAt, updatedAt: now, review: review)
                    try await updated.append(row.bulkValues)
                    tally.change(from: update.current.fields, at: update.current.divisionPath, review: update.current.review.countedReview,
                                 to: update.fields, at: update.path, review: review.countedReview)
                    if let event = ReviewEvents.afterEdit(row.code, from: update.current.review, to: review, changedCounted: countedChanges) {
                        reviewEvents.append(event)
                    }
                    if update.fields.stage != update.current.fields.stage {
                        try await events.append(.init(organizationCode: row.code, from: update.current.fields.stage, to: update.fields.stage,
                                                      effectiveOn: update.fields.stageDate ?? today,
                                                      reason: "导入 \(fileName) 第 \(update.rowNumber) 行", mergedInto: nil,
                                                      actorName: actor.name))
                    }
                    let diff = OrganizationStore.changed(update.current.fields.auditSnapshot, update.fields.auditSnapshot)
                    try await audit.append(.init(action: "organization.import.update", entityType: "organization", entityID: row.code,
                                                 divisionPath: update.path, before: diff.before, after: diff.after))
                }
                // The chunk's updates are sent before the next chunk is checked, as its creates are.
                try await updated.finish()
                // Written directly, so nothing of the queue's may still be running on the connection.
                if !reviewEvents.isEmpty {
                    try await queue.drain()
                    try await ReviewEvents.record(reviewEvents, by: actor, on: db)
                }
                // The tally has a key per township, day and kind: in a national file it would grow
                // with the file, so it goes into the running counts as it fills. At 100,000 keys it
                // and its rolled-up, sorted copy held ~58 MB at the peak of an import into a full
                // national ledger (heaptrack); at 25,000 the import's peak RSS was 25–55 MB lower
                // (BENCHMARKS.md), for more, smaller writes.
                // Rolled up, put in order and written in turn with the rows, through the queue.
                if tally.keyCount > keysHeld {
                    let changes = tally.inKeyOrder
                    tally = LedgerCounts.Tally()
                    try await LedgerCounts.write(changes, queue: queue, on: db)
                }
                rowsWritten += creates.count + updates.count
                if indexes.isDue(rowsWritten) {
                    try await queue.drain()
                    try await indexes.reached(rowsWritten, on: db)
                }
            }
            let preview = try file.finish().preview
            guard evenUnchanged || preview.newCount + preview.updatedCount > 0 else { throw NotWritten(preview: preview) }
            try await audit.append(.init(action: "ledger.import", entityType: "file", entityID: fileName, divisionPath: nil,
                                         before: nil, after: ["新增": "\(preview.newCount)", "更新": "\(preview.updatedCount)",
                                                              "无变化": "\(preview.unchangedCount)"]))
            try await updated.finish()
            try await events.finish()
            try await audit.finish()
            return (tally, preview)
        }
        try await LedgerCounts.apply(tally, on: db)
        return preview
    }
}
