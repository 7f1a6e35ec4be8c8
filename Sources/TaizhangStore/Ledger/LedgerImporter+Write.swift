import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// The writing pass, after a check that rejected nothing, in the same transaction: reads the
    /// file again a chunk at a time and writes each chunk's organizations, stage events and
    /// audit rows; the running counts follow at the end.
    static func write(
        _ reader: TabularFileReader, checked: Checked, fileName: String, scope: Scope, checks: OrganizationChecks,
        by actor: Actor, on db: any Database
    ) async throws {
        guard db.isSQLite else {
            return try await writeRows(reader, checked: checked, fileName: fileName, scope: scope, checks: checks, by: actor, on: db)
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
            let deferred = try await DeferredIndexes.setAside(creating: checked.preview.newCount, on: db)
            // Into a ledger with organizations, the statement journals of the multi-row statements
            // stay in memory instead of a temp file. Not when the indexes are built at the end:
            // their sorts spill to temporary files, which must then be files on disk (in memory
            // they took the import to 470 MB at 1,000,000 rows). (The pragma is refused inside a
            // transaction once the connection has used its TEMP database; then the journals go
            // to a temp file, which is slower but as correct.)
            if deferred == nil { try? await db.sql.raw("PRAGMA temp_store = MEMORY").run() }
            try await writeRows(reader, checked: checked, fileName: fileName, scope: scope, checks: checks, by: actor, on: db)
            try await deferred?.rebuild(on: db)
        } catch {
            await restore()
            throw error
        }
        await restore()
    }

    /// Refused when the second reading of a file differs from the first (a file on disk edited
    /// while it was being imported); the transaction rolls back.
    private static var changedUnderfoot: Refusal {
        Refusal("导入未执行：文件在导入过程中被改动了，请重新导入")
    }

    private static func writeRows(
        _ reader: TabularFileReader, checked: Checked, fileName: String, scope: Scope, checks: OrganizationChecks,
        by actor: Actor, on db: any Database
    ) async throws {
        let now = Date()
        let today = checked.today
        var sheet = SheetPass(references: try await ReferenceStore.lists(on: db))
        let resolver = try await TownshipResolver.load(scope: scope, on: db)
        // Codes continue each township's sequence, in the file's row order.
        var nextNumber = try await OrganizationStore.nextNumbers(townships: Array(checked.createsPerTownship.keys), on: db)
        var written = (created: 0, updated: 0)

        let tally = try await BulkStatementQueue.run { queue in
            var organizations = BulkWrite(into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            var updated = BulkWrite(.updateMatching, into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            var events = OrganizationStore.StageEventBatch(queue: queue, on: db)
            var audit = AuditLog.Batch(by: actor, queue: queue, on: db)
            var tally = LedgerCounts.Tally()
            let newReview = ReviewStatus(createdBy: actor.userID, changedBy: actor.userID)
            var chunks = reader.chunks(of: chunkSize)
            defer { chunks.cancel() }
            while let chunk = try await chunks.next() {
                var placed: [(row: LedgerRow, place: TownshipResolver.Place)] = []
                for read in try sheet.read(chunk) {
                    guard case .success(var row) = read,
                          case .success(let place) = resolver.resolve(township: row.townshipText, county: row.countyText)
                    else { throw changedUnderfoot }
                    row.fields.townshipCode = place.code
                    placed.append((row, place))
                }
                let existing = try await existingRecords(codes: placed.compactMap(\.row.code), on: db)
                var creates: [(code: String, create: NewOrganization)] = []
                var updates: [Update] = []
                for (row, place) in placed {
                    switch decide(row, at: place, current: row.code.flatMap { existing[$0] }, sameName: nil,
                                  scope: scope, checks: checks, today: today) {
                    case .create(let create):
                        guard let number = nextNumber[place.code] else { throw changedUnderfoot }
                        nextNumber[place.code] = number + 1
                        creates.append((OrganizationStore.codes(township: place.code, from: number, count: 1)[0], create))
                    case .update(let update):
                        updates.append(update)
                    case .unchanged:
                        break
                    case .rejected:
                        throw changedUnderfoot
                    }
                }
                written.created += creates.count
                written.updated += updates.count

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
                // Written directly, so nothing of the queue's may still be running on the connection.
                if !reviewEvents.isEmpty {
                    try await queue.drain()
                    try await ReviewEvents.record(reviewEvents, by: actor, on: db)
                }
                // The tally has a key per township, day and kind: in a national file it would grow
                // with the file, so it goes into the running counts as it fills.
                if tally.keyCount > 100_000 {
                    try await queue.drain()
                    try await LedgerCounts.apply(tally, on: db)
                    tally = LedgerCounts.Tally()
                }
            }
            guard sheet.digest.finalize() == checked.digest,
                  written == (checked.preview.newCount, checked.preview.updatedCount)
            else { throw changedUnderfoot }
            try await audit.append(.init(action: "ledger.import", entityType: "file", entityID: fileName, divisionPath: nil,
                                         before: nil, after: ["新增": "\(checked.preview.newCount)", "更新": "\(checked.preview.updatedCount)",
                                                              "无变化": "\(checked.preview.unchangedCount)"]))
            try await updated.finish()
            try await events.finish()
            try await audit.finish()
            return tally
        }
        try await LedgerCounts.apply(tally, on: db)
    }
}
