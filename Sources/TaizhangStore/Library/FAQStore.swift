import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The library's 问答 (FAQ): structured question and answer pairs issued to a division (read inside
/// and below it, and above it), edited by whoever's scope holds that division, searched by words.
public enum FAQStore {
    public static func add(divisionCode: String, topic: String, question: String, answer: String, in scope: Scope, by actor: Actor,
                           on database: any Database) async throws -> FAQEntry {
        let problems = FAQEntry.check(topic: topic, question: question, answer: answer)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        guard let division = try await DivisionQueries.find(divisionCode.trimmedWhitespace, on: database), scope.contains(division.path) else {
            throw Refusal("发放范围：「\(divisionCode)」不在你的管辖范围内", field: "division")
        }
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let id = try await db.sql.insert(into: "library_faq").columns("division_path", "topic", "question", "answer", "updated_by", "updated_at")
                .values(SQLBind(division.path), SQLBind(topic.trimmedWhitespace), SQLBind(question.trimmedWhitespace), SQLBind(answer.trimmedWhitespace),
                        SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("library.faq", entityType: "library_faq", entityID: String(id), divisionPath: division.path, before: nil,
                                      after: ["分类": topic.trimmedWhitespace, "问题": question.trimmedWhitespace, "回答": answer.trimmedWhitespace],
                                      by: actor, on: db)
            return FAQEntry(id: id, topic: topic.trimmedWhitespace, question: question.trimmedWhitespace, answer: answer.trimmedWhitespace,
                            divisionPath: division.path, updatedBy: actor.name, updatedAt: now)
        }
    }

    public static func update(_ id: Int, topic: String, question: String, answer: String, in scope: Scope, by actor: Actor,
                              on database: any Database) async throws -> FAQEntry {
        let problems = FAQEntry.check(topic: topic, question: question, answer: answer)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        guard let current = try await find(id, on: database), scope.contains(current.divisionPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的问答")
        }
        return try await writeTransaction(on: database) { db in
            let now = Date()
            try await db.sql.update("library_faq").set("topic", to: SQLBind(topic.trimmedWhitespace)).set("question", to: SQLBind(question.trimmedWhitespace))
                .set("answer", to: SQLBind(answer.trimmedWhitespace)).set("updated_by", to: SQLBind(actor.name)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, id).run()
            try await AuditLog.record("library.faq.update", entityType: "library_faq", entityID: String(id), divisionPath: current.divisionPath,
                                      before: ["分类": current.topic, "问题": current.question, "回答": current.answer],
                                      after: ["分类": topic.trimmedWhitespace, "问题": question.trimmedWhitespace, "回答": answer.trimmedWhitespace],
                                      by: actor, on: db)
            return FAQEntry(id: id, topic: topic.trimmedWhitespace, question: question.trimmedWhitespace, answer: answer.trimmedWhitespace,
                            divisionPath: current.divisionPath, updatedBy: actor.name, updatedAt: now)
        }
    }

    struct Row: Decodable {
        var id: Int; var divisionPath: String; var topic: String; var question: String; var answer: String; var updatedBy: String; var updatedAt: Date
        var entry: FAQEntry {
            FAQEntry(id: id, topic: topic, question: question, answer: answer, divisionPath: divisionPath, updatedBy: updatedBy, updatedAt: updatedAt)
        }
    }

    static let columns = ["id", "division_path", "topic", "question", "answer", "updated_by", "updated_at"]

    static func find(_ id: Int, on db: any Database) async throws -> FAQEntry? {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("library_faq").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.entry
    }

    /// Entries `scope` may read, in the order they were written, narrowed to those whose topic,
    /// question or answer holds every word of `text` (words split on spaces).
    public static func search(_ text: String?, readableIn scope: Scope, on db: any Database) async throws -> [FAQEntry] {
        let select = db.sql.select().columns(columns.map { SQLColumn($0) }).from("library_faq")
        for word in (text ?? "").split(whereSeparator: { $0 == " " || $0 == "　" }).map(String.init).prefix(5) {
            let pattern = "%" + word.replacingOccurrences(of: "%", with: "") + "%"
            select.where { $0.orWhere("topic", .like, pattern).orWhere("question", .like, pattern).orWhere("answer", .like, pattern) }
        }
        return try await select.orderBy("id").all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.entry)
            .filter { scope.overlaps($0.divisionPath) }
    }
}
