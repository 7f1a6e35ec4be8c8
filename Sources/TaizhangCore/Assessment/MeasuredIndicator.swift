/// What Taizhang can measure for a unit from its own data as of the assessment date. Each case
/// names its formula in words a cadre reads; a new measure (liaison coverage, visits, supervision
/// items, conferences, demonstration townships …) is a new case here and a new query in the store.
public enum MeasuredIndicator: String, Codable, Sendable, CaseIterable, Hashable {
    /// 目标完成率: counted organizations ÷ the unit's target.
    case completion
    /// 按时报送率: reports sent on time ÷ reports due by the assessment date.
    case reportsOnTime = "reports_on_time"
    /// 核查通过率: confirmed (县已核实 or 市已确认) founded organizations ÷ founded organizations.
    case verificationPass = "verification_pass"
    /// 抽查属实率: spot-checked organizations found 属实 ÷ those checked with a finding.
    case spotCheckReal = "spot_check_real"
    /// 挂钩覆盖率: townships with a lead liaison on the day ÷ townships.
    case liaisonCoverage = "liaison_coverage"
    /// 联席会按月召开率: township-months whose conference met ÷ township-months of the campaign so far.
    case conferenceMonthly = "conference_monthly"

    public var label: String {
        switch self {
        case .completion: "目标完成率"
        case .reportsOnTime: "按时报送率"
        case .verificationPass: "核查通过率"
        case .spotCheckReal: "抽查属实率"
        case .liaisonCoverage: "挂钩覆盖率"
        case .conferenceMonthly: "联席会按月召开率"
        }
    }

    /// The formula as the scoring page and the published result print it.
    public var formula: String {
        switch self {
        case .completion: "截至考评日计入的已建立团组织数 ÷ 目标任务数 × 100%（按活动的计数口径）"
        case .reportsOnTime: "考评日前已到截止时间的各期报送中按时报送的期数 ÷ 应报期数 × 100%（每期以首次报送为准）"
        case .verificationPass: "县已核实和市已确认的已建立团组织数 ÷ 已建立团组织数 × 100%（核实状态取计算时的状态）"
        case .spotCheckReal: "考评日前抽查中结论为“属实”的组织数 ÷ 已有抽查结论（不含无法核实）的组织数 × 100%"
        case .liaisonCoverage: "考评日有牵头挂钩干部的乡镇（街道）数 ÷ 乡镇（街道）数 × 100%"
        case .conferenceMonthly: "活动开始当月至考评日当月，召开过团建联席会的“乡镇·月”数 ÷ 乡镇（街道）数 × 月数 × 100%"
        }
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let value = Self(rawValue: t) { self = value; return }
        guard let value = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = value
    }
}
