import FluentKit
import SQLKit
import TaizhangCore

/// The reference lists (organization types, unit categories, build modes); administrators
/// may add values, built-in ones stay.
public enum ReferenceStore {
    public static func lists(on db: any Database) async throws -> ReferenceLists {
        struct Row: Decodable {
            var kind: String
            var value: String
        }
        let rows = try await db.sql.select().columns("kind", "value").from("reference_values")
            .orderBy("kind").orderBy("position").all(decoding: Row.self)
        var values: [ReferenceKind: [String]] = [:]
        for row in rows {
            guard let kind = ReferenceKind(rawValue: row.kind) else { continue }
            values[kind, default: []].append(row.value)
        }
        return ReferenceLists(values: values)
    }

    public static func add(_ kind: ReferenceKind, value rawValue: String, by actor: Actor, on database: any Database) async throws {
        let value = ValueParser.normalize(rawValue)
        guard !value.isEmpty, value.count <= 30 else { throw Refusal("\(kind.label)：应为 1–30 个字") }
        try await writeTransaction(on: database) { db in
            let existing = try await lists(on: db).list(kind)
            guard !existing.contains(value) else { throw Refusal("\(kind.label)：已有「\(value)」", kind: .conflict) }
            try await db.sql.insert(into: "reference_values").columns("kind", "value", "position", "is_builtin")
                .values(SQLBind(kind.rawValue), SQLBind(value), SQLBind(existing.count), SQLBind(false)).run()
            try await AuditLog.record("reference.add", entityType: "reference", entityID: kind.rawValue, divisionPath: nil,
                                      before: nil, after: [kind.label: value], by: actor, on: db)
        }
    }
}
