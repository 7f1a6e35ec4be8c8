import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// A few hundred believable organizations for the demo, written as a ledger sheet and
/// imported through the same importer cadres use.
enum DemoLedger {
    struct UnitKind {
        var suffix: String
        var category: String
        var orgType: String
        var buildMode: String
    }

    static let units: [UnitKind] = [
        UnitKind(suffix: "鞋业有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "纺织服装有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "石材有限公司团支部", category: "非公企业", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "陶瓷有限公司团总支", category: "非公企业", orgType: "团总支", buildMode: "单独建团"),
        UnitKind(suffix: "中心小学团支部", category: "学校", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "卫生院团支部", category: "乡镇政府内设站所", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "财政所农技站联合团支部", category: "乡镇政府内设站所", orgType: "团支部", buildMode: "联合建团"),
        UnitKind(suffix: "派出所团支部", category: "部门派驻乡镇机构", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "供电所团支部", category: "部门派驻乡镇机构", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "商业街个体工商户团支部", category: "个体工商户", orgType: "团支部", buildMode: "街区建团"),
        UnitKind(suffix: "农贸市场团支部", category: "个体工商户", orgType: "团支部", buildMode: "市场建团"),
        UnitKind(suffix: "茶叶专业合作社团支部", category: "农村专业合作组织", orgType: "团支部", buildMode: "单独建团"),
        UnitKind(suffix: "青年志愿者协会团支部", category: "青年自组织", orgType: "团支部", buildMode: "社团建团"),
        UnitKind(suffix: "青年创业协会团支部", category: "青年自组织", orgType: "团支部", buildMode: "社团建团"),
        UnitKind(suffix: "工业园区团工委", category: "工业园区", orgType: "团工委", buildMode: "园区建团"),
        UnitKind(suffix: "商务楼宇团支部", category: "非公企业", orgType: "团支部", buildMode: "楼宇建团"),
    ]
    static let surnames = Array("陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾庄苏")
    static let given = ["晓东", "志强", "丽娟", "建华", "雅琴", "国平", "少杰", "美玲", "文斌", "秀英", "振宇", "慧敏", "海峰", "婷婷", "明辉"]

    static let brands = ["宏达", "恒安", "鸿星", "华泰", "金源", "嘉和", "永兴", "瑞丰", "天成", "顺昌", "万利", "信诚", "兴业", "亿达",
                         "中宏", "正兴", "福荣", "昌盛", "海利", "建新", "联丰", "明辉", "南星", "启航", "荣达", "盛丰", "泰和", "通达"]

    /// How far along each county is at the deadline (the demo's picture: 晋江 and 石狮 ahead,
    /// 安溪 and 德化 behind); counties not named are at 90%.
    static let countyPace: [String: Double] = [
        "350582": 1.07, "350581": 1.04, "350502": 1.0, "350503": 0.98, "350583": 0.95, "350505": 0.92,
        "350521": 0.9, "350504": 0.88, "350525": 0.84, "350524": 0.7, "350526": 0.66,
    ]

