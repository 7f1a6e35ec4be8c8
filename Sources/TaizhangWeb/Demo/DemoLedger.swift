import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore

/// A few hundred believable organizations for the demo, written as a ledger sheet and
/// imported through the same importer cadres use.
enum DemoLedger {
    struct Unit {
        var suffix: String
        var category: String
        var orgType: String
        var buildMode: String
    }

    static let units: [Unit] = [
        Unit(suffix: "鞋业有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "纺织服装有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "石材有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "陶瓷有限公司团总支", category: "非公企业", orgType: "团总支", buildMode: "单独建团"),
        Unit(suffix: "中心小学团支部", category: "学校", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "卫生院团支部", category: "乡镇政府内设站所", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "财政所农技站联合团支部", category: "乡镇政府内设站所", orgType: "团支部", buildMode: "联合建团"),
        Unit(suffix: "派出所团支部", category: "部门派驻乡镇机构", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "供电所团支部", category: "部门派驻乡镇机构", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "商业街个体工商户团支部", category: "个体工商户", orgType: "团支部", buildMode: "街区建团"),
        Unit(suffix: "农贸市场团支部", category: "个体工商户", orgType: "团支部", buildMode: "市场建团"),
        Unit(suffix: "茶叶专业合作社团支部", category: "农村专业合作组织", orgType: "团支部", buildMode: "单独建团"),
        Unit(suffix: "青年志愿者协会团支部", category: "青年自组织", orgType: "团支部", buildMode: "社团建团"),
        Unit(suffix: "青年创业协会团支部", category: "青年自组织", orgType: "团支部", buildMode: "社团建团"),
        Unit(suffix: "工业园区团工委", category: "工业园区", orgType: "团工委", buildMode: "园区建团"),
        Unit(suffix: "商务楼宇团支部", category: "非公企业", orgType: "团支部", buildMode: "楼宇建团"),
    ]
    static let surnames = Array("陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾庄苏")
    static let given = ["晓东", "志强", "丽娟", "建华", "雅琴", "国平", "少杰", "美玲", "文斌", "秀英", "振宇", "慧敏", "海峰", "婷婷", "明辉"]

    /// Imports the demo organizations; returns how many.
    static func seed(on db: any Database) async throws -> Int {
        var generator = SeededGenerator(seed: 20121215)
        let townships = try await DivisionQueries.townships(under: ["35/3505/"], on: db)
        var csv = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
        for township in townships {
            let count = Int.random(in: 1...4, using: &generator)
            let short = township.name.replacingOccurrences(of: "街道", with: "").replacingOccurrences(of: "镇", with: "")
                .replacingOccurrences(of: "乡", with: "")
            for unit in units.shuffled(using: &generator).prefix(count) {
                let roll = Int.random(in: 0..<100, using: &generator)
                let stage: Stage = roll < 55 ? .founded : roll < 80 ? .preparing : roll < 90 ? .leagueLike : .youthGroup
                let approved = CalendarDay(year: 2012, month: 10, day: 8)!.adding(days: Int.random(in: 0...30, using: &generator))
                let founded = approved.adding(days: Int.random(in: 7...30, using: &generator))
                let secretary = String(surnames.randomElement(using: &generator)!) + given.randomElement(using: &generator)!
                let members = Int.random(in: 3...40, using: &generator)
                var values: [LedgerColumn: String] = [
                    .county: township.countyName, .township: township.code, .name: short + unit.suffix, .orgType: unit.orgType,
                    .unitCategory: unit.category, .buildMode: unit.buildMode, .stage: stage.label,
                    .memberCount: stage == .founded || stage == .preparing ? String(members) : "",
                    .youthCount: String(members * Int.random(in: 2...6, using: &generator)),
                    .guidance: unit.category == "部门派驻乡镇机构" && roll % 3 == 0 ? "联系指导" : "新建",
                    .dualManagement: unit.category == "部门派驻乡镇机构" ? "是" : "否",
                ]
                if unit.category == "部门派驻乡镇机构" {
                    values[.countyDepartment] = township.countyName + (unit.suffix.hasPrefix("派出所") ? "公安局" : "供电公司")
                }
                if unit.buildMode == "联合建团" { values[.coveredUnits] = "\(short)财政所、\(short)农技站" }
                if stage == .preparing || stage == .founded {
                    values[.preparationApprovedOn] = approved.description
                    values[.approvalDocument] = "\(short)团〔2012〕\(Int.random(in: 1...60, using: &generator))号"
                }
                if stage == .founded {
                    values[.foundedOn] = founded.description
                    values[.secretaryName] = secretary
                    values[.secretaryPhone] = "139" + String(format: "%08d", Int.random(in: 0...99_999_999, using: &generator))
                } else if stage == .preparing {
                    values[.actingSecretaryName] = secretary
                }
                if roll % 7 == 0 { values[.brandActivities] = "青年志愿者" }
                if roll % 11 == 0 { values[.brandActivities] = "青年文明号、青年突击队" }
                csv += LedgerColumn.allCases.map { CSVWriter.field(values[$0] ?? "") }.joined(separator: ",") + "\n"
            }
        }
        let preview = try await LedgerImporter.commit(try TabularFileReader(data: Data(csv.utf8)), fileName: "演示台账.csv",
                                                      scopePaths: nil, checks: OrganizationChecks(), by: .commandLine("demo"), on: db)
        return preview.newCount
    }
}
