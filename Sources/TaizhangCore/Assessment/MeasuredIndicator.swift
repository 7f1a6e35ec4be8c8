/// What Taizhang can measure for a unit from its own data as of the assessment date. Each case
/// names its formula in words a cadre reads; a new measure (liaison coverage, visits, supervision
/// items, conferences, demonstration townships …) is a new case here and a new query in the store.
public enum MeasuredIndicator: String, Codable, Sendable, CaseIterable, Hashable {
    /// 目标完成率: counted organizations ÷ the unit's target.
    case completion
    /// 按时报送率: reports sent on time ÷ reports due by the assessment date.
    case reportsOnTime = "reports_on_time"
    /// 核查通过率: founded organizations confirmed (县已核实 or 市已确认) at the end of the day ÷ those founded by then.
    case verificationPass = "verification_pass"
    /// 抽查属实率: spot-checked organizations found 属实 ÷ those checked with a finding.
    case spotCheckReal = "spot_check_real"
    /// 挂钩覆盖率: townships with a lead liaison on the day ÷ townships.
    case liaisonCoverage = "liaison_coverage"
    /// 联席会按月召开率: township-months whose conference met ÷ township-months of the campaign so far.
    case conferenceMonthly = "conference_monthly"
    /// 走访达标率: townships visited as often as the campaign's rhythm asks in the window ending on the day ÷ townships.
    case visitRhythm = "visit_rhythm"
    /// 督办按期办结率: supervision items due by the day closed by their deadline ÷ items due.
    case supervisionOnTime = "supervision_on_time"
    /// 品牌活动覆盖率: townships that held a brand activity since the campaign began ÷ townships.
    case activityCoverage = "activity_coverage"
    /// 示范乡镇验收数: the unit's demonstration townships approved by the city and accepted by the day (a count, not a share).
    case demonstrationAccepted = "demonstration_accepted"

    public var label: String {
        switch self {
        case .completion: "目标完成率"
        case .reportsOnTime: "按时报送率"
        case .verificationPass: "核查通过率"
        case .spotCheckReal: "抽查属实率"
        case .liaisonCoverage: "挂钩覆盖率"
        case .conferenceMonthly: "联席会按月召开率"
        case .visitRhythm: "走访达标率"
        case .supervisionOnTime: "督办按期办结率"
        case .activityCoverage: "品牌活动覆盖率"
        case .demonstrationAccepted: "示范乡镇验收数"
        }
    }

    /// The formula as the scoring page and the published result print it.
    public var formula: String {
        switch self {
        case .completion: "截至考评日计入的已建立团组织数 ÷ 目标任务数 × 100%（按活动的计数口径）"
        case .reportsOnTime: "考评日前已到截止时间的各期报送中按时报送的期数 ÷ 应报期数 × 100%（每期以首次报送为准）"
        case .verificationPass: "考评日前已建立的团组织中，考评日结束时处于县已核实或市已确认状态的组织数 ÷ 已建立团组织数 × 100%（经抽查认定不属实的不计；考评日后的核查不改变此数）"
        case .spotCheckReal: "考评日前抽查中结论为“属实”的组织数 ÷ 已有抽查结论（不含无法核实）的组织数 × 100%"
        case .liaisonCoverage: "考评日有牵头挂钩干部的乡镇（街道）数 ÷ 乡镇（街道）数 × 100%"
        case .conferenceMonthly: "活动开始当月至考评日当月，召开过团建联席会的“乡镇·月”数 ÷ 乡镇（街道）数 × 月数 × 100%"
        case .visitRhythm: "截至考评日的走访周期内（按活动的走访要求，如每 30 天至少 3 次）走访次数达到要求的乡镇（街道）数 ÷ 乡镇（街道）数 × 100%"
        case .supervisionOnTime: "本活动中截止日期不晚于考评日的督办事项（不含已退回）里，在截止日当天或之前办结的件数 ÷ 件数 × 100%"
        case .activityCoverage: "活动开始至考评日举办过品牌活动的乡镇（街道）数 ÷ 乡镇（街道）数 × 100%"
        case .demonstrationAccepted: "本活动中经市级认定、并在考评日或之前通过验收的示范乡镇（街道）个数"
        }
    }

    /// Whether the figure is a count of things (示范乡镇 个) rather than a percentage.
    public var isCount: Bool { self == .demonstrationAccepted }

    /// What follows a number of this measure: "%" or " 个".
    public var unit: String { isCount ? " 个" : "%" }

    /// A figure as the pages print it: "85.0%" or "2 个".
    public func figure(_ value: Double) -> String {
        isCount ? "\(ScoreCurve.number(value)) 个" : String(format: "%.1f%%", value)
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let value = Self(rawValue: t) { self = value; return }
        guard let value = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = value
    }
}
