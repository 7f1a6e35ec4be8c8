import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// 对标定级: a township rates its organizations — the demo's rating of 安海镇 (as of 2013-06-30), its
/// units straight from the ledger, organizations' own scores beside the reviewed ones, and what is refused.
@Suite struct AssessmentOrganizationRatingTests {
    static let township = "350582101"

    func rating(on db: any Database) async throws -> Assessment {
        try #require(try await AssessmentStore.list(visibleIn: .everywhere, on: db).first { $0.scopeCode == Self.township })
    }

    func rows(_ table: String, on db: any Database) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test(arguments: TestDatabase.all)
    func theUnitsAreTheTownshipsFoundedOrganizationsWithTheirOwnAndReviewedScores(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let rating = try await rating(on: db)
            #expect(rating.isOrganizationLevel && rating.unitLabel == "团组织")
            #expect(rating.rubric.indicators.allSatisfy { $0.kind == .checked } && rating.rubric.totalWeight == 100)
            // Straight from the ledger: founded by the day, not found refuted by then, in the township.
            let path = try await DivisionQueries.require(Self.township, on: db).path
            var records: [OrganizationRecord] = []
            try await LedgerQuery.forEach(LedgerFilter(scope: .within(path)), on: db) { records += $0 }
            let expected = records.filter {
                $0.fields.stage == .founded && ($0.fields.foundedOn.map { $0 <= rating.asOf } ?? true)
                    && ($0.review.refutedOn.map { $0 > rating.asOf } ?? true)
            }
            let outcome = try await AssessmentStore.preview(rating, on: db)
            #expect(Set(outcome.units.map(\.code)) == Set(expected.map(\.code)))
            #expect(!expected.isEmpty)
            // Six months: founded after 2012-12-30 is not rated yet.
            for record in expected {
                let unit = try #require(outcome.units.first { $0.code == record.code })
                let young = record.fields.foundedOn.map { $0 > CalendarDay(iso: "2012-12-30")! } ?? false
                #expect(unit.isEligible == !young, "\(record.fields.name) \(record.fields.foundedOn?.description ?? "")")
            }
            // Every line of the eligible shows the organization's own score; the demo reviewed two in three.
            let own = try await AssessmentStore.selfScores(rating.id, on: db)
            let reviewed = try await AssessmentStore.checkedScores(rating.id, on: db)
            for unit in outcome.eligible {
                for line in unit.lines {
                    let mine = own.first { $0.unitCode == unit.code && $0.indicatorKey == line.key }
                    #expect(line.selfPoints == mine?.score.points)
                    let review = reviewed.first { $0.unitCode == unit.code && $0.indicatorKey == line.key }
                    #expect(line.isUnscored == (review == nil))
                    #expect(line.points == (review?.score.points ?? .zero))
                    #expect(line.basis.hasPrefix("自评 "))
                    #expect(line.basis.contains(review == nil ? "待审核" : "审核："))
                }
            }
            #expect(outcome.eligible.contains { $0.lines.contains(where: \.isUnscored) })
            // Quotas over the eligible organizations, the total alone deciding ties after the code.
            #expect(outcome.fiveStarCap == rating.rubric.quotas.fiveStarCap(eligible: outcome.eligibleCount))
            #expect(outcome.count(.five) <= outcome.fiveStarCap)
        }
    }

    @Test(arguments: TestDatabase.all)
    func selfAssessmentComesFirstAndBadInputChangesNothing(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let rating = try await rating(on: db)
            let path = try await DivisionQueries.require(Self.township, on: db).path
            let before = (try await rows("assessment_self_scores", on: db), try await rows("assessment_checked_scores", on: db),
                          try await rows("audit_events", on: db), try await AssessmentStore.find(rating.id, in: .everywhere, on: db))

            // A measured indicator (organizations have no target) is refused by name.
            var rubric = rating.rubric
            rubric.indicators[0] = .measured("o1", "目标完成", weight: 15, .completion, .linear(floor: 60, full: 100))
            await #expect { try await AssessmentStore.saveRubric(rating.id, rubric, expectedVersion: rating.rubricVersion, scope: .everywhere,
                                                                 by: testActor, on: db) } throws: { ($0 as? Refusal)?.message.contains("只用检查类指标") == true }
            // A new organization (no self-assessment yet) cannot be reviewed.
            var fields = try #require(try await LedgerQuery.page(LedgerFilter(scope: .within(path)), sort: .ledger, after: nil, limit: 1, on: db).records.first).fields
            fields.name = "对标定级测试团支部"
            fields.stage = .founded
            fields.foundedOn = CalendarDay(iso: "2012-06-01")
            let fresh = try await OrganizationStore.create(fields, by: testActor, on: db).record
            await #expect { try await AssessmentStore.scoreChecked(rating.id, unit: fresh.code, indicator: "o1", points: "10", note: "查阅材料",
                                                                   scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("尚未自评") == true
            }
            // A self-assessment without a note, above the weight, outside the township, or on a county's assessment.
            await #expect { try await AssessmentStore.selfAssess(rating.id, unit: fresh.code, indicator: "o1", points: "10", note: " ",
                                                                 scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("自评说明") == true
            }
            await #expect { try await AssessmentStore.selfAssess(rating.id, unit: fresh.code, indicator: "o1", points: "16", note: "自查",
                                                                 scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("应在 0 到 15 分之间") == true
            }
            let elsewhere = try #require(try await LedgerQuery.page(LedgerFilter(scope: .within(try await DivisionQueries.require("350583", on: db).path)),
                                                                    sort: .ledger, after: nil, limit: 1, on: db).records.first)
            await #expect { try await AssessmentStore.selfAssess(rating.id, unit: elsewhere.code, indicator: "o1", points: "10", note: "自查",
                                                                 scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("不是安海镇的团组织") == true
            }
            let county = try #require(try await AssessmentStore.list(visibleIn: .everywhere, on: db).first { $0.scopeCode == "350582" })
            await #expect { try await AssessmentStore.selfAssess(county.id, unit: fresh.code, indicator: "i6", points: "5", note: "自查",
                                                                 scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.kind == .conflict
            }
            #expect(try await rows("assessment_self_scores", on: db) == before.0)
            #expect(try await rows("assessment_checked_scores", on: db) == before.1)
            #expect(try await AssessmentStore.find(rating.id, in: .everywhere, on: db) == before.3)

            // Self-assessed, then reviewed by someone else: the review counts, the own score stands beside it.
            try await AssessmentStore.selfAssess(rating.id, unit: fresh.code, indicator: "o1", points: "14.5", note: "换届批复齐全",
                                                 scope: .within(path), by: testActor, on: db)
            await #expect { try await AssessmentStore.scoreChecked(rating.id, unit: fresh.code, indicator: "o1", points: "13", note: "自己审自己",
                                                                   scope: .everywhere, by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("双人把关") == true
            }
            let reviewer = Actor(userID: "county-reviewer", name: "晋江市团委 审核员", clientAddress: nil)
            try await AssessmentStore.scoreChecked(rating.id, unit: fresh.code, indicator: "o1", points: "13", note: "批复文号缺一份",
                                                   scope: .everywhere, by: reviewer, on: db)
            let line = try #require(try await AssessmentStore.preview(rating, on: db).units.first { $0.code == fresh.code }?.line("o1"))
            #expect(line.selfPoints == AssessmentPoints(rounding: 14.5) && line.points == AssessmentPoints(points: 13))
            #expect(line.basis == "自评 14.5 分（换届批复齐全）；\(reviewer.name)审核：批复文号缺一份")
            // The review saw 14.5: the own score no longer changes.
            await #expect { try await AssessmentStore.selfAssess(rating.id, unit: fresh.code, indicator: "o1", points: "15", note: "补充材料",
                                                                 scope: .within(path), by: testActor, on: db) } throws: {
                ($0 as? Refusal)?.message.contains("自评不能再改") == true
            }
            #expect(try await rows("audit_events", on: db) > before.2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func evidenceFilesAreCheckedByTheirBytesKeptAndNamedInTheLine(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let rating = try await rating(on: db)
            // One the county has not reviewed yet (a reviewed item's own score no longer changes).
            let unit = try #require(try await AssessmentStore.preview(rating, on: db).eligible.first { $0.line("o4")?.isUnscored == true })
            let pdf = Array("%PDF-1.4\n% 团日活动签到表\n".utf8)
            let files = (try await rows("assessment_evidence_files", on: db), try await AssessmentStore.selfScores(rating.id, on: db))
            // A file that is not what its name says, and one over the limit: both named, nothing written (not even the score).
            await #expect { try await AssessmentStore.selfAssess(rating.id, unit: unit.code, indicator: "o4", points: "18", note: "签到表齐全",
                                                                 evidence: [UploadedFile(fileName: "签到表.pdf", bytes: Array("不是PDF".utf8)),
                                                                            UploadedFile(fileName: "大文件.pdf", bytes: pdf + Array(repeating: 0x20, count: 64))],
                                                                 maximumBytes: 64, scope: .everywhere, by: testActor, on: db) } throws: {
                let message = ($0 as? Refusal)?.message ?? ""
                return message.contains("「签到表.pdf」不是允许的文件类型") && message.contains("「大文件.pdf」有")
            }
            #expect(try await rows("assessment_evidence_files", on: db) == files.0)
            #expect(try await AssessmentStore.selfScores(rating.id, on: db).map(\.score) == files.1.map(\.score))

            try await AssessmentStore.selfAssess(rating.id, unit: unit.code, indicator: "o4", points: "18", note: "签到表齐全",
                                                 evidence: [UploadedFile(fileName: "签到表.pdf", bytes: pdf)], maximumBytes: 1024,
                                                 scope: .everywhere, by: testActor, on: db)
            let stored = try #require(try await AssessmentStore.evidence(rating.id, on: db).last)
            #expect(stored.unitCode == unit.code && stored.indicatorKey == "o4" && stored.kind == .pdf && stored.byteCount == pdf.count)
            #expect(stored.sha256 == SHA256.hex(bytes: pdf))
            let (_, bytes) = try await AssessmentStore.evidenceFile(stored.id, of: rating.id, in: .everywhere, on: db)
            #expect(Array(bytes) == pdf)
            // The county (which sees the whole rating) gets it; another county does not see 安海镇's rating, nor its files.
            let jinjiang = try await DivisionQueries.require("350582", on: db).path
            #expect(Array(try await AssessmentStore.evidenceFile(stored.id, of: rating.id, in: .within(jinjiang), on: db).bytes) == pdf)
            let nanan = try await DivisionQueries.require("350583", on: db).path
            await #expect { try await AssessmentStore.evidenceFile(stored.id, of: rating.id, in: .within(nanan), on: db) } throws: {
                ($0 as? Refusal)?.kind == .notFound
            }
            let line = try #require(try await AssessmentStore.preview(rating, on: db).units.first { $0.code == unit.code }?.line("o4"))
            #expect(line.evidence == ["签到表.pdf"] && line.basis.hasSuffix("；佐证材料：签到表.pdf"))
        }
    }
}
