import FluentKit
import TaizhangCore
import TaizhangStore

/// The 2012 annual assessment of the demo: the city's assessment of its counties, scored as of the
/// campaign's deadline (or the demo's today, when that is earlier), checked items scored by the
/// city's assessment group, published as 第1号 with stars under the quotas (the best counties
/// crowd the five-star band, so the cap demotes one at least), one county's appeal accepted and
/// republished as a second version; 晋江市's assessment of its townships, still in preview; and 安海镇's
/// rating of its organizations (对标定级), self-assessed and partly reviewed.
enum DemoAssessment {
    static let jinjiang = "350582"
    static let appealingCounty = "350583"  // 南安市

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let city = Actor.commandLine("泉州市团委考评组")
        let today = CalendarDay.today()
        let asOf = min(campaign.deadline, today)
        var assessment = try await AssessmentStore.create(campaignID: campaign.id, scopeCode: DemoSeeder.city, year: 2012, asOf: asOf,
                                                          title: "泉州市2012年度乡镇“大团委”建设工作考评", scope: .everywhere, by: city, on: db)
        if asOf < campaign.deadline {
            // Replaying a day before the deadline: completion is judged against the share of the campaign's time gone by.
            assessment = try await AssessmentStore.saveRubric(assessment.id, pacedRubric(assessment.rubric, campaign, asOf: asOf),
                                                              expectedVersion: assessment.rubricVersion, scope: .everywhere, by: city, on: db)
        }
        // The assessors score the checked items; the counties ahead on the data also did the groundwork best.
        let preview = try await AssessmentStore.preview(assessment, on: db)
        let ranked = preview.eligible.sorted { measured($0) > measured($1) }
        let contenders = preview.fiveStarCap + 2
        for (place, unit) in ranked.enumerated() {
            let lead = [("i6", "领导小组、挂钩联系和调度会材料齐全"), ("i7", "阵地和青年文明号、志愿服务现场查看")]
            for (index, (key, note)) in lead.enumerated() {
                let points = place < contenders ? 10 - Double(index) * 0.5 * Double(place % 2) : max(4, 9 - Double(place - contenders) - Double(index))
                // 晋江's groundwork score rests on a photo of its 青年之家 (佐证材料).
                let photo = unit.code == jinjiang && key == "i7" ? [UploadedFile(fileName: "青年之家现场照片.png", bytes: DemoPhoto.png(seed: 7))] : []
                try await AssessmentStore.scoreChecked(assessment.id, unit: unit.code, indicator: key, points: String(points),
                                                       note: place < contenders ? note + "，无扣分项" : note + "，部分乡镇材料不全",
                                                       evidence: photo, maximumBytes: DocumentFileKind.standardMaximumBytes,
                                                       scope: .everywhere, by: city, on: db)
            }
        }
        let first = try await AssessmentStore.publish(assessment.id, issuingBody: "共青团泉州市委员会", scope: .everywhere, today: today, by: city, on: db)
        // 南安 appeals its groundwork score with evidence; the city accepts it in part, and republishes.
        let nanan = Actor.commandLine("南安市团委")
        let appeal = try await AssessmentStore.fileAppeal(assessment.id, unit: appealingCounty, indicator: "i7",
                                                          reason: "水头镇、官桥镇青年文明号创建材料考评时未及提交，现补交照片和台账", scope: .everywhere,
                                                          today: today, by: nanan, on: db)
        let before = first.content.outcome.units.first { $0.code == appealingCounty }?.line("i7")?.points ?? .zero
        let raised = AssessmentPoints(hundredths: min(1000, before.hundredths + 150))
        _ = try await AssessmentStore.decideAppeal(assessment.id, appeal: appeal.id, accept: true, newPoints: raised.description,
                                                   note: "补交材料经核属实，该项加 1.5 分", scope: .everywhere, by: city, on: db)
        let second = try await AssessmentStore.republish(assessment.id, scope: .everywhere, today: today, by: city, on: db)
        let outcome = second.content.outcome

