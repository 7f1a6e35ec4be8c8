import FluentKit
import SQLKit
import TaizhangCore
import TaizhangStore

/// The demo's people side (挂钩联系): a lead liaison on every 泉州 township but three in 德化县
/// (so the coverage gap shows), the demo account 陈明 on 安海镇; a month of visits with findings
/// and photos; problems raised on visits, some closed, some overdue; a 工作约谈 of each stalled
/// township in late November with its promise — two of the six then founded organizations again,
/// four did not; and the 30 November 调度会 at 安溪 whose decisions became items.
enum DemoLiaison {
    static let surnames = Array("陈林黄张李王吴刘蔡杨许郑洪苏谢庄曾施")
    static let givenNames = ["明", "华", "建国", "丽", "志强", "秀英", "伟", "海燕", "晓东", "丹", "文斌", "雅琴", "国良", "婷", "鸿"]
    static let posts = ["副书记", "组织部部长", "统战联络部部长", "青工部部长", "干事"]
    static let findings = [
        "镇团委班子到位，企业团支部台账齐全；两家新建企业尚未对接。",
        "园区三家企业已建类团组织，筹建团支部材料待县团委审核。",
        "部分村（社区）团支部书记兼职过多，换届工作滞后。",
        "非公企业青年流动性大，团员组织关系转接不及时。",
        "新建团组织挂牌到位，活动阵地已落实。",
        "日报数据与台账不一致，已当场核对更正。",
    ]
    static let problems = [
        "两家新建企业尚未对接建团", "村团支部换届滞后", "团员组织关系转接不及时", "日报数据与台账不一致", "筹建团支部材料未报县团委",
    ]
    static let linkedCadre = (name: "陈明", township: "350582101")
    static let uncovered = 3

