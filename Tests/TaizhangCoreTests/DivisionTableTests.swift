import Testing
@testable import TaizhangCore

@Suite struct DivisionTableTests {
    let table = try! DivisionTable.bundled()

    @Test func bundledTableHoldsTheWholeCountry() {
        #expect(table.records.count == 44_703)
        let counts = Dictionary(grouping: table.records, by: \.level).mapValues(\.count)
        #expect(counts[.province] == 31)
        #expect(counts[.city] == 342)
        #expect(counts[.county] == 2_978)
        #expect(counts[.township] == 41_352)
    }

    @Test func cityRegionIsItsSubtreeWithItsProvince() throws {
        let rows = try table.region("3505")
        #expect(rows.first?.code == "35")
        #expect(rows[1].name == "泉州市")
        #expect(rows.filter { $0.level == .county }.count == 12)
        #expect(rows.filter { $0.level == .township }.count == 175)
        #expect(rows.allSatisfy { $0.code == "35" || $0.code.hasPrefix("3505") })
    }

    @Test func provinceRegionHasNineCitiesAndTheirTownships() throws {
        let rows = try table.region("35")
        #expect(rows.filter { $0.level == .city }.count == 9)
        #expect(rows.filter { $0.level == .township }.count == 1_170)
    }

    @Test func nationalRegionIsEveryRow() throws {
        #expect(try table.region("CN").count == 44_703)
        #expect(try table.region("cn").count == 44_703)
    }

    @Test func parentsComeBeforeChildren() throws {
        var seen = Set<String>()
        for row in try table.region("35") {
            if let parent = row.parentCode { #expect(seen.contains(parent)) }
            seen.insert(row.code)
        }
    }

    @Test(arguments: ["9999", "", "35x", "350502001999"])
    func unknownRegionIsRefusedByName(_ code: String) {
        #expect(throws: DivisionTable.UnknownRegion.self) { try table.region(code) }
        let message = (try? table.region(code)).map { _ in "" } ?? DivisionTable.UnknownRegion(code: code).message
        #expect(message.contains("未知的区划代码"))
    }

    @Test func statisticalCodeIsPaddedToTwelveDigits() throws {
        #expect(table.record(code: "350502001")?.statisticalCode == "350502001000")
        #expect(table.record(code: "3505")?.statisticalCode == "350500000000")
    }

    @Test func malformedTableNamesTheLine() {
        let csv = "code,name,level,parent_code\n35,福建省,province,\n3505,泉州市,metropolis,35\n"
        #expect {
            try DivisionTable(csv: Array(csv.utf8))
        } throws: { error in
            (error as? DivisionTable.ParseError)?.message == "区划表第 3 行：未知层级「metropolis」"
        }
    }

    @Test func orphanRowIsRefused() {
        let csv = "code,name,level,parent_code\n3505,泉州市,city,35\n"
        #expect(throws: DivisionTable.ParseError.self) { try DivisionTable(csv: Array(csv.utf8)) }
    }
}