        // 晋江市 scores its townships: some checked items entered, the rest still to do.
        let county = Actor.commandLine("晋江市团委")
        let townships = try await AssessmentStore.create(campaignID: campaign.id, scopeCode: jinjiang, year: 2012, asOf: asOf,
                                                         title: "晋江市2012年度乡镇“大团委”建设工作考评", scope: .everywhere, by: county, on: db)
        let townshipUnits = try await AssessmentStore.preview(townships, on: db).eligible
        for (index, unit) in townshipUnits.prefix(townshipUnits.count / 2).enumerated() {
            try await AssessmentStore.scoreChecked(townships.id, unit: unit.code, indicator: "i6", points: String(6 + index % 5),
                                                   note: "查阅大团委会议记录和挂钩联系台账", scope: .everywhere, by: county, on: db)
        }
        let rating = try await seedOrganizationRating(campaign, on: db)
        return ["  年度考评：泉州市考评各县第 \(second.number) 号（第 \(second.version) 版，含一项申诉改定），参评 \(outcome.eligibleCount) 个，"
                + "五星级 \(outcome.count(.five)) 个（名额 \(outcome.fiveStarCap)）、四星级 \(outcome.count(.four)) 个，名额降级 \(outcome.demoted.count) 个；"
                + "晋江市考评各乡镇在预览中；\(rating)"]
    }

    /// 安海镇's 2013 rating of its organizations (对标定级), as of mid-2013 so that the campaign's organizations
    /// are six months old: every organization has scored itself, the county has reviewed two in three.
    static func seedOrganizationRating(_ campaign: Campaign, on db: any Database) async throws -> String {
        let township = "350582101"
        let county = Actor.commandLine("晋江市团委")
        let clerk = Actor.commandLine("安海镇团委")
        let rating = try await AssessmentStore.create(campaignID: campaign.id, scopeCode: township, year: 2013, asOf: CalendarDay(year: 2013, month: 6, day: 30)!,
                                                      title: nil, scope: .everywhere, by: county, on: db)
        let organizations = try await AssessmentStore.preview(rating, on: db).eligible.sorted { $0.code < $1.code }
        var generator = SeededGenerator(seed: 2013_0630)
        let notes = ["o1": "按期换届，批复文件齐全", "o2": "书记、组织委员、宣传委员已配齐", "o3": "团员信息已录入，团费按季度交纳",
                     "o4": "每月主题团日有记录和照片", "o5": "组织青年参加志愿服务和技能比武"]
        for (index, organization) in organizations.enumerated() {
            for indicator in rating.rubric.indicators {
                let own = Double(indicator.weight) * Double(Int.random(in: 72...100, using: &generator)) / 100
                try await AssessmentStore.selfAssess(rating.id, unit: organization.code, indicator: indicator.key, points: String(format: "%.1f", own),
                                                     note: notes[indicator.key] ?? "对照检查内容自查", scope: .everywhere, by: clerk, on: db)
                guard index % 3 != 2 else { continue }
                let reviewed = max(0, own - Double(Int.random(in: 0...3, using: &generator)))
                try await AssessmentStore.scoreChecked(rating.id, unit: organization.code, indicator: indicator.key, points: String(format: "%.1f", reviewed),
                                                       note: reviewed < own ? "查阅材料，部分记录不全，酌情扣分" : "查阅材料属实",
                                                       scope: .everywhere, by: county, on: db)
            }
        }
        return "安海镇团组织对标定级（\(organizations.count) 个参评）已自评、审核三分之二"
    }

    /// The standard rubric with the completion thresholds (60% → 95%) scaled by the time elapsed (按时序进度折算).
    static func pacedRubric(_ rubric: AssessmentRubric, _ campaign: Campaign, asOf: CalendarDay) -> AssessmentRubric {
        let elapsed = Double(campaign.start.days(until: asOf)) / Double(max(1, campaign.start.days(until: campaign.deadline)))
        var rubric = rubric
        for index in rubric.indicators.indices where rubric.indicators[index].measure == .completion {
            guard case .linear = rubric.indicators[index].curve else { continue }
            rubric.indicators[index].name += "（按时序进度折算）"
            rubric.indicators[index].curve = .linear(floor: (600 * elapsed).rounded() / 10, full: (950 * elapsed).rounded() / 10)
        }
        return rubric
    }

    /// Points from the measured indicators alone.
    static func measured(_ unit: AssessedUnit) -> AssessmentPoints {
        unit.lines.filter { $0.kind == .measured }.map(\.points).reduce(.zero, +)
    }
}
