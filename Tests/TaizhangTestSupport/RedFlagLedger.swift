import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// A generated ledger for the red-flag tests: organizations imported through the ledger importer,
/// then given the creation days they are meant to have.
public enum RedFlagLedger {
    public struct Organization: Sendable {
        public var name: String
        public var township: DivisionQueries.TownshipLabel
        public var stage: Stage
        public var approvedOn: CalendarDay?
        public var foundedOn: CalendarDay?
        public var secretaryPhone: String?
        public var actingSecretaryPhone: String?
        public var memberCount: Int?
        public var createdOn: CalendarDay

        public init(name: String, township: DivisionQueries.TownshipLabel, stage: Stage, approvedOn: CalendarDay?, foundedOn: CalendarDay?,
                    secretaryPhone: String?, actingSecretaryPhone: String?, memberCount: Int?, createdOn: CalendarDay) {
            self.name = name
            self.township = township
            self.stage = stage
            self.approvedOn = approvedOn
            self.foundedOn = foundedOn
            self.secretaryPhone = secretaryPhone
            self.actingSecretaryPhone = actingSecretaryPhone
            self.memberCount = memberCount
            self.createdOn = createdOn
        }
    }

    public static let deadline = CalendarDay(year: 2012, month: 12, day: 15)!
    public static let start = CalendarDay(year: 2012, month: 10, day: 15)!
    /// Sixty characters for two-character brands: two brands of a township differ in at least one
    /// character, which leaves two of its names (without the township's name) at most 7/8 alike.
    static let brandCharacters = Array("宏达恒安华泰金源嘉和永兴瑞丰天成顺昌万利信诚兴业亿中正福荣盛海建新联明南星启航泰通鸿康乐美佳祥云峰光辉宝庆长江东西北方圆")
    static let units = ["鞋业有限公司团支部", "纺织服装有限公司团支部", "石材有限公司团支部", "中心小学团支部", "卫生院团支部",
                        "茶叶专业合作社团支部", "青年志愿者协会团支部", "物流有限公司团支部"]

    /// The `number`-th clean organization of `township` (distinct, dissimilar names; its own phone;
    /// counts, dates and secretary in order), created on one of the sixty days up to the deadline in turn.
    public static func clean(_ number: Int, of township: DivisionQueries.TownshipLabel, serial: Int) -> Organization {
        // First character from the first half, second from the other: (a, b) is distinct for each number below 900.
        let half = brandCharacters.count / 2
        let brand = String([brandCharacters[number % half], brandCharacters[half + (number / half + number) % half]])
        let roll = serial % 10
        let stage: Stage = roll < 7 ? .founded : roll < 9 ? .preparing : .leagueLike
        let approved = start.adding(days: number % 30)
        return Organization(
            name: township.name + brand + units[(number / 7) % units.count], township: township, stage: stage,
            approvedOn: stage == .leagueLike ? nil : approved, foundedOn: stage == .founded ? approved.adding(days: 5 + number % 10) : nil,
            secretaryPhone: stage == .founded ? "139" + String(10_000_000 + serial) : nil,
            actingSecretaryPhone: stage == .preparing ? "138" + String(10_000_000 + serial) : nil,
            memberCount: stage == .leagueLike ? nil : 3 + serial % 38, createdOn: deadline.adding(days: -(number % 60)))
    }

    /// `count` clean organizations spread over `townships` in turn.
    public static func clean(count: Int, over townships: [DivisionQueries.TownshipLabel]) -> [Organization] {
        var perTownship: [String: Int] = [:]
        return (0..<count).map { serial in
            let township = townships[serial % townships.count]
            let number = perTownship[township.code, default: 0]
            perTownship[township.code] = number + 1
            return clean(number, of: township, serial: serial)
        }
    }

    /// Imports `organizations` and sets each one's creation time to noon (Asia/Shanghai) of its day.
    /// Returns the codes by name and township code.
    @discardableResult
    public static func write(_ organizations: [Organization], on db: any Database) async throws -> [String: String] {
        var csv = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
        for o in organizations {
            var values: [LedgerColumn: String] = [
                .county: o.township.countyName, .township: o.township.code, .name: o.name, .orgType: "团支部", .unitCategory: "非公企业",
                .buildMode: "单独建团", .stage: o.stage.label, .guidance: "新建", .dualManagement: "否",
            ]
            values[.preparationApprovedOn] = o.approvedOn?.description
            values[.foundedOn] = o.foundedOn?.description
            if let phone = o.secretaryPhone { values[.secretaryName] = "陈晓"; values[.secretaryPhone] = phone }
            if let phone = o.actingSecretaryPhone { values[.actingSecretaryName] = "林峰"; values[.actingSecretaryPhone] = phone }
            if let members = o.memberCount { values[.memberCount] = String(members); values[.youthCount] = String(members * 3) }
            csv += LedgerColumn.allCases.map { CSVWriter.field(values[$0] ?? "") }.joined(separator: ",") + "\n"
        }
        _ = try await LedgerImporter.commit(try TabularFileReader(data: Data(csv.utf8)), fileName: "预警测试.csv", scope: .everywhere,
                                            by: testActor, on: db)
        let rows = try await db.sql.select().columns("code", "name", "township_code").from("organizations").all()
        var codes: [String: String] = [:]
        for row in rows {
            codes[try row.decode(column: "township_code", as: String.self) + "/" + row.decode(column: "name", as: String.self)] =
                try row.decode(column: "code", as: String.self)
        }
        var byDay: [CalendarDay: [String]] = [:]
        for o in organizations { byDay[o.createdOn, default: []].append(codes[o.township.code + "/" + o.name]!) }
        for (day, dayCodes) in byDay {
            let noon = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 4 * 3600)
            for start in stride(from: 0, to: dayCodes.count, by: 500) {
                try await db.sql.update("organizations").set("created_at", to: SQLBind(noon))
                    .where("code", .in, Array(dayCodes[start..<min(dayCodes.count, start + 500)])).run()
            }
        }
        return codes
    }
}
