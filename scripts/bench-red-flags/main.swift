// The red-flag detector over a synthetic 泉州 ledger shaped like scripts/generate-ledger.py (175 townships,
// names 「镇名第n…团支部」), timed in thread CPU seconds per rule: scripts/bench-red-flags-core [PER_TOWNSHIP] (857 ≈ 150,000).
import Foundation

let perTownship = Int(CommandLine.arguments.dropFirst().first ?? "857") ?? 857
let units = ["鞋业有限公司", "纺织有限公司", "中心小学", "卫生院", "派出所", "农贸市场", "茶叶专业合作社", "青年志愿者协会", "工业园区", "商务楼宇", "商业街", "物流有限公司"]
var townshipNames: [String: String] = [:]
var records: [RedFlagRecord] = []
var rng = SeededGenerator(seed: 42)
let stems = ["安海", "东石", "磁灶", "陈埭", "池店", "龙湖", "深沪", "金井", "英林", "内坑", "紫帽", "西滨", "永和", "罗山", "新塘"]
for t in 0..<175 {
    let county = 350500 + (t / 15) + 1
    let path = "35/3505/\(county)/\(county)\(String(format: "%03d", t % 15 + 100))/"
    let tname = stems[t % stems.count] + (t >= 15 ? "\(t)" : "") + "镇"
    townshipNames[path] = tname
    for n in 1...perTownship {
        let code = String(format: "T%03d%06d", t, n)
        let suffix = units[n % units.count]
        records.append(RedFlagRecord(code: code, name: "\(tname)第\(n)\(suffix)团支部", townshipPath: path, stage: n % 2 == 0 ? .founded : .preparing,
                                     foundedOn: nil, secretaryName: "陈晓东", secretaryPhone: "139\(String(format: "%08d", Int.random(in: 0..<100_000_000, using: &rng)))",
                                     memberCount: 10, youthCount: 30))
    }
}
print("records", records.count)
let detector = RedFlagDetector()
for _ in 0..<(Int(ProcessInfo.processInfo.environment["RUNS"] ?? "3") ?? 3) {
    func cpu() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
    var clock = cpu()
    func lap(_ label: String) { let now = cpu(); print(label, String(format: "%.3f s cpu", now - clock)); clock = now }
    let a = RedFlagGroups.nameFlags(records, townshipNames: townshipNames, settings: detector.settings); lap("names \(a.count)")
    let b = RedFlagGroups.phoneFlags(records, townshipNames: townshipNames, settings: detector.settings); lap("phones \(b.count)")
    let c = detector.flags(records: records, created: [], cutoffs: [], today: CalendarDay(year: 2012, month: 12, day: 20)!, townshipNames: townshipNames); lap("all \(c.count)")
    let ids = c.map(\.id); lap("ids \(ids.count)")
}
