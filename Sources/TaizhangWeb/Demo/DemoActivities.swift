import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore

/// The demo's brand activities (品牌活动): in every 泉州 township three activities before its
/// organizations were founded, reaching twelve of its ledger's units and a few units that have no
/// organization yet, so the conversion view shows a real funnel and founding times.
enum DemoActivities {
    static let kinds = ["青年志愿者服务", "青年文明号", "青年突击队", "联谊", "培训"]
    static let titles = ["青年志愿者服务日", "青年文明号创建推进会", "青年突击队攻坚行动", "青年联谊交友会", "团建业务培训"]
    static let unorganized = ["奶茶店青年店员", "快递网点", "电商创业青年"]

    static func seed(on database: any Database) async throws -> [String] {
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), limit: 10_000, on: database)
        let organizations = try await DemoConference.organizations(on: database)
        let now = Date()
        let earliest = CalendarDay(year: 2012, month: 9, day: 1)!, latest = CalendarDay(year: 2012, month: 11, day: 30)!
        return try await writeTransaction(on: database) { db in
            var activityRows: [[SQLBind]] = []
            var planned: [(township: String, title: String, units: [(name: String, code: String?)])] = []
            for (index, township) in townships.enumerated() {
                let reached = Array((organizations[township.code] ?? []).prefix(12))
                for number in 0..<3 {
                    let group = stride(from: number, to: reached.count, by: 3).map { reached[$0] }
                    // Before the first founding among the units it reached, or in November for those not founded yet.
                    let founded = group.compactMap { $0.foundedOn.flatMap(CalendarDay.init(iso:)) }.min()
                    let day = max(earliest, min(latest, (founded ?? CalendarDay(year: 2012, month: 11, day: 20)!).adding(days: -(12 + (index * 7 + number * 11) % 35))))
                    let kind = (index + number) % kinds.count
                    let title = "\(township.name)\(titles[kind])"
                    activityRows.append([SQLBind(township.code), SQLBind(kinds[kind]), SQLBind(title), SQLBind(day.description), SQLBind("\(township.name)团委"),
                                         SQLBind(20 + (index * 13 + number * 7) % 80), SQLBind(""), SQLBind(DemoConference.actorName), SQLBind(now)])
                    var units = group.map { (DemoConference.unitName($0.name), Optional($0.code)) }
                    if number == 0 || index % 2 == 0 { units.append((township.name + unorganized[(index + number) % unorganized.count], nil)) }
                    planned.append((township.code, title, units))
                }
            }
            try await DemoConference.insert("activities", columns: ["township_code", "kind", "title", "held_on", "organizer", "youth_reached", "notes",
                                                                   "recorded_by", "recorded_at"], rows: activityRows, on: db)
            struct Row: Decodable { var id: Int; var townshipCode: String; var title: String; var kind: String; var heldOn: String }
            let recorded = try await db.sql.select().columns("id", "township_code", "title", "kind", "held_on").from("activities")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            try await DemoConference.audit("activity.record", entityType: "activity", recorded.map {
                ($0.id, $0.townshipCode, ["活动类型": $0.kind, "活动名称": $0.title, "活动日期": $0.heldOn])
            }, on: db)
            let ids = Dictionary(recorded.map { ("\($0.townshipCode)|\($0.title)", $0.id) }, uniquingKeysWith: { $1 })
            var unitRows: [[SQLBind]] = []
            for activity in planned {
                guard let id = ids["\(activity.township)|\(activity.title)"] else { continue }
                for (position, unit) in activity.units.enumerated() {
                    unitRows.append([SQLBind(id), SQLBind(position + 1), SQLBind(unit.name), SQLBind(Optional<Int>.none), SQLBind(unit.code)])
                }
            }
            try await DemoConference.insert("activity_units", columns: ["activity_id", "position", "unit_name", "member_id", "organization_code"],
                                            rows: unitRows, on: db)
            let units = try await ActivityStore.conversionUnits(under: "35/3505/", in: .everywhere, on: db)
            let conversion = Conversion(units: units)
            return ["  品牌活动 \(activityRows.count) 次，覆盖单位 \(conversion.reached) 个，其中已建立团组织 \(conversion.atLeast[.founded] ?? 0) 个"
                    + (conversion.medianDaysToFounding.map { "（首次活动到成立中位 \($0) 天）" } ?? "")]
        }
    }
}
