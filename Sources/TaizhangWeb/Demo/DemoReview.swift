import Foundation
import FluentKit
import TaizhangCore
import TaizhangStore

/// The demo's review story (核查): most counties verified most of their townships' records and
/// the city confirmed most of those and signed off their ledgers as of 2012-12-15; a few
/// records were returned with reasons; 安溪 has a backlog; 晋江 (whose verifier is a demo
/// account) still has a queue and is not signed off.
enum DemoReview {
    static let backlogCounty = "350524"
    static let openCounty = "350582"
    static let countyReasons = ["成立日期与批复文件不一致，请核对后修改", "书记联系电话无法接通，请核实", "团员数与花名册不符",
                                "单位已搬离本镇，请确认所属乡镇"]
    static let cityReasons = ["抽查发现批复文号缺失，请补充", "与另一乡镇记录疑似重复，请核实"]

    static func seed(on db: any Database) async throws -> [String] {
        var generator = SeededGenerator(seed: 20_121_201)
        let cityActor = Actor(userID: "demo-city-verifier", name: "泉州团市委 核查组", clientAddress: nil)
        let counties = try await DivisionQueries.children(of: DemoSeeder.city, on: db)
        var verified = 0, confirmed = 0, returned = 0, signed: [String] = []
        // As of the deadline, or of today in a demo replaying the campaign before it.
        let signOffDay = min(CalendarDay(year: 2012, month: 12, day: 15)!, CalendarDay.today())
        // The counties reviewed on the evening of the 13th, the city on the evening of the 14th (as the
        // assessment's 核查通过率 reads them), or both on the demo's day when it replays the campaign before then.
        let countyTime = min(min(CalendarDay(year: 2012, month: 12, day: 13)!, CalendarDay.today()).startInShanghai.addingTimeInterval(17 * 3600), Date())
        let cityTime = min(min(CalendarDay(year: 2012, month: 12, day: 14)!, CalendarDay.today()).startInShanghai.addingTimeInterval(18 * 3600), Date())
        for county in counties.sorted(by: { $0.code < $1.code }) {
            let scope = Scope.within(county.path)
            let countyActor = Actor(userID: "demo-county-\(county.code)", name: "\(county.name)团委 核查员", clientAddress: nil)
            let pending = try await ReviewQueue.page(.init(scope: scope, state: .pending), limit: 100_000, on: db).shuffled(using: &generator)
            guard !pending.isEmpty else { continue }
            let share = county.code == backlogCounty ? 0.2 : county.code == openCounty ? 0.75 : 0.92
            let toVerify = Array(pending.prefix(Int(Double(pending.count) * share)))
            let toReturn = Array(pending.dropFirst(toVerify.count).prefix(3))
            if !toVerify.isEmpty {
                verified += try await ReviewStore.confirm(toVerify.map(\.code), at: .county, scope: scope, by: countyActor, time: countyTime,
                                                          on: db).count
            }
            for (index, record) in toReturn.enumerated() {
                returned += try await ReviewStore.returnRecords([record.code], at: .county, reason: countyReasons[index % countyReasons.count],
                                                                scope: scope, by: countyActor, time: countyTime, on: db).count
            }
            let founded = toVerify.filter { $0.fields.stage == .founded }
            let cityShare = county.code == backlogCounty ? 0.5 : county.code == openCounty ? 0.6 : 0.9
            let toConfirm = Array(founded.prefix(Int(Double(founded.count) * cityShare)))
            if !toConfirm.isEmpty {
                confirmed += try await ReviewStore.confirm(toConfirm.map(\.code), at: .city, scope: scope, by: cityActor, time: cityTime,
                                                           on: db).count
            }
            for (index, record) in founded.dropFirst(toConfirm.count).prefix(county.code == backlogCounty ? 0 : 1).enumerated() {
                returned += try await ReviewStore.returnRecords([record.code], at: .city, reason: cityReasons[index % cityReasons.count],
                                                                scope: scope, by: cityActor, time: cityTime, on: db).count
            }
            if county.code != backlogCounty, county.code != openCounty, county.level == .county, !toConfirm.isEmpty {
                _ = try await SignOffStore.signOff(county: county.code, asOf: signOffDay, scope: .everywhere,
                                                   by: cityActor, on: db)
                signed.append(county.name)
            }
        }
        return ["  核查：县级已核实 \(verified) 条、市级已确认 \(confirmed) 条、退回 \(returned) 条；安溪县积压较多；"
                + "市级已签字确认（截至 \(signOffDay)）：\(signed.joined(separator: "、"))"]
    }
}
