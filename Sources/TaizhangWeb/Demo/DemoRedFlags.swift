import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore

/// Red flags for the demo to find, planted in the generated ledger as townships might have typed
/// it: each record's creation moved to when it was plausibly entered, then a few near-duplicate
/// names in 南安 水头镇 (one repeated in 官桥镇), one phone number behind eight 晋江 organizations,
/// and a burst of late entries in 德化 浔中镇. Names, phones and entry times change no count.
enum DemoRedFlags {
    static let nearDuplicateTownship = "350583119"  // 南安 水头镇
    static let duplicateTownship = "350583118"      // 南安 官桥镇
    static let phoneCounty = "350582"               // 晋江 (安海镇 left alone)
    static let sharedPhone = "13905958888"
    static let burstTownship = "350526100"          // 德化 浔中镇
    static let burstSize = 24

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let today = CalendarDay.today()
        try await backdate(campaign, today: today, on: db)
        let names = try await plantNames(on: db)
        try await plantPhone(on: db)
        let cutoff = try await plantBurst(campaign, today: today, on: db)
        return ["  数据预警：水头镇名称相近 \(names) 处（其一在官桥镇重名），电话 \(sharedPhone) 用于晋江 8 个团组织，浔中镇\(cutoff.map { "在 \($0) 前突击录入 \(burstSize) 个" } ?? "（演示日期早于截止日，暂无突击录入）")"]
    }

    /// Each record entered 0–3 days after it was founded or approved (or on a day of the campaign
    /// when it has neither), never after today or the deadline.
    static func backdate(_ campaign: Campaign, today: CalendarDay, on db: any Database) async throws {
        let rows = try await db.sql.select().columns("code", "preparation_approved_on", "founded_on").from("organizations").all()
        let span = max(1, campaign.start.days(until: campaign.deadline))
        var byDay: [CalendarDay: [String]] = [:]
        for row in rows {
            let code = try row.decode(column: "code", as: String.self)
            let spread = code.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }
            let dated = try row.decode(column: "founded_on", as: String?.self) ?? row.decode(column: "preparation_approved_on", as: String?.self)
            let base = dated.flatMap(CalendarDay.init(iso:)) ?? campaign.start.adding(days: spread % span)
            let day = max(base, min(base.adding(days: spread % 4), min(today, campaign.deadline)))
            byDay[day, default: []].append(code)
        }
        for (day, codes) in byDay { try await setCreated(codes, day: day, hour: 10, on: db) }
    }

    static func setCreated(_ codes: [String], day: CalendarDay, hour: Int, on db: any Database) async throws {
        let instant = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + Double(hour - 8) * 3600)
        for start in stride(from: 0, to: codes.count, by: 500) {
            try await db.sql.update("organizations").set("created_at", to: SQLBind(instant))
                .where("code", .in, Array(codes[start..<min(codes.count, start + 500)])).run()
        }
    }

    static func organizations(in township: String, on db: any Database) async throws -> [(code: String, name: String)] {
        try await db.sql.select().columns("code", "name").from("organizations").where("township_code", .equal, township)
            .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue]).orderBy("code").all()
            .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }

    static func rename(_ code: String, to name: String, on db: any Database) async throws {
        try await db.sql.update("organizations").set("name", to: SQLBind(name)).set("name_sort", to: SQLBind(NameSortKey.of(name)))
            .where("code", .equal, code).run()
    }

    /// 水头镇: one company entered twice (有限公司 / 有限责任公司 and a space), another once as 厂;
    /// 官桥镇 enters the first company too.
    static func plantNames(on db: any Database) async throws -> Int {
        let records = try await organizations(in: nearDuplicateTownship, on: db)
        // The second a name long enough (six characters without 水头 and the suffix) for one more character to matter little.
        guard let first = records.first(where: { $0.name.hasSuffix("有限公司团支部") }),
              let second = records.first(where: { $0.name.hasSuffix("纺织服装有限公司团支部") && $0.code != first.code }),
              records.count >= 4 else { return 0 }
        let companies = [first, second]
        let others = records.filter { $0.code != companies[0].code && $0.code != companies[1].code }
        try await rename(others[0].code, to: companies[0].name.replacingOccurrences(of: "有限公司团支部", with: "有限责任公司 团支部"), on: db)
        try await rename(others[1].code, to: companies[1].name.replacingOccurrences(of: "有限公司团支部", with: "厂团支部"), on: db)
        if let elsewhere = try await organizations(in: duplicateTownship, on: db).first {
            try await rename(elsewhere.code, to: companies[0].name, on: db)
        }
        return 2
    }

    /// One founded organization in each of eight 晋江 townships gives the same secretary's phone.
    static func plantPhone(on db: any Database) async throws {
        let rows = try await db.sql.select().columns("code", "township_code").from("organizations")
            .where("stage", .equal, Stage.founded.rawValue).where("township_code", .notEqual, "350582101")
            .where("township_code", .like, phoneCounty + "%").where("secretary_phone", .isNot, SQLLiteral.null).orderBy("code").all()
        var seen = Set<String>()
        var codes: [String] = []
        for row in rows where codes.count < 8 {
            if seen.insert(try row.decode(column: "township_code", as: String.self)).inserted { codes.append(try row.decode(column: "code", as: String.self)) }
        }
        try await db.sql.update("organizations").set("secretary_phone", to: SQLBind(sharedPhone)).where("code", .in, codes).run()
    }

    /// 浔中镇's last records entered in the three days up to the latest cut-off that has passed.
    static func plantBurst(_ campaign: Campaign, today: CalendarDay, on db: any Database) async throws -> CalendarDay? {
        let cutoffs = [campaign.deadline] + RedFlagCutoff.halfMonthEnds(from: campaign.start, through: campaign.deadline).map(\.day)
        guard let cutoff = cutoffs.filter({ $0 <= today }).max() else { return nil }
        let late = try await organizations(in: burstTownship, on: db).suffix(burstSize).map(\.code)
        for (index, code) in late.enumerated() { try await setCreated([code], day: cutoff.adding(days: -(index % 3)), hour: 20, on: db) }
        return cutoff
    }
}
