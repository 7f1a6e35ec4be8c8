import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// The demo's library (工作资料): the city's 工作方案 (revised once), the 方法和流程, the 台账
/// template, and the "50 问" as question and answer pairs.
enum DemoLibrary {
    static let city = Actor(userID: "demo-city-admin", name: "泉州团市委", clientAddress: nil)

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let plan = try await LibraryStore.create(
            .init(campaignID: campaign.id, kind: .workPlan, title: "泉州市乡镇“大团委”直属团组织建设工作方案", issuingBody: "共青团泉州市委",
                  documentNumber: "泉团〔2012〕45号", issuedOn: CalendarDay(year: 2012, month: 10, day: 12)!, audienceCodes: [campaign.regionCode],
                  file: .init(fileName: "工作方案.docx", bytes: try docx(title: "泉州市乡镇“大团委”直属团组织建设工作方案", sections: planSections)),
                  note: "市团委常委会审议通过"),
            maximumBytes: DocumentFileKind.standardMaximumBytes, in: .everywhere, by: city, on: db)
        _ = try await LibraryStore.addVersion(
            plan.id, file: .init(fileName: "工作方案（修订）.docx",
                                 bytes: try docx(title: "泉州市乡镇“大团委”直属团组织建设工作方案（修订）", sections: planSections + revision)),
            note: "增加示范乡镇和典型案例的要求", maximumBytes: DocumentFileKind.standardMaximumBytes, in: .everywhere, by: city, on: db)
        _ = try await LibraryStore.create(
            .init(campaignID: campaign.id, kind: .method, title: "乡镇直属团组织建设方法和流程", issuingBody: "共青团泉州市委组织部",
                  documentNumber: "", issuedOn: CalendarDay(year: 2012, month: 10, day: 20)!, audienceCodes: [campaign.regionCode],
                  file: .init(fileName: "方法和流程.docx", bytes: try docx(title: "乡镇直属团组织建设方法和流程", sections: methodSections))),
            maximumBytes: DocumentFileKind.standardMaximumBytes, in: .everywhere, by: city, on: db)
        _ = try await LibraryStore.create(
            .init(campaignID: campaign.id, kind: .template, title: "乡镇直属团组织台账（模板）", issuingBody: "共青团泉州市委组织部", documentNumber: "",
                  issuedOn: CalendarDay(year: 2012, month: 10, day: 20)!, audienceCodes: [campaign.regionCode],
                  file: .init(fileName: "台账模板.xlsx", bytes: try ledgerTemplate())),
            maximumBytes: DocumentFileKind.standardMaximumBytes, in: .everywhere, by: city, on: db)
        for entry in DemoLibraryFAQ.entries {
            _ = try await FAQStore.add(divisionCode: campaign.regionCode, topic: entry.topic, question: entry.question, answer: entry.answer,
                                       in: .everywhere, by: city, on: db)
        }
        return ["  工作资料：工作方案（2 版）、方法和流程、台账模板，问答 \(DemoLibraryFAQ.entries.count) 条"]
    }

    static let planSections: [(String, [String])] = [
        ("一、总体要求", ["以乡镇“大团委”实体化建设为抓手，推动团组织向非公企业、农村专业合作组织、个体工商户、青年自组织等领域延伸，2012 年 12 月 15 日前全市新建乡镇直属团组织 5000 个。"]),
        ("二、目标分解", ["按各县（市、区）青年人口、大团委委员数和重点乡镇情况加权分解，每个乡镇保底 20 个；县级团委在 10 月 25 日前将任务分解到乡镇。"]),
        ("三、工作步骤", ["摸底排查（10 月 15 日—10 月 31 日）：乡镇团委对辖区青年聚集单位逐一摸底，建立台账。",
                      "集中攻坚（11 月 1 日—12 月 10 日）：按“先有组织、再类团组织、再团组织”的路径推进建团。",
                      "核查验收（12 月 11 日—12 月 15 日）：县级核实、市级抽查，公布结果。"]),
        ("四、工作要求", ["实行日报、周报周评、半月汇报制度；市团委班子成员挂钩联系各县，机关干部挂钩联系乡镇；建团结果纳入年度考评。"]),
    ]

    static let revision: [(String, [String])] = [
        ("五、示范引领", ["每个县（市、区）培育 1 至 2 个示范乡镇，总结推广典型案例；示范乡镇按市团委制定的示范条件认定和验收。"]),
    ]

    static let methodSections: [(String, [String])] = [
        ("一、摸底", ["逐一走访辖区站所、企业、合作社、市场、学校和青年自组织，登记青年人数、团员人数和负责人。"]),
        ("二、选择建团方式", ["团员 3 人以上单独建团；不足 3 人的联合建团；园区、市场、楼宇、街区、行业和社团按各自特点建团。"]),
        ("三、培育", ["通过青年文明号、青年突击队和青年志愿者服务把青年组织起来，先建青年组织、类团组织。"]),
        ("四、筹建和建立", ["指定代理书记，转接组织关系，召开团员大会选举，报乡镇团委批复，在台账中登记批复日期和文号。"]),
        ("五、报送和核查", ["每日 17 时前报送进度；县团委逐条核实台账，市团委随机抽查。"]),
    ]

    static func docx(title: String, sections: [(String, [String])]) throws -> [UInt8] {
        var blocks: [DOCXBlock] = [.paragraph(.title(title))]
        for (heading, paragraphs) in sections {
            blocks.append(.paragraph(.heading(heading)))
            blocks += paragraphs.map { .paragraph(.body($0)) }
        }
        return Array(try DOCXWriter.data(of: DOCXDocument(title: title, blocks: blocks), created: Date(timeIntervalSince1970: 1_350_000_000)))
    }

    static func ledgerTemplate() throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demo-template-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try XLSXWriter(url: url, sheetName: "台账")
        try writer.appendHeader(["组织名称", "所在单位", "单位类别", "组织类型", "建团方式", "团员人数", "青年人数", "书记姓名", "联系电话", "所处阶段", "批复日期", "批复文号"])
        try writer.appendRow(["安海镇某某鞋业有限公司团支部", "某某鞋业有限公司", "非公企业", "团支部", "单独建团", "12", "86", "林某", "13905950000", "已建立",
                              "2012-11-20", "安团〔2012〕18号"])
        try writer.finish()
        return Array(try Data(contentsOf: url))
    }
}