    /// Imports a ledger that fills each township's target to its county's pace, founding dates
    /// spread over the campaign (faster toward the end), a few townships stalled since late
    /// November, plus organizations still on the way and some that do not count. Returns how many.
    static func seed(targets: [String: Int], start: CalendarDay, deadline: CalendarDay, on db: any Database) async throws -> (count: Int, stalled: Set<String>) {
        let today = CalendarDay.today()
        var generator = SeededGenerator(seed: 20121215)
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
        let span = start.days(until: deadline)
        let stalled = Set(townships.filter { ["350524", "350526", "350525"].contains(String($0.code.prefix(6))) }
            .shuffled(using: &generator).prefix(6).map(\.code))
        var csv = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
        for township in townships {
            let target = targets[township.code] ?? 0
            guard target > 0 else { continue }
            let pace = (countyPace[String(township.code.prefix(6))] ?? 0.9) * Double.random(in: 0.85...1.15, using: &generator)
            let founded = Int((Double(target) * pace).rounded())
            let lastDay = stalled.contains(township.code) ? span - Int.random(in: 17...26, using: &generator) : span
            let short = township.name.replacingOccurrences(of: "街道", with: "").replacingOccurrences(of: "镇", with: "")
                .replacingOccurrences(of: "乡", with: "")
            var names = Set<String>()
            func name(_ unit: UnitKind) -> String {
                for _ in 0..<40 {
                    let candidate = short + brands.randomElement(using: &generator)! + unit.suffix
                    if names.insert(candidate).inserted { return candidate }
                }
                let candidate = short + unit.suffix.replacingOccurrences(of: "团", with: "第\(names.count + 1)团", options: [], range: nil)
                names.insert(candidate)
                return candidate
            }
            // (stage, founding day offset from the start or nil, guidance)
            var plan: [(Stage, Int?, String)] = []
            for _ in 0..<founded {
                let u = Double.random(in: 0..<1, using: &generator)
                plan.append((.founded, min(lastDay, Int(Double(lastDay + 1) * pow(u, 0.75))), "新建"))
            }
            for _ in 0..<Int((Double(target) * 0.2).rounded()) { plan.append((.preparing, nil, "新建")) }
            for _ in 0..<Int((Double(target) * 0.08).rounded()) { plan.append((.leagueLike, nil, "新建")) }
            for _ in 0..<Int((Double(target) * 0.05).rounded()) { plan.append((.youthGroup, nil, "新建")) }
            // A stalled township founds nothing after its last day, guided organizations included.
            for _ in 0..<Int.random(in: 0...2, using: &generator) { plan.append((.founded, min(lastDay, Int.random(in: 0...span, using: &generator)), "联系指导")) }
            for _ in 0..<Int.random(in: 0...1, using: &generator) { plan.append((.founded, -Int.random(in: 20...120, using: &generator), "新建")) }
            for (planned, offset, guidance) in plan {
                let unit = units.randomElement(using: &generator)!
                // Replaying the campaign (TAIZHANG_TODAY inside it): what is founded later is still 筹建 today.
                var stage = planned
                var foundedOn = offset.map { start.adding(days: $0) }
                if let day = foundedOn, day > today {
                    stage = .preparing
                    foundedOn = nil
                }
                let approved = min(today, (foundedOn ?? start.adding(days: Int.random(in: 0...span, using: &generator)))
                    .adding(days: -Int.random(in: 7...25, using: &generator)))
                let secretary = String(surnames.randomElement(using: &generator)!) + given.randomElement(using: &generator)!
                let members = Int.random(in: 3...40, using: &generator)
                let roll = Int.random(in: 0..<100, using: &generator)
                var values: [LedgerColumn: String] = [
                    .county: township.countyName, .township: township.code, .name: name(unit), .orgType: unit.orgType,
                    .unitCategory: unit.category, .buildMode: unit.buildMode, .stage: stage.label,
                    .memberCount: stage == .founded || stage == .preparing ? String(members) : "",
                    .youthCount: String(members * Int.random(in: 2...6, using: &generator)),
                    .guidance: guidance,
                    .dualManagement: unit.category == "部门派驻乡镇机构" ? "是" : "否",
                ]
                if unit.category == "部门派驻乡镇机构" {
                    values[.countyDepartment] = township.countyName + (unit.suffix.hasPrefix("派出所") ? "公安局" : "供电公司")
                }
                if unit.buildMode == "联合建团" { values[.coveredUnits] = "\(short)财政所、\(short)农技站" }
                if stage == .preparing || stage == .founded {
                    values[.preparationApprovedOn] = approved.description
                    values[.approvalDocument] = "\(short)团〔2012〕\(Int.random(in: 1...90, using: &generator))号"
                }
                if let foundedOn {
                    values[.foundedOn] = foundedOn.description
                    values[.secretaryName] = secretary
                    values[.secretaryPhone] = "139" + String(Int.random(in: 10_000_000...99_999_999, using: &generator))
                } else if stage == .preparing {
                    values[.actingSecretaryName] = secretary
                }
                if roll % 7 == 0 { values[.brandActivities] = "青年志愿者" }
                if roll % 11 == 0 { values[.brandActivities] = "青年文明号、青年突击队" }
                csv += LedgerColumn.allCases.map { CSVWriter.field(values[$0] ?? "") }.joined(separator: ",") + "\n"
            }
        }
        let preview = try await LedgerImporter.commit(try TabularFileReader(data: Data(csv.utf8)), fileName: "演示台账.csv",
                                                      scope: .everywhere, checks: OrganizationChecks(), by: .commandLine("demo"), on: db)
        return (preview.newCount, stalled)
    }
}
