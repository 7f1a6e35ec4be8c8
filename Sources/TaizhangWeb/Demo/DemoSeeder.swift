import FluentKit
import TaizhangCore
import TaizhangStore

/// `taizhang demo`: a 泉州 instance as the report describes it, ready to explore.
public enum DemoSeeder {
    public struct Summary: Sendable {
        public var lines: [String]
    }

    static let city = "3505"
    static let zoneName = "泉州台商投资区"
    /// The four 惠安县 townships the management zone administers.
    static let zoneTownships = ["350521104", "350521105", "350521106", "350521200"]
    static let keyAreas: [String: Set<KeyAreaTag>] = [
        "350521100": [.countySeat],          // 惠安 螺城镇
        "350524100": [.countySeat],          // 安溪 凤城镇
        "350525100": [.countySeat],          // 永春 桃城镇
        "350526100": [.countySeat],          // 德化 浔中镇
        "350582101": [.smallTown, .developed], // 晋江 安海镇
        "350582102": [.developed],           // 晋江 磁灶镇
        "350582103": [.developed],           // 晋江 陈埭镇
        "350581100": [.developed],           // 石狮 灵秀镇
        "350583119": [.smallTown, .developed], // 南安 水头镇
        "350583118": [.smallTown],           // 南安 官桥镇
        "350524103": [.smallTown],           // 安溪 官桥镇
    ]

    /// Seeds a fresh database; a database that already holds the demo is left as it is.
    public static func seed(on database: any Database) async throws -> Summary {
        if try await DeploymentRegion.find(city, on: database) != nil {
            return Summary(lines: ["演示数据已存在，直接启动（加 --reset 可重新生成）。"])
        }
        let actor = Actor.commandLine("demo")
        let loaded = try await DivisionLoader.load(region: city, from: try DivisionTable.bundled(), by: actor, on: database)
        let zone = try await DivisionEditor.addManagementZone(
            .init(cityCode: city, name: zoneName, leagueCommitteeName: "泉州台商投资区团工委"), by: actor, on: database)
        let moveDay = CalendarDay(year: 2012, month: 10, day: 8)!
        for township in zoneTownships {
            _ = try await DivisionEditor.moveTownship(
                .init(townshipCode: township, toParentCode: zone.code, effectiveDate: moveDay,
                      reason: "由台商投资区管委会管理"), by: actor, on: database)
        }
        for (code, tags) in keyAreas.sorted(by: { $0.key < $1.key }) {
            _ = try await DivisionEditor.updateAttributes(
                of: code, .init(keyAreaTags: Array(tags)), by: actor, on: database)
        }
        var generator = SeededGenerator(seed: 2012)
        let townships = try await Division.query(on: database)
            .filter(\.$levelCode == DivisionLevel.township.rawValue).sort(\.$id).all()
        for township in townships {
            let youth = Int.random(in: 1_500...14_000, using: &generator) / 10 * 10
            _ = try await DivisionEditor.updateAttributes(
                of: township.code, .init(youthPopulation: youth), by: actor, on: database)
        }
        let organizations = try await DemoLedger.seed(on: database)
        return Summary(lines: [
            "已生成泉州演示数据：",
            "  行政区划 \(loaded.inserted) 个（泉州市 12 个县级单位、\(townships.count) 个乡镇街道）",
            "  管委会「\(zoneName)」，划入洛阳镇、东园镇、张坂镇、百崎回族乡",
            "  重点区域标签 \(keyAreas.count) 个乡镇，青年人口 \(townships.count) 个乡镇",
            "  直属团组织 \(organizations) 个（已建立、筹建、类团组织、青年组织）",
        ])
    }
}
