import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore

/// Six model cases (典型案例) of the demo, one per build mode the report names, each linked to a
/// few of the township's organizations in the demo ledger.
enum DemoModelCases {
    struct Case {
        var township: String
        var unit: String
        var title: String
        var buildMode: String
        var category: String
        var text: String
    }

    static let cases: [Case] = [
        Case(township: "350582101", unit: "安海镇鞋服产业园区", title: "安海镇：园区团工委带动企业团支部全覆盖", buildMode: "园区建团", category: "工业园区",
             text: """
             园区管委会牵头成立园区团工委，由镇团委副书记兼任书记，园区内 60 余家鞋服企业按规模分类：团员 3 人以上的企业单独建支部，不足 3 人的按生产片区联合建支部。
             镇团委与园区人事专员每周对接一次，新入职青年员工在入职登记时同步登记团员身份，组织关系当月转入，解决了“流动团员找不到组织”的问题。
             园区团工委把青年文明号创建、技能比武和联谊活动作为建团前的“预热”，先成立青年联谊会，再转为类团组织，条件成熟后批复建立团支部。三个月新建团支部 23 个。
             """),
        Case(township: "350581100", unit: "灵秀镇服装批发市场", title: "灵秀镇：在服装批发市场里建团", buildMode: "市场建团", category: "个体工商户",
             text: """
             服装批发市场 800 多个摊位以个体工商户为主，青年业主和店员流动性大。镇团委联合工商所、市场管理处，以市场为单位建立团总支，按楼层划分 4 个团支部。
             借助工商所年检和市场每月例会，把建团宣传和团员登记放到业主必到的场合；团支部书记由市场管理处青年干部和优秀青年业主担任。
             团总支组织“诚信经营青年示范岗”评选和电商技能培训，业主愿意参加，团组织在市场里立住了脚。
             """),
        Case(township: "350583119", unit: "水头镇石材行业协会", title: "水头镇：依托石材行业协会行业建团", buildMode: "行业建团", category: "非公企业",
             text: """
             水头镇石材企业多而分散，单个企业团员少。镇团委依托石材行业协会成立行业团委，协会秘书长担任团委副书记，按产业链上下游组建 6 个团支部。
             行业团委把青年技术工人培训、安全生产青年突击队和行业青年人才评选结合起来，企业主看到对生产有帮助，主动提供活动场地和经费。
             行业团委成立后，全镇石材行业新建团组织 18 个，团员组织关系接转率从不到三成提高到八成以上。
             """),
        Case(township: "350524103", unit: "官桥镇茶叶专业合作社联合社", title: "官桥镇：茶叶合作社联合建团", buildMode: "联合建团", category: "农村专业合作组织",
             text: """
             官桥镇有茶叶专业合作社 40 多家，返乡创业青年多但每家合作社团员不足 3 人。镇团委按村片区把相邻合作社组织起来联合建立团支部，由联合社青年理事长担任支部书记。
             团支部与镇农技站合作开展制茶技术和电商销售培训，组织青年茶农参加“青年致富带头人”评选，把团的活动和增收结合在一起。
             联合建团后，合作社青年参加团组织活动的积极性明显提高，已有 5 个片区团支部完成建立。
             """),
        Case(township: "350526100", unit: "德化陶瓷青年创业协会", title: "浔中镇：从陶瓷青年社团到团组织", buildMode: "社团建团", category: "青年自组织",
             text: """
             浔中镇陶瓷作坊多，年轻的陶艺师自发组成陶瓷青年创业协会。镇团委没有急于挂牌，而是先为协会提供活动场地、帮助办展，把协会作为青年组织纳入台账。
             协会骨干中有团员 9 名，镇团委指导其按“先有组织、再类团组织、再团组织”的路子，先建立类团组织，再由镇团委派出团建指导员帮助完成筹建，最终批复成立团支部。
             社团建团让团组织进入了过去够不着的青年群体，协会成员从 30 人发展到 80 多人。
             """),
        Case(township: "350521100", unit: "螺城镇中山街商业街区", title: "螺城镇：老城街区按街区建团", buildMode: "街区建团", category: "个体工商户",
             text: """
             螺城镇老城区中山街沿街商铺 300 多家，多为夫妻店和小门店，单店团员很少。镇团委以社区为依托，按街区划片建立团支部，社区团干部兼任支部书记。
             团支部组织青年店主参加消防安全培训、街区环境志愿服务和节日促销联谊，把分散的青年店员联系起来。
             街区团支部建立后，沿街商铺青年登记 210 人，其中团员 46 人全部纳入组织管理。
             """),
    ]

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> Int {
        var count = 0
        for item in cases {
            guard let township = try await DivisionQueries.find(item.township, on: db) else { continue }
            let (lower, upper) = DivisionPath.subtreeRange(of: township.path)
            let codes = try await db.sql.select().column("code").from("organizations")
                .where("division_path", .greaterThanOrEqual, lower).where("division_path", .lessThan, upper)
                .where("build_mode", .equal, item.buildMode).orderBy("code").limit(3).all(decodingColumn: "code", as: String.self)
            let fallback = codes.isEmpty ? try await db.sql.select().column("code").from("organizations")
                .where("division_path", .greaterThanOrEqual, lower).where("division_path", .lessThan, upper)
                .where("unit_category", .equal, item.category).orderBy("code").limit(2).all(decodingColumn: "code", as: String.self) : codes
            // The activities that drew those units in, or else the township's first ones.
            var activityIDs: [Int] = []
            for code in fallback { activityIDs += try await ActivityStore.involving(organization: code, on: db).map(\.id) }
            if activityIDs.isEmpty {
                activityIDs = try await db.sql.select().column("id").from("activities").where("township_code", .equal, item.township)
                    .orderBy("held_on").orderBy("id").limit(2).all(decodingColumn: "id", as: Int.self)
            }
            _ = try await ModelCaseStore.create(
                ModelCaseDraft(campaignID: campaign.id, divisionCode: item.township, unitName: item.unit, title: item.title, buildMode: item.buildMode,
                               unitCategory: item.category, whatWorked: item.text, organizationCodes: fallback, activityIDs: Array(activityIDs.prefix(4))),
                in: .everywhere, by: Actor(userID: nil, name: "\(township.name)团委", clientAddress: nil), on: db)
            count += 1
        }
        return count
    }
}
