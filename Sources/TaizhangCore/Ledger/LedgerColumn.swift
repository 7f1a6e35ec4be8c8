/// The columns of the ledger template, in order. Import maps a sheet's columns by header
/// name (with the spellings people use), so their order in a file does not matter.
public enum LedgerColumn: String, CaseIterable, Sendable {
    case code = "组织编码"
    case county = "县（市、区）"
    case township = "乡镇（街道）"
    case name = "团组织名称"
    case orgType = "组织类型"
    case unitCategory = "单位类别"
    case buildMode = "建团方式"
    case coveredUnits = "覆盖单位"
    case stage = "建设阶段"
    case preparationApprovedOn = "筹建批复日期"
    case foundedOn = "成立日期"
    case approvalDocument = "批复文号"
    case secretaryName = "书记姓名"
    case secretaryPhone = "书记电话"
    case actingSecretaryName = "代理书记"
    case instructorName = "团建指导员"
    case memberCount = "团员数"
    case youthCount = "青年数"
    case dualManagement = "是否双重管理"
    case countyDepartment = "县直主管部门"
    case guidance = "新建或联系指导"
    case brandActivities = "品牌工作"
    case notes = "备注"
    /// Beyond the report's columns, so the template keeps the report's order.
    case actingSecretaryPhone = "代理书记电话"

    public var header: String { rawValue }

    /// The case's place in the declaration. Hashing by it instead of by the Chinese raw value
    /// (the default for a `String` enum, which normalizes the text on every hash) keeps the
    /// per-cell lookups of an import cheap.
    public var ordinal: Int { Int(withUnsafeBytes(of: self) { $0[0] }) }

    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.ordinal == rhs.ordinal }

    /// Other headers that mean this column.
    var aliases: [String] {
        switch self {
        case .code: ["编码", "组织代码", "团组织编码"]
        case .county: ["县(市、区)", "县市区", "县（市区）", "县", "县区"]
        case .township: ["乡镇(街道)", "乡镇街道", "乡镇", "街道"]
        case .name: ["组织名称", "名称", "团组织"]
        case .orgType: ["类型", "团组织类型"]
        case .unitCategory: ["类别", "单位类型"]
        case .buildMode: ["建团模式", "方式"]
        case .coveredUnits: ["覆盖的单位", "所在单位", "单位名称"]
        case .stage: ["阶段", "状态"]
        case .preparationApprovedOn: ["筹建日期", "筹建批复时间"]
        case .foundedOn: ["成立时间", "建立日期"]
        case .approvalDocument: ["文号", "批复文件"]
        case .secretaryName: ["书记", "团组织书记"]
        case .secretaryPhone: ["书记联系电话", "联系电话", "电话"]
        case .actingSecretaryName: ["代理书记姓名"]
        case .actingSecretaryPhone: ["代理书记联系电话"]
        case .instructorName: ["指导员"]
        case .memberCount: ["团员人数", "团员数量"]
        case .youthCount: ["青年人数", "青年数量"]
        case .dualManagement: ["双重管理"]
        case .countyDepartment: ["主管部门", "县直部门"]
        case .guidance: ["新建/联系指导", "新建或指导"]
        case .brandActivities: ["品牌活动"]
        case .notes: ["说明"]
        }
    }

    /// Headers compared without spaces and with full-width brackets folded.
    static func key(_ header: String) -> String {
        String(ValueParser.withoutSpaces(ValueParser.normalize(header)).map { $0 == "(" ? "（" : $0 == ")" ? "）" : $0 })
    }

    static let byKey: [String: LedgerColumn] = {
        var map: [String: LedgerColumn] = [:]
        for column in allCases {
            map[key(column.header)] = column
            for alias in column.aliases { map[key(alias)] = column }
        }
        return map
    }()

    public init?(header: String) {
        guard let column = Self.byKey[Self.key(header)] else { return nil }
        self = column
    }
}

/// Where each column sits in a sheet, found from its header row.
public struct LedgerHeader: Sendable {
    public let positions: [LedgerColumn: Int]
    /// The columns the sheet has.
    public let columns: Set<LedgerColumn>
    /// Headers that name no ledger column: ignored, and named in the preview.
    public var unknownHeaders: [String]

    public static let required: [LedgerColumn] = [.township, .name]
    /// Columns the export adds for reading (核查状态: the review state, 抽查不属实 where a spot check
    /// found it so): an export imported back ignores them without naming them.
    public static let exportOnly: [String] = ["核查状态"]

    /// Reads a header row; refuses one that lacks the columns every row needs, or names a column twice.
    public init(_ cells: [String]) throws {
        var positions: [LedgerColumn: Int] = [:]
        unknownHeaders = []
        for (index, cell) in cells.enumerated() {
            let text = ValueParser.normalize(cell)
            guard !text.isEmpty else { continue }
            guard let column = LedgerColumn(header: text) else {
                if !Self.exportOnly.contains(text) { unknownHeaders.append(text) }
                continue
            }
            if positions[column] != nil {
                throw InvalidInput(field: "表头", reason: "「\(column.header)」列出现了两次")
            }
            positions[column] = index
        }
        self.positions = positions
        columns = Set(positions.keys)
        let missing = Self.required.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw InvalidInput(field: "表头", reason: "缺少「\(missing.map(\.header).joined(separator: "」「"))」列"
                + "：表头应在前 10 行内，请使用下载的模板")
        }
    }

    public func value(_ column: LedgerColumn, in cells: [String]) -> String? {
        guard let index = positions[column], index < cells.count else { return nil }
        return cells[index]
    }
}
