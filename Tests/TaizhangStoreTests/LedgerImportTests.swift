import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import Testing

/// The template's header, as a CSV line.
let templateHeader = LedgerColumn.allCases.map(\.header).joined(separator: ",")

func csvReader(_ text: String) throws -> TabularFileReader {
    try TabularFileReader(data: Data(text.utf8))
}

@Suite struct LedgerImportTests {
    @Test(arguments: TestDatabase.all)
    func importsRowsAsCadresTypeThemAndFindsTownshipsByAnySpelling(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let csv = """
            \(templateHeader)
            ,鲤城区,海滨街道,海滨社区青年志愿者团支部,团支部,青年自组织,单独,,已建立,2012/10/8,2012年11月5日,泉团〔2012〕12号,王芳,１３９０５９５１２３４,,,１２,３０,否,,新建,青年志愿者,
            ,鲤城区,海滨街道办事处,海滨农贸市场团支部,团支部,个体工商户,市场建团,海滨农贸市场、海滨商贸城（非公企业）,筹建,41200,,,,,李强,张老师,3,15,是,鲤城区市场监督管理局,新建,"青年文明号、青年突击队",
            ,,海滨,海滨小学团支部,团支部,学校,单独建团,,类团组织,,,,,,,,,,否,,联系指导,,
            ,晋江市,安海镇,安海镇商会团委,团委,非公企业,行业建团,,青年组织,,,,,,,,,,,,,,试点
            """
            let preview = try await LedgerImporter.preview(try csvReader(csv), scope: .everywhere, on: app.db)
            #expect(preview.rejected == [])
            #expect(preview.newCount == 4)
            #expect(preview.rowCount == 4)
            let committed = try await LedgerImporter.commit(try csvReader(csv), fileName: "test.csv", scope: .everywhere, by: testActor, on: app.db)
            #expect(committed.newCount == 4)

            let page = try await LedgerQuery.page(LedgerFilter(), sort: .ledger, after: nil, limit: 10, on: app.db)
            let byName = Dictionary(uniqueKeysWithValues: page.records.map { ($0.fields.name, $0) })
            let volunteers = try #require(byName["海滨社区青年志愿者团支部"])
            #expect(volunteers.code == "350502001-0001")
            #expect(volunteers.fields.buildMode == "单独建团")
            #expect(volunteers.fields.foundedOn == CalendarDay(year: 2012, month: 11, day: 5))
            #expect(volunteers.fields.preparationApprovedOn == CalendarDay(year: 2012, month: 10, day: 8))
            #expect(volunteers.fields.secretaryPhone == "13905951234")
            #expect(volunteers.fields.memberCount == 12)
            #expect(volunteers.fields.brandActivities == [.volunteers])
            let market = try #require(byName["海滨农贸市场团支部"])
            #expect(market.code == "350502001-0002")
            #expect(market.fields.preparationApprovedOn == CalendarDay(year: 2012, month: 10, day: 18))
            #expect(market.fields.coveredUnits == [CoveredUnit(name: "海滨农贸市场", unitCategory: "个体工商户"),
                                                   CoveredUnit(name: "海滨商贸城", unitCategory: "非公企业")])
            #expect(market.fields.dualManagement)
            #expect(market.fields.countyDepartment == "鲤城区市场监督管理局")
            #expect(market.fields.brandActivities == [.civilizedPost, .shockTeam])
            #expect(byName["海滨小学团支部"]?.fields.guidance == .guidedOnly)
            #expect(byName["安海镇商会团委"]?.fields.notes == "试点")
            let audit = try await AuditLog.events(entityType: "organization", entityID: volunteers.code, on: app.db)
            #expect(audit.map(\.action) == ["organization.import.create"])
            #expect(try await OrganizationStore.timeline(volunteers.code, on: app.db).map(\.to) == [.founded])
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyRejectedRowIsNamedWithColumnAndReasonAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            _ = try await OrganizationStore.create(sampleFields(), by: testActor, on: app.db)
            let csv = """
            乡镇（街道）,县（市、区）,团组织名称,组织类型,单位类别,建设阶段,成立日期,团员数,联系人
            安海镇,晋江市,磁灶商会团支部,团支部,非公企业,已建立,2012-11-31,5,张三
            官桥镇,,官桥中学团支部,团支部,学校,筹建,,,
            不存在镇,晋江市,某团支部,团支部,学校,筹建,,,
            安海镇,晋江市,安海镇商会团支部,团支部,非公企业,筹建,,,
            安海镇,晋江市,重复团支部,团总部,外企,完成,,很多,
            安海镇,晋江市,重复团支部,团支部,学校,筹建,,,
            安海镇,晋江市,重复团支部,团支部,学校,筹建,,,
            安海镇,晋江市,未成立团支部,团支部,学校,已建立,,,
            安海镇,晋江市,好团支部,团支部,学校,筹建,,,
            """
            let preview = try await LedgerImporter.preview(try csvReader(csv), scope: .everywhere, on: app.db)
            #expect(preview.unknownHeaders == ["联系人"])
            let messages = preview.rejected.map(\.message)
            #expect(messages.contains("第 2 行「成立日期」：「2012-11-31」不是存在的日期"))
            #expect(messages.contains { $0.hasPrefix("第 3 行「乡镇（街道）」：「官桥镇」可指") && $0.contains("350583118") && $0.contains("350524103") })
            #expect(messages.contains("第 4 行「乡镇（街道）」：「晋江市」下没有名为「不存在镇」的乡镇（街道）"))
            #expect(messages.contains("第 5 行「团组织名称」：台账中已有同名团组织（编码 350582101-0001）；要修改它请填写组织编码"))
            #expect(messages.contains { $0.hasPrefix("第 6 行「组织类型」：「团总部」不是可选的组织类型") })
            #expect(messages.contains { $0.hasPrefix("第 6 行「单位类别」：「外企」") })
            #expect(messages.contains { $0.hasPrefix("第 6 行「建设阶段」：「完成」不是建设阶段") })
            #expect(messages.contains("第 6 行「团员数」：「很多」不是整数"))
            #expect(messages.contains("第 8 行「团组织名称」：与第 7 行重复（同一乡镇下同名的团组织）"))
            #expect(messages.contains("第 9 行「成立日期」：建设阶段为「已建立」时必须填写成立日期"))
            #expect(preview.newCount == 2)
            #expect(!preview.canCommit)

            let refusal = await #expect(throws: Refusal.self) {
                try await LedgerImporter.commit(try csvReader(csv), fileName: "bad.csv", scope: .everywhere, by: testActor, on: app.db)
            }
            #expect(refusal?.message.hasPrefix("导入未执行：有 7 行被退回") == true)
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 100, on: app.db) == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func townshipsOutsideTheImportersScopeAreRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let csv = """
            县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别
            南安市,仑苍镇,仑苍镇团支部,团支部,学校
            晋江市,350582102,磁灶镇团支部,团支部,学校
            """
            let preview = try await LedgerImporter.preview(try csvReader(csv), scope: .within("35/3505/350582/"), on: app.db)
            #expect(preview.rejected.map(\.message) == ["第 2 行「县（市、区）」：县（市、区）「南安市」不在您的管理范围内或不存在"])
            #expect(preview.newCount == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func exportingAndReimportingChangesNothingInXLSXAndCSV(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            var joint = sampleFields("五店市街区联合团支部", stage: .founded)
            joint.buildMode = "联合建团"
            joint.coveredUnits = [CoveredUnit(name: "五店市传统街区管委会", unitCategory: "部门派驻乡镇机构"),
                                  CoveredUnit(name: "=SUM(A1)", unitCategory: "非公企业")]
            joint.notes = "含逗号,引号\"和\n换行"
            joint.brandActivities = [.volunteers, .civilizedPost]
            joint.dualManagement = true
            joint.countyDepartment = "晋江市商务局"
            _ = try await OrganizationStore.create(joint, by: testActor, on: app.db)
            let cizao = try await OrganizationStore.create(sampleFields("磁灶镇团支部", township: "350582102"), by: testActor, on: app.db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tz-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // A spot check found the second 不属实: the export says so in 核查状态, which the import ignores.
            try await writeTransaction(on: app.db) { db in
                try await OrganizationReview.refute(codes: [cizao.record.code], on: CalendarDay(year: 2012, month: 12, day: 10)!, by: testActor, db: db)
            }
            for format in LedgerExporter.Format.allCases {
                let url = folder.appendingPathComponent("ledger.\(format.rawValue)")
                let written = try await LedgerExporter.write(LedgerFilter(), to: url, format: format, on: app.db)
                #expect(written == 2)
                var rows: [[String]] = []
                _ = try TabularFileReader(url: url).forEachRow { _, cells in rows.append(cells) }
                #expect(rows.first?.last == "核查状态", "\(format)")
                #expect(Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0.last ?? "") })
                        == ["350582101-0001": "待县核实", cizao.record.code: "抽查不属实"], "\(format)")
                let preview = try await LedgerImporter.preview(try TabularFileReader(url: url), scope: .everywhere, on: app.db)
                #expect(preview.unknownHeaders == [], "\(format)")
                #expect(preview.rejected == [], "\(format)")
                #expect(preview.unchangedCount == 2, "\(format)")
                #expect(preview.newCount + preview.updatedCount == 0, "\(format)")
            }
            // An edited export updates the record it names, and only what changed is audited.
            let csvURL = folder.appendingPathComponent("ledger.csv")
            let edited = try String(contentsOf: csvURL, encoding: .utf8).replacingOccurrences(of: ",陈晓,", with: ",陈晓明,")
            let preview = try await LedgerImporter.commit(try TabularFileReader(data: Data(edited.utf8)), fileName: "edited.csv",
                                                          scope: .everywhere, by: testActor, on: app.db)
            #expect(preview.updatedCount == 2)
            let record = try await OrganizationStore.require("350582101-0001", on: app.db)
            #expect(record.fields.secretaryName == "陈晓明")
            #expect(record.version == 2)
            let audit = try await AuditLog.events(entityType: "organization", entityID: "350582101-0001", on: app.db)
            let update = try #require(audit.first { $0.action == "organization.import.update" })
            #expect(update.beforeJSON == #"{"书记姓名":"陈晓"}"#)
            #expect(update.afterJSON == #"{"书记姓名":"陈晓明"}"#)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badFilesAreRefusedByNameAndChangeNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            // A CSV saved by Chinese Excel in GBK is read correctly.
            let gbk = Data(base64Encoded: "z+fV8qOovda1wKOpLM3F1+nWr8P7s8Ys1+nWr8Dg0M0staXOu8DgsfAsvajJ6L3Xts4NCrCyuqPV8iywsrqj1fLO5b3wycy74c3F1qeyvyzNxdansr8st8e5q8bz0rUss++9qA0K")!
            let fromGBK = try await LedgerImporter.preview(try TabularFileReader(data: gbk), scope: .everywhere, on: app.db)
            #expect(fromGBK.rejected == [])
            #expect(fromGBK.newCount == 1)

            let noHeader = "安海镇,某团支部,团支部,学校\n"
            let headerError = await #expect(throws: InvalidInput.self) {
                _ = try await LedgerImporter.preview(try csvReader(noHeader), scope: .everywhere, on: app.db)
            }
            #expect(headerError?.message.contains("表头") == true && headerError?.message.contains("缺少「乡镇（街道）」「团组织名称」列") == true,
                    "\(headerError?.message ?? "")")
            let empty = await #expect(throws: Refusal.self) {
                _ = try await LedgerImporter.preview(try csvReader("\n\n"), scope: .everywhere, on: app.db)
            }
            #expect(empty?.message.hasPrefix("文件是空的") == true)
            let truncated = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00])
            let zipError = await #expect(throws: SpreadsheetError.self) {
                _ = try await LedgerImporter.preview(try TabularFileReader(data: truncated), scope: .everywhere, on: app.db)
            }
            #expect(zipError?.message.contains("XLSX") == true)
            let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0])
            #expect(throws: SpreadsheetError.self) { _ = try TabularFileReader(data: ole) }
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 100, on: app.db) == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sheetsAsCadresMakeThemFindTheirHeaderAndSetAsideTitlesNotesAndTotals(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let sheet = """
                安海镇直属团组织台账（截至2012年12月3日）,,,,
                ,,,,
                乡镇（街道）,团组织名称,组织类型,单位类别,建设阶段
                （填写说明：建设阶段填 青年组织、类团组织、筹建 或 已建立）,,,,
                安海镇,安海镇恒达（晋江）鞋业团支部,团支部,非公企业,青年组织
                安海镇,安海镇第二中学团支部,团支部,学校,筹建
                ,,,,
                合计,2 个,,,
                填表人：王丽　审核人：陈峰,,,,
                """
            let preview = try await LedgerImporter.preview(try csvReader(sheet), scope: .everywhere, on: app.db)
            #expect(preview.rejected == [])
            #expect(preview.rowCount == 2)
            #expect(preview.newCount == 2)
            #expect(preview.ignoredRows.map(\.rowNumber) == [1, 4, 8, 9])
            #expect(preview.ignoredRows.map(\.reason) == [.aboveHeader, .note, .note, .note])
            #expect(preview.ignoredRows.first?.text == "安海镇直属团组织台账（截至2012年12月3日）")

            // Past the tenth row without a header, the file is refused, naming what the first row lacks.
            let titles = Array(repeating: "标题行,,,", count: 10).joined(separator: "\n") + "\n乡镇（街道）,团组织名称\n"
            let late = await #expect(throws: InvalidInput.self) {
                _ = try await LedgerImporter.preview(try csvReader(titles), scope: .everywhere, on: app.db)
            }
            #expect(late?.message.contains("缺少「乡镇（街道）」「团组织名称」列") == true)
        }
    }

    /// Two 云城街道 under two 白云区 (广州 and 贵阳): an export names both the same way, and its
    /// re-import finds each organization's own; a new row so named is still asked which.
    @Test(arguments: TestDatabase.all)
    func anExportWhoseTownshipNamesAreAmbiguousNationallyImportsBack(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            for province in ["44", "52"] { _ = try await DivisionLoader.load(region: province, from: bundledDivisions, by: testActor, on: app.db) }
            let guangzhou = try await OrganizationStore.create(sampleFields("云城街道第一团支部", township: "440111016"), by: testActor, on: app.db)
            let guiyang = try await OrganizationStore.create(sampleFields("云城街道第一团支部", township: "520113007"), by: testActor, on: app.db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tz-export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = folder.appendingPathComponent("ledger.csv")
            #expect(try await LedgerExporter.write(LedgerFilter(), to: url, format: .csv, on: app.db) == 2)
            let exported = try String(contentsOf: url, encoding: .utf8)
            #expect(exported.components(separatedBy: ",白云区,云城街道,").count == 3)

            let edited = exported.replacingOccurrences(of: ",陈晓,", with: ",陈晓明,")
            let preview = try await LedgerImporter.commit(try TabularFileReader(data: Data(edited.utf8)), fileName: "白云区.csv",
                                                          scope: .everywhere, by: testActor, on: app.db)
            #expect(preview.rejected == [] && preview.updatedCount == 2)
            for (record, township) in [(guangzhou.record, "440111016"), (guiyang.record, "520113007")] {
                let now = try #require(try await OrganizationStore.find(record.code, on: app.db))
                #expect(now.fields.townshipCode == township && now.fields.secretaryName == "陈晓明")
            }

            // Without a code, the row could be either.
            let header = LedgerColumn.allCases.map(\.header).joined(separator: ",")
            let new = header + "\n" + LedgerStreamingImportTests.line([.county: "白云区", .township: "云城街道", .name: "新团支部", .orgType: "团支部", .stage: "筹建"])
            let ambiguous = try await LedgerImporter.preview(try csvReader(new), scope: .everywhere, on: app.db)
            #expect(ambiguous.rejected.map(\.reason) == ["「云城街道」可指 云城街道（440111016）、云城街道（520113007）：请填写县（市、区）或乡镇代码"])
        }
    }
}
