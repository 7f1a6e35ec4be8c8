import FluentKit
import SQLKit
import Foundation
import TaizhangCore
import TaizhangStore

/// The demo's 示范乡镇 and 典型案例: the city's checklist (measured items and two that need
/// evidence); in every 泉州 county the township that measures best and one whose reports slipped,
/// both approved, so the second shows 待复核; their committees recorded, evidence with a scan and
/// an acceptance visit for the first; and six model cases written up from the demo's ledger.
enum DemoDemonstration {
    static let city = Actor(userID: "demo-city-admin", name: "泉州团市委", clientAddress: nil)

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let today = min(CalendarDay.today(), campaign.deadline)
        try await addCriteria(campaign, on: db)
        let counties = try await DivisionQueries.children(of: campaign.regionCode, on: db)
        var approved = 0, underReview = 0
        for county in counties {
            let townships = try await DivisionQueries.children(of: county.code, on: db).filter { $0.level == .township }.map(\.code)
            let targets = try await CampaignStore.targets(campaign.id, codes: townships, on: db)
            let candidates = try await DemonstrationStore.candidates(townships.filter { (targets[$0] ?? 0) > 0 }, campaign: campaign, asOf: today, on: db)
            guard let best = candidates.max(by: { score($0) < score($1) }) else { continue }
            let slipped = candidates.filter { $0.demonstration.townshipCode != best.demonstration.townshipCode && reportsSlipped($0) }
                .max(by: { score($0) < score($1) })
                ?? candidates.filter { $0.demonstration.townshipCode != best.demonstration.townshipCode }.max(by: { score($0) < score($1) })
            let county = Actor(userID: nil, name: "\(county.name)团委", clientAddress: nil)
            for (index, pick) in [best, slipped].compactMap({ $0 }).enumerated() {
                let code = pick.demonstration.townshipCode
                try await seedCommittee(code, seed: index, on: db)
                let nominated = try await DemonstrationStore.nominate(campaign.id, townshipCode: code,
                                                                      reason: index == 0 ? "建团进度快、报送及时，园区和非公企业建团经验成熟" : "村居和学校建团基础好，联席会运转正常",
                                                                      in: .everywhere, by: county, on: db)
                _ = try await DemonstrationStore.decide(nominated.id, approve: true, note: "经市团委审核，同意认定", in: .everywhere, by: city, on: db)
                approved += 1
                if index == 0 { try await seedEvidenceAndAcceptance(nominated.id, campaign: campaign, today: today, on: db) }
            }
        }
        let all = try await DemonstrationStore.list(campaign.id, under: "", in: .everywhere, on: db)
        underReview = try await DemonstrationStore.checklists(all, campaign: campaign, asOf: today, on: db).filter(\.isUnderReview).count
        let cases = try await DemoModelCases.seed(campaign, on: db)
        return ["  示范乡镇 \(approved) 个（每县 2 个，其中 \(underReview) 个因数据跌破达标线待复核），典型案例 \(cases) 篇"]
    }

    static func addCriteria(_ campaign: Campaign, on db: any Database) async throws {
        let measured: [(String, DemonstrationCriterion.Kind, Double?)] = [
            ("大团委班子配齐（书记到位，委员不少于 7 人）", .committeeStaffed, 7),
            ("直属团组织建设目标完成率", .completion, 80),
            ("日报、周报、半月汇报按时报送", .reportsOnTime, 95),
        ]
        for (title, kind, threshold) in measured {
            _ = try await DemonstrationStore.addCriterion(campaign.id, .init(title: title, kind: kind, threshold: threshold), by: city, on: db)
        }
        // Measured only where the demo holds conference meetings (the conference step seeds them).
        let meetings = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("conference_meetings")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        if meetings > 0 {
            _ = try await DemonstrationStore.addCriterion(campaign.id, .init(title: "团建联席会按月召开", kind: .conferenceMonthly, threshold: 1), by: city, on: db)
        }
        for title in ["有固定的团建活动阵地", "形成可复制推广的建团经验材料"] {
            _ = try await DemonstrationStore.addCriterion(campaign.id, .init(title: title, kind: .evidence, evidenceRequired: true), by: city, on: db)
        }
    }

    /// Met measured items first, then completion.
    static func score(_ checklist: DemonstrationChecklist) -> Int {
        checklist.items.filter { $0.criterion.kind.isMeasured && $0.criterion.kind != .committeeStaffed && $0.outcome.isMet }.count
    }

    static func reportsSlipped(_ checklist: DemonstrationChecklist) -> Bool {
        checklist.items.contains { $0.criterion.kind == .reportsOnTime && $0.outcome.isNotMet }
    }

    static let names = ["林志强", "陈雅琴", "黄伟", "王海燕", "张晓东", "李丹", "吴文斌", "蔡婷", "许国良"]

    static func seedCommittee(_ township: String, seed: Int, on db: any Database) async throws {
        let existing = try await CommitteeStore.members(of: township, on: db)
        guard existing.isEmpty else { return }
        for (index, name) in names.enumerated() {
            let position: CommitteePosition = index == 0 ? .secretary : index < 3 ? .deputySecretary : .member
            _ = try await CommitteeStore.add(.init(townshipCode: township, name: name, position: position,
                                                   sourceUnit: ["镇团委", "镇政府", "工业园区", "中心小学", "村（社区）", "非公企业"][(index + seed) % 6],
                                                   isFullTime: index == 0, phone: nil), by: .commandLine("demo"), on: db)
        }
    }

    static func seedEvidenceAndAcceptance(_ id: Int, campaign: Campaign, today: CalendarDay, on db: any Database) async throws {
        let criteria = try await DemonstrationStore.criteria(campaign.id, on: db).filter { $0.kind == .evidence }
        let township = Actor(userID: nil, name: "乡镇团委", clientAddress: nil)
        for (index, criterion) in criteria.enumerated() {
            _ = try await DemonstrationStore.addEvidence(
                id, criterionID: criterion.id,
                note: index == 0 ? "镇青年之家 120 平方米，2012 年 11 月挂牌，配有活动室和团务公开栏" : "整理园区联合建团经验材料一份，已在全县推进会上交流",
                marksMet: true, files: [UploadedFile(fileName: index == 0 ? "阵地照片.png" : "经验材料.pdf",
                                                     bytes: index == 0 ? DemoPhoto.png(seed: id) : DemoPDF.blankPage)],
                maximumBytes: DocumentFileKind.standardMaximumBytes, in: .everywhere, by: township, on: db)
        }
        _ = try await DemonstrationStore.recordAcceptance(id, day: min(today, CalendarDay(year: 2012, month: 11, day: 30)!), team: "市团委 陈明、县团委 李华",
                                                          findings: "班子健全，阵地规范，台账与实地一致，同意通过验收", today: today, in: .everywhere, by: city, on: db)
    }
}

/// A one-page PDF with nothing on it, valid enough for any viewer: the demo's scanned material.
enum DemoPDF {
    static let blankPage: [UInt8] = {
        let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(text.utf8)
    }()
}