    static func seed(_ campaign: Campaign, stalled: Set<String>, on db: any Database) async throws -> [String] {
        var generator = SeededGenerator(seed: 20_121_130)
        let actor = Actor(userID: "demo-city-admin", name: "泉州团市委", clientAddress: nil)
        let today = min(CalendarDay.today(), campaign.deadline)
        let start = CalendarDay(year: 2012, month: 10, day: 20)!
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), limit: 10_000, on: db)
        let dehua = townships.filter { $0.countyCode == "350526" }.map(\.code).suffix(uncovered)
        var assigned = 0, visits = 0, items = 0, interviews = 0
        let chen = try await LiaisonStore.createCadre(.init(name: linkedCadre.name, unit: "泉州市团委", post: "统战联络部部长", phone: "13905950101"),
                                                      at: "35/3505/", by: actor, on: db)
        for (index, township) in townships.enumerated() where !dehua.contains(township.code) {
            let cadre: LiaisonAssignmentDraft.CadreChoice = township.code == linkedCadre.township ? .existing(chen.id) : .new(.init(
                name: String(surnames[index % surnames.count]) + givenNames[(index * 7) % givenNames.count],
                unit: index % 4 == 0 ? "泉州市团委" : "\(township.countyName)团委", post: posts[index % posts.count],
                phone: "139059" + String(10_000 + index * 37 % 90_000).suffix(5)))
            let assignment = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: township.code, cadre: cadre, role: .lead,
                                                                 startsOn: start, endsOn: nil), in: .everywhere, by: actor, on: db)
            assigned += 1
            // A month of visits, at most up to today; the stalled townships fewer.
            let count = stalled.contains(township.code) ? Int.random(in: 0...1, using: &generator) : Int.random(in: 1...4, using: &generator)
            for visit in 0..<count {
                let day = CalendarDay(year: 2012, month: 11, day: Int.random(in: 1...30, using: &generator))!
                guard day <= today else { continue }
                let problem = Int.random(in: 0..<4, using: &generator) == 0
                let deadline = day.adding(days: Int.random(in: 5...14, using: &generator))
                let files = visit == 0 && index % 3 == 0 ? [VisitDraft.File(fileName: "走访照片\(index).png", bytes: DemoPhoto.png(seed: index))] : []
                let draft = VisitDraft(campaignID: campaign.id, townshipCode: township.code, visitedOn: day,
                                       visitors: "\(assignment.cadre.name)（\(assignment.cadre.unit)）",
                                       met: "\(township.name)团委书记、企业人事负责人", findings: findings.randomElement(using: &generator)!,
                                       files: files, problems: problem ? [.init(title: problems.randomElement(using: &generator)!,
                                                                                 responsibleName: "\(township.name)团委书记", deadline: deadline)] : [])
                let logged = try await VisitStore.log(draft, in: .everywhere, today: today, by: Actor(userID: nil, name: assignment.cadre.name, clientAddress: nil), on: db)
                visits += 1
                for item in logged.items {
                    items += 1
                    // Most problems due before today were dealt with; a few were not (overdue).
                    if item.deadline < today && Int.random(in: 0..<4, using: &generator) > 0 {
                        _ = try await SupervisionStore.move(item.id, .close, note: "已对接落实，补报材料已上传。", in: .everywhere,
                                                            authority: .init(supervises: .everywhere, works: .everywhere, userID: nil), by: actor, on: db)
                    }
                }
            }
        }
        let interviewDays = try await interviewDays(stalled, on: db)
        var promises: [String: Int] = [:]
        for code in stalled.sorted() {
            guard let day = interviewDays[code], day <= today, let township = townships.first(where: { $0.code == code }) else { continue }
            let interview = try await EscalationStore.record(
                .init(kind: .interview, campaignID: campaign.id, divisionCode: code, heldOn: day, place: "泉州团市委",
                      participants: "\(township.name)党委副书记、团委书记", heldBy: "泉州团市委副书记",
                      summary: "\(township.name)自 11 月中旬起未新建团组织、日报未报，约谈了解原因并提出要求。",
                      promise: "12 月 10 日前新建直属团组织不少于 5 个，恢复每日报送", promisedBy: CalendarDay(year: 2012, month: 12, day: 10)!),
                in: .everywhere, today: today, by: actor, on: db)
            promises[code] = interview.items.first?.id
            interviews += 1
        }
        let recovering = Array(stalled.sorted().prefix(2))
        let foundedAfter = try await recoverAfterInterview(recovering, on: interviewDays, townships: townships, today: today, on: db)
        let recovered = foundedAfter.values.filter { $0 > 0 }.count
        // A township that kept its promise has its promise's item closed with what it did.
        for code in recovering {
            guard let item = promises[code], let founded = foundedAfter[code], founded >= 5 else { continue }
            _ = try await SupervisionStore.move(item, .close, note: "约谈后新建直属团组织 \(founded) 个，已恢复每日报送。", in: .everywhere,
                                                authority: .init(supervises: .everywhere, works: .everywhere, userID: nil), by: actor, on: db)
        }
        let meetingDay = CalendarDay(year: 2012, month: 11, day: 30)!
        if meetingDay <= today {
            let decisions: [EscalationDraft.Decision] = [
                .init(title: "各乡镇 12 月 5 日前补齐未报日报", ownerUnit: "安溪县团委", responsibleName: "安溪县团委书记", deadline: CalendarDay(year: 2012, month: 12, day: 1)!),
                .init(title: "县团委班子成员分片包干落后乡镇", ownerUnit: "安溪县团委", responsibleName: "安溪县团委副书记", deadline: CalendarDay(year: 2012, month: 12, day: 2)!),
                .init(title: "梳理园区企业名单，逐家对接建团", ownerUnit: "安溪县团委", responsibleName: "安溪县团委组织部部长", deadline: CalendarDay(year: 2012, month: 12, day: 12)!),
            ]
            let meeting = try await EscalationStore.record(
                .init(kind: .dispatchMeeting, campaignID: campaign.id, divisionCode: "350524", heldOn: meetingDay, place: "安溪县团委会议室",
                      participants: "安溪县团委、各乡镇团委", heldBy: "泉州团市委书记", summary: "通报全市进度，安溪县进度滞后，部署冲刺阶段工作。",
                      decisions: decisions), in: .everywhere, today: today, by: actor, on: db)
            if let first = meeting.items.first, today > first.deadline {
                _ = try await SupervisionStore.move(first.id, .close, note: "已补齐 11 月 28 日以来的日报。", in: .everywhere,
                                                    authority: .init(supervises: .everywhere, works: .everywhere, userID: nil), by: actor, on: db)
            }
            items += meeting.items.count
        }
        return ["  挂钩联系：\(assigned) 个乡镇有牵头干部（德化县 \(uncovered) 个乡镇未安排），走访 \(visits) 次，督办事项 \(items) 项，工作约谈 \(interviews) 次（约谈后 \(recovered) 个乡镇恢复新建），11 月 30 日安溪调度会"]
    }

    /// Links the demo's 挂钩干部 account to its cadre, so "my townships" has something to show.
    static func linkAccount(username: String, on db: any Database) async throws {
        guard let user = try await AccountStore.user(named: username, on: db), let id = user.id else { return }
        try await LiaisonStore.linkAccount(cadreName: linkedCadre.name, userID: id.uuidString, by: .commandLine("demo"), on: db)
    }

    /// Each stalled township is called in two days after its last founding, between 20 and 30 November.
    static func interviewDays(_ stalled: Set<String>, on db: any Database) async throws -> [String: CalendarDay] {
        let earliest = CalendarDay(year: 2012, month: 11, day: 20)!, latest = CalendarDay(year: 2012, month: 11, day: 30)!
        var days: [String: CalendarDay] = [:]
        for code in stalled {
            let last = try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("founded_on")), as: "d").from("organizations")
                .where("township_code", .equal, code).first(decodingColumn: "d", as: String?.self).flatMap { $0 }.flatMap(CalendarDay.init(iso:))
            days[code] = min(latest, max(earliest, (last ?? earliest).adding(days: 2)))
        }
        return days
    }

    /// The first two stalled townships kept their promise: from three days after the interview a
    /// new organization every three days up to the deadline, so they are not stalled at its end;
    /// each one through the ledger's own create, audited like a township's. Returns how many each
    /// township founded after its interview.
    static func recoverAfterInterview(_ codes: some Sequence<String>, on interviewDays: [String: CalendarDay],
                                      townships: [DivisionQueries.TownshipLabel], today: CalendarDay, on db: any Database) async throws -> [String: Int] {
        let units = [("中心卫生院", "乡镇政府内设站所"), ("电商产业园", "工业园区"), ("商贸城", "个体工商户"), ("物流园", "非公企业"),
                     ("茶叶专业合作社", "农村专业合作组织"), ("青年创业协会", "青年自组织")]
        var foundedAfter: [String: Int] = [:]
        for (index, code) in codes.enumerated() {
            guard let township = townships.first(where: { $0.code == code }), let interview = interviewDays[code] else { continue }
            let actor = Actor(userID: nil, name: "\(township.name)团委", clientAddress: nil)
            var founded = 0
            var day = interview.adding(days: 3)
            while day <= today {
                let step = founded, unit = units[founded % units.count]
                let name = "\(township.name)\(unit.0)" + (step < units.count ? "团支部" : "第二团支部")
                var fields = OrganizationFields(name: name, townshipCode: code, orgType: "团支部", unitCategory: unit.1,
                                                buildMode: "单独建团", stage: .founded, preparationApprovedOn: day.adding(days: -10))
                fields.foundedOn = day
                fields.secretaryName = String(surnames[(index + step) % surnames.count]) + givenNames[(step * 5 + index) % givenNames.count]
                fields.memberCount = 5 + step % 6
                _ = try await OrganizationStore.create(fields, by: actor, on: db)
                founded += 1
                day = day.adding(days: 3)
            }
            foundedAfter[code] = founded
        }
        return foundedAfter
    }
}
