import FluentKit
import TaizhangCore
import TaizhangStore

/// The city's spot check (数据抽查) of the demo: 泉州's counted organizations as of the deadline (or a few days before the demo's today),
/// stratified by county, 2% with at least 5 per county, drawn with a printed seed; the findings
/// recorded as checkers might have: mostly 属实, some 信息有误, a handful 不属实 concentrated in
/// 安溪县, a few 无法核实, and a few visits still to make.
enum DemoSpotCheck {
    static let seed = SpotCheckSeed(20_121_216)
    static let refutedCounty = "350524"  // 安溪县
    static let wrongFieldSets = [["书记姓名", "书记电话"], ["团员数"], ["成立日期"], ["单位类别", "建团方式"], ["青年数", "团员数"]]
    static let checkers = ["市核查组 林晓燕", "市核查组 陈建国", "市核查组 黄志明"]

    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let actor = Actor.commandLine("泉州市团委核查组")
        // As of the deadline, visited in the days after; when the demo's today is earlier, a few days before it.
        let today = CalendarDay.today()
        let asOf = min(campaign.deadline, today.adding(days: -4))
        let spotCheck = try await SpotCheckStore.draw(
            SpotCheckRequest(campaignID: campaign.id, scopeCode: DemoSeeder.city, asOf: asOf,
                             design: SpotCheckDesign(stratification: .county, size: .percent(2, minimum: 5)), seed: seed),
            in: .everywhere, by: actor, on: db)
        let samples = try await SpotCheckStore.samples(spotCheck, on: db)
        var generator = SeededGenerator(seed: 1216)
        var refutedElsewhere = 0
        var counts: [SpotCheckOutcome: Int] = [:]
        for (index, sample) in samples.enumerated() {
            // The last sample of each of three counties is still to be visited.
            if index + 1 < samples.count, samples[index + 1].stratumCode != sample.stratumCode, sample.stratumCode.hasSuffix("1") { continue }
            let roll = Int.random(in: 0..<100, using: &generator)
            let outcome: SpotCheckOutcome
            if sample.stratumCode == refutedCounty, roll < 40 {
                outcome = .notReal
            } else if roll < 2, refutedElsewhere < 1 {
                outcome = .notReal
                refutedElsewhere += 1
            } else if roll < 14 {
                outcome = .wrongDetails
            } else if roll < 17 {
                outcome = .unverifiable
            } else {
                outcome = .real
            }
            counts[outcome, default: 0] += 1
            let finding = SpotCheckFinding(
                outcome: outcome, checker: checkers[index % checkers.count], visitedOn: min(today, asOf.adding(days: 1 + index % 4)),
                wrongFields: outcome == .wrongDetails ? wrongFieldSets[index % wrongFieldSets.count] : [],
                notes: outcome == .notReal ? "走访时所在单位称无此团组织" : outcome == .unverifiable ? "单位已搬迁，联系不上书记" : nil)
            try await SpotCheckStore.record(finding, for: sample.code, in: spotCheck.id, scope: .everywhere, by: actor, on: db)
        }
        let pending = samples.count - counts.values.reduce(0, +)
        return ["  数据抽查第 \(spotCheck.id) 号：全市按县分层抽取 \(samples.count) 个（随机种子 \(seed)，抽样框 \(spotCheck.frameSize) 个），"
                + "属实 \(counts[.real] ?? 0)、信息有误 \(counts[.wrongDetails] ?? 0)、不属实 \(counts[.notReal] ?? 0)（多在安溪县）、"
                + "无法核实 \(counts[.unverifiable] ?? 0)、待核查 \(pending)"]
    }
}
