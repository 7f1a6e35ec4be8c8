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
            _ = try await TownshipMover.move(
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
        let campaign = try await seedCampaign(by: actor, on: database)
        let townshipCodes = townships.map(\.code)
        let targets = try await CampaignStore.targets(campaign.id, codes: townshipCodes, on: database)
        let (organizations, stalled) = try await DemoLedger.seed(targets: targets, start: campaign.start, deadline: campaign.deadline, on: database)
        // Liaisons first: assigned from 20 October, they are named in the bulletins issued after.
        let liaison = try await DemoLiaison.seed(campaign, stalled: stalled, on: database)
        let (reports, bulletins) = try await DemoReporting.seed(campaign, stalled: stalled, on: database)
        let review = try await DemoReview.seed(on: database)
        let redFlags = try await DemoRedFlags.seed(campaign, on: database)
        let spotCheck = try await DemoSpotCheck.seed(campaign, on: database)
        let assessment = try await DemoAssessment.seed(campaign, on: database)
        let conference = try await DemoConference.seed(on: database)
        let activities = try await DemoActivities.seed(on: database)
        let demonstration = try await DemoDemonstration.seed(campaign, on: database)
        let library = try await DemoLibrary.seed(campaign, on: database)
        try await CampaignStore.propose(campaign.id, divisionCode: "350526", shares: try await proposedShares(campaign, county: "350526", on: database),
                                        reason: "德化县山区乡镇企业少，建议向城关浔中镇倾斜", by: .commandLine("德化县团委"), on: database)
        return Summary(lines: [
            "已生成泉州演示数据：",
            "  行政区划 \(loaded.inserted) 个（泉州市 12 个县级单位、\(townships.count) 个乡镇街道）",
            "  管委会「\(zoneName)」，划入洛阳镇、东园镇、张坂镇、百崎回族乡",
            "  重点区域标签 \(keyAreas.count) 个乡镇，青年人口 \(townships.count) 个乡镇",
            "  直属团组织 \(organizations) 个（已建立、筹建、类团组织、青年组织）",
            "  建团活动「\(campaign.name)」：\(campaign.target) 个，\(campaign.start)—\(campaign.deadline)，指标已分到乡镇；德化县有一份待审核的调整方案",
            "  报送 \(reports) 份（11 月 15 日起日报、周报、半月汇报，有逾期、有未报），通报 \(bulletins) 期",
        ] + review + redFlags + spotCheck + liaison + assessment + conference + activities + demonstration + library)
    }

    /// The report's campaign: 5,000 by 2012-12-15, weighted toward key areas and large townships
    /// with a floor of 20, 金门县 left out (its share goes to 晋江).
    static func seedCampaign(by actor: Actor, on db: any Database) async throws -> Campaign {
        let campaign = try await CampaignStore.create(
            CampaignDraft(name: "泉州市乡镇“大团委”直属团组织建设", regionCode: city, start: CalendarDay(year: 2012, month: 10, day: 15)!,
                          deadline: CalendarDay(year: 2012, month: 12, day: 15)!, target: 5000), by: actor, on: db)
        let weights = WeightRule(base: 1, perCommitteeMember: 2, perThousandYouth: 1, countySeat: 10, smallTown: 6, developed: 6,
                                 floorPerTownship: 20)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: city, method: .weighted, weights: weights, cascade: true,
                                                            reason: "市团委会议：重点乡镇倾斜，每乡镇保底 20 个"), by: actor, on: db)
        let counties = try await CampaignStore.children(of: try await CampaignStore.regionArea(campaign, on: db), on: db).map(\.code)
        var shares = try await CampaignStore.targets(campaign.id, codes: counties, on: db)
        shares["350582", default: 0] += shares["350527"] ?? 0
        shares["350527"] = 0
        try await CampaignStore.allocate(campaign.id, .init(parentCode: city, method: .manual, manualShares: shares,
                                                            reason: "金门县不参加，其指标并入晋江市"), by: actor, on: db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "350582", method: .weighted, weights: weights), by: actor, on: db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "350527", method: .equal), by: actor, on: db)
        return campaign
    }

    static func requireArea(_ code: String, on db: any Database) async throws -> CampaignArea {
        guard let area = try await CampaignStore.area(code, on: db) else { throw Refusal("找不到「\(code)」") }
        return area
    }

    /// 德化县's proposal: 5 more for its county seat, taken from its two largest other townships.
    static func proposedShares(_ campaign: Campaign, county: String, on db: any Database) async throws -> [String: Int] {
        let towns = try await CampaignStore.children(of: try await requireArea(county, on: db), on: db).map(\.code)
        var shares = try await CampaignStore.targets(campaign.id, codes: towns, on: db)
        let others = shares.filter { $0.key != "350526100" }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        shares["350526100", default: 0] += 5
        shares[others[0].key]! -= 3
        shares[others[1].key]! -= 2
        return shares
    }
}
