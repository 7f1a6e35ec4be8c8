import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

private func count(_ table: String, on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
}

/// A real .docx and .xlsx as the project's own writers make them.
func sampleDOCX() throws -> [UInt8] {
    Array(try DOCXWriter.data(of: DOCXDocument(title: "工作方案", blocks: [.paragraph(.body("一、总体要求"))])))
}

func sampleXLSX() throws -> [UInt8] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString).xlsx")
    defer { try? FileManager.default.removeItem(at: url) }
    let writer = try XLSXWriter(url: url)
    try writer.appendHeader(["乡镇", "数量"])
    try writer.appendRow(["安海镇", "12"])
    try writer.finish()
    return Array(try Data(contentsOf: url))
}

@Suite struct LibraryStoreTests {
    @Test(arguments: TestDatabase.all)
    func documentsAndTheirVersionsComeBackByteForByteToTheDivisionsTheyAreIssuedTo(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let docx = try sampleDOCX(), xlsx = try sampleXLSX()
            let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n".utf8)
            #expect(DocumentFileKind(sniffing: docx) == .docx)
            #expect(DocumentFileKind(sniffing: xlsx) == .xlsx)
            let plan = try await LibraryStore.create(
                .init(campaignID: nil, kind: .workPlan, title: "泉州市乡镇大团委建设工作方案", issuingBody: "共青团泉州市委", documentNumber: "泉团〔2012〕45号",
                      issuedOn: day("2012-10-12"), audienceCodes: ["3505"], file: .init(fileName: "工作方案.docx", bytes: docx)),
                maximumBytes: 1 << 20, in: .everywhere, by: testActor, on: db)
            let jinjiangOnly = try await LibraryStore.create(
                .init(campaignID: nil, kind: .template, title: "晋江市建团台账模板", issuingBody: "共青团晋江市委", issuedOn: day("2012-11-01"),
                      audienceCodes: ["350582"], file: .init(fileName: "台账模板.xlsx", bytes: xlsx)),
                maximumBytes: 1 << 20, in: .within("35/3505/350582/"), by: testActor, on: db)
            // A township reads the city's plan; 南安 does not see 晋江's template; the city sees both.
            let anhai = Scope.within("35/3505/350582/350582101/")
            #expect(try await LibraryStore.list(readableIn: anhai, on: db).map(\.id).sorted() == [plan.id, jinjiangOnly.id])
            #expect(try await LibraryStore.list(readableIn: .within("35/3505/350583/"), on: db).map(\.id) == [plan.id])
            await #expect(throws: Refusal.self) { _ = try await LibraryStore.file(jinjiangOnly.id, version: nil, in: .within("35/3505/350583/"), on: db) }
            #expect(try await LibraryStore.list(kind: .template, readableIn: .everywhere, on: db).map(\.id) == [jinjiangOnly.id])
            #expect(try await LibraryStore.list(text: "45号", readableIn: .everywhere, on: db).map(\.id) == [plan.id])
            // A new version keeps the old one; each comes back as uploaded.
            let second = try await LibraryStore.addVersion(plan.id, file: .init(fileName: "工作方案（修订）.pdf", bytes: pdf), note: "补充考核办法",
                                                           maximumBytes: 1 << 20, in: .everywhere, by: testActor, on: db)
            #expect(second.number == 2)
            #expect(Array(try await LibraryStore.file(plan.id, version: nil, in: anhai, on: db).bytes) == pdf)
            #expect(Array(try await LibraryStore.file(plan.id, version: 1, in: anhai, on: db).bytes) == docx)
            #expect(Array(try await LibraryStore.file(jinjiangOnly.id, version: 1, in: anhai, on: db).bytes) == xlsx)
            #expect(try await LibraryStore.require(plan.id, in: anhai, on: db).versions.map(\.number) == [2, 1])
            // 晋江 may not revise the city's document.
            await #expect(throws: Refusal.self) {
                _ = try await LibraryStore.addVersion(plan.id, file: .init(fileName: "x.pdf", bytes: pdf), note: "改", maximumBytes: 1 << 20,
                                                      in: .within("35/3505/350582/"), by: testActor, on: db)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileOfAnotherKindOrOverTheLimitIsRefusedAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let before = (try await count("library_documents", on: db), try await count("library_versions", on: db), try await count("audit_events", on: db))
            func draft(_ name: String, _ bytes: [UInt8], audience: [String] = ["3505"]) -> LibraryDocumentDraft {
                .init(campaignID: nil, kind: .notice, title: "通知", issuingBody: "共青团泉州市委", issuedOn: day("2012-11-20"), audienceCodes: audience,
                      file: .init(fileName: name, bytes: bytes))
            }
            let zipNotOffice: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array("some/other.txt".utf8)
            let cases: [(LibraryDocumentDraft, String)] = [
                (draft("通知.pdf", Array("MZ\u{0}\u{0}program".utf8)), "「通知.pdf」不是允许的文件类型"),
                (draft("通知.docx", zipNotOffice), "「通知.docx」不是允许的文件类型"),
                (draft("照片.pdf", [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]), "不是允许的文件类型"),
                (draft("大.pdf", Array("%PDF-".utf8) + Array(repeating: 32, count: 3000)), "超过每个文件"),
                (draft("空.pdf", []), "是空文件"),
                (LibraryDocumentDraft(campaignID: nil, kind: nil, title: " ", issuingBody: "", issuedOn: nil, audienceCodes: [], file: nil), "资料类别"),
            ]
            for (draft, message) in cases {
                do {
                    _ = try await LibraryStore.create(draft, maximumBytes: 2000, in: .everywhere, by: testActor, on: db)
                    Issue.record("accepted: \(message)")
                } catch let refusal as Refusal {
                    #expect(refusal.message.contains(message), "\(refusal.message)")
                }
            }
            await #expect(throws: Refusal.self) {
                _ = try await LibraryStore.create(draft("通知.pdf", Array("%PDF-1.4".utf8)), maximumBytes: 2000, in: .within("35/3505/350582/"), by: testActor, on: db)
            }
            #expect(try await count("library_documents", on: db) == before.0)
            #expect(try await count("library_versions", on: db) == before.1)
            #expect(try await count("audit_events", on: db) == before.2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFAQIsSearchedByEveryWordAndReadWhereItIsIssued(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let first = try await FAQStore.add(divisionCode: "3505", topic: "非公企业", question: "非公企业团员不足 3 人怎么建团？",
                                               answer: "可与相邻企业联合建团，或先建青年组织。", in: .everywhere, by: testActor, on: db)
            _ = try await FAQStore.add(divisionCode: "350582", topic: "学校", question: "中职学校团组织归谁管？", answer: "实行双重管理，活动属地化。",
                                       in: .within("35/3505/350582/"), by: testActor, on: db)
            await #expect(throws: Refusal.self) {
                _ = try await FAQStore.add(divisionCode: "3505", topic: "", question: " ", answer: "", in: .everywhere, by: testActor, on: db)
            }
            #expect(try await FAQStore.search("联合 建团", readableIn: .everywhere, on: db).map(\.id) == [first.id])
            #expect(try await FAQStore.search(nil, readableIn: .within("35/3505/350583/"), on: db).map(\.id) == [first.id])
            #expect(try await FAQStore.search("双重管理", readableIn: .within("35/3505/350582/350582101/"), on: db).count == 1)
            let edited = try await FAQStore.update(first.id, topic: "非公企业", question: first.question, answer: "联合建团。", in: .everywhere, by: testActor, on: db)
            #expect(edited.answer == "联合建团。")
            await #expect(throws: Refusal.self) {
                _ = try await FAQStore.update(first.id, topic: "", question: "q", answer: "a", in: .within("35/3505/350582/"), by: testActor, on: db)
            }
        }
    }
}
