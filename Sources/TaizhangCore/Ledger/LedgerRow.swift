import TaizhangFiles
/// One data row of an imported sheet, read into typed values. The township is resolved
/// against the database later; everything that can be checked without it is checked here.
public struct LedgerRow: Sendable {
    public var rowNumber: Int
    /// The organization's code when the row updates an existing one.
    public var code: String?
    public var countyText: String?
    public var townshipText: String
    /// Fields with `townshipCode` still empty.
    public var fields: OrganizationFields
    /// Columns the row left out (a sheet without the column): keep the stored value on update.
    public var presentColumns: Set<LedgerColumn>
}

/// A reason a row was rejected, with the column it concerns.
public struct RowProblem: Sendable, Equatable, Codable {
    public var rowNumber: Int
    public var column: String
    public var reason: String

    public init(rowNumber: Int, column: String, reason: String) {
        self.rowNumber = rowNumber
        self.column = column
        self.reason = reason
    }

    public var message: String { "第 \(rowNumber) 行「\(column)」：\(reason)" }
}

/// The reference lists an import checks values against.
public struct ReferenceLists: Sendable {
    public var values: [ReferenceKind: [String]]

    public init(values: [ReferenceKind: [String]]) {
        self.values = values
    }

    public static let builtin = ReferenceLists(values: Dictionary(uniqueKeysWithValues: ReferenceKind.allCases.map { ($0, $0.builtinValues) }))

    public func list(_ kind: ReferenceKind) -> [String] { values[kind] ?? kind.builtinValues }
}

/// Reads sheet rows into `LedgerRow`s, collecting every problem of a row rather than the first.
public struct LedgerRowReader: Sendable {
    public var header: LedgerHeader
    public var references: ReferenceLists

    public init(header: LedgerHeader, references: ReferenceLists) {
        self.header = header
        self.references = references
    }

    /// Whether every cell is blank (such rows are skipped, as Excel leaves them behind).
    public static func isBlank(_ cells: [String]) -> Bool {
        cells.allSatisfy { ValueParser.normalize($0).isEmpty }
    }

    public func read(_ cells: [String], rowNumber: Int) -> Result<LedgerRow, RowProblems> {
        var problems: [RowProblem] = []
        func cell(_ column: LedgerColumn) -> String? {
            header.value(column, in: cells).map(CSVWriter.withoutFormulaGuard)
        }
        // Values that are parsed or looked up: full-width digits and letters folded first.
        func text(_ column: LedgerColumn) -> String? {
            cell(column).map(ValueParser.normalize).flatMap(\.nilIfBlank)
        }
        // Names and free text: stored as typed (full-width punctuation included), only trimmed.
        func typed(_ column: LedgerColumn) -> String? {
            cell(column).flatMap(\.nilIfBlank)
        }
        func note(_ column: LedgerColumn, _ reason: String) {
            problems.append(RowProblem(rowNumber: rowNumber, column: column.header, reason: reason))
        }
        func parse<T>(_ column: LedgerColumn, _ body: (String) throws -> T) -> T? {
            guard let value = text(column) else { return nil }
            do { return try body(value) } catch let error as InvalidInput {
                note(column, error.reason)
            } catch {
                note(column, "\(error)")
            }
            return nil
        }
        func reference(_ kind: ReferenceKind, _ column: LedgerColumn, default fallback: String?) -> String {
            guard let value = text(column) else {
                if let fallback { return fallback }
                note(column, "不能为空")
                return ""
            }
            let list = references.list(kind)
            guard let match = kind.match(value, in: list) else {
                note(column, "「\(value)」不是可选的\(kind.label)（可选：\(list.joined(separator: "、"))）")
                return value
            }
            return match
        }

        let township = text(.township) ?? ""
        if township.isEmpty { note(.township, "不能为空") }
        let name = typed(.name) ?? ""
        if name.isEmpty { note(.name, "不能为空") }
        let unitCategory = reference(.unitCategory, .unitCategory, default: "其他")
        var stage = Stage.youthGroup
        if let value = text(.stage) {
            if let parsed = Stage(text: value) { stage = parsed } else {
                note(.stage, "「\(value)」不是建设阶段（可选：\(Stage.allCases.map(\.label).joined(separator: "、"))）")
            }
        }
        var covered: [CoveredUnit] = []
        if let value = typed(.coveredUnits) {
            for part in ListText.split(value) {
                var unitName = part
                var category = unitCategory
                if let open = part.firstIndex(where: { $0 == "（" || $0 == "(" }), part.last == "）" || part.last == ")" {
                    let inner = String(part[part.index(after: open)..<part.index(before: part.endIndex)])
                    if let match = ReferenceKind.unitCategory.match(inner, in: references.list(.unitCategory)) {
                        unitName = String(part[..<open]).trimmingCharacters(in: .whitespaces)
                        category = match
                    }
                }
                covered.append(CoveredUnit(name: unitName, unitCategory: category))
            }
        }
        var guidance = GuidanceKind.newlyBuilt
        if let value = text(.guidance) {
            if let parsed = GuidanceKind(text: value) { guidance = parsed } else { note(.guidance, "「\(value)」应填 新建 或 联系指导") }
        }
        let fields = OrganizationFields(
            name: name, townshipCode: "",
            orgType: reference(.orgType, .orgType, default: nil),
            unitCategory: unitCategory,
            buildMode: reference(.buildMode, .buildMode, default: "单独建团"),
            coveredUnits: covered, stage: stage,
            preparationApprovedOn: parse(.preparationApprovedOn) { try ValueParser.day($0, field: LedgerColumn.preparationApprovedOn.header) },
            foundedOn: parse(.foundedOn) { try ValueParser.day($0, field: LedgerColumn.foundedOn.header) },
            approvalDocument: typed(.approvalDocument),
            secretaryName: typed(.secretaryName),
            secretaryPhone: text(.secretaryPhone).map(Self.phoneText),
            actingSecretaryName: typed(.actingSecretaryName),
            actingSecretaryPhone: text(.actingSecretaryPhone).map(Self.phoneText),
            instructorName: typed(.instructorName),
            memberCount: parse(.memberCount) { try ValueParser.integer($0, field: LedgerColumn.memberCount.header) },
            youthCount: parse(.youthCount) { try ValueParser.integer($0, field: LedgerColumn.youthCount.header) },
            dualManagement: parse(.dualManagement) { try ValueParser.bool($0, field: LedgerColumn.dualManagement.header) } ?? false,
            countyDepartment: typed(.countyDepartment),
            guidance: guidance,
            brandActivities: parse(.brandActivities) { try BrandActivity.parse($0, field: LedgerColumn.brandActivities.header) } ?? [],
            notes: typed(.notes))
        guard problems.isEmpty else { return .failure(RowProblems(problems: problems)) }
        return .success(LedgerRow(rowNumber: rowNumber, code: text(.code), countyText: text(.county), townshipText: township,
                                  fields: fields, presentColumns: header.columns))
    }

    /// A phone typed as a number in Excel may come back as "13905951234.0".
    static func phoneText(_ text: String) -> String {
        text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

public struct RowProblems: Error, Sendable {
    public var problems: [RowProblem]
}

/// The cells of one exported row, in `LedgerColumn` order; re-importing them changes nothing.
public enum LedgerRowWriter {
    public static func cells(code: String, countyName: String, townshipName: String, _ f: OrganizationFields) -> [String] {
        LedgerColumn.allCases.map { column in
            switch column {
            case .code: code
            case .county: countyName
            case .township: townshipName
            case .name: f.name
            case .orgType: f.orgType
            case .unitCategory: f.unitCategory
            case .buildMode: f.buildMode
            case .coveredUnits: f.coveredUnitsText
            case .stage: f.stage.label
            case .preparationApprovedOn: f.preparationApprovedOn?.description ?? ""
            case .foundedOn: f.foundedOn?.description ?? ""
            case .approvalDocument: f.approvalDocument ?? ""
            case .secretaryName: f.secretaryName ?? ""
            case .secretaryPhone: f.secretaryPhone ?? ""
            case .actingSecretaryName: f.actingSecretaryName ?? ""
            case .actingSecretaryPhone: f.actingSecretaryPhone ?? ""
            case .instructorName: f.instructorName ?? ""
            case .memberCount: f.memberCount.map(String.init) ?? ""
            case .youthCount: f.youthCount.map(String.init) ?? ""
            case .dualManagement: f.dualManagement ? "是" : "否"
            case .countyDepartment: f.countyDepartment ?? ""
            case .guidance: f.guidance.label
            case .brandActivities: BrandActivity.text(f.brandActivities)
            case .notes: f.notes ?? ""
            }
        }
    }

    /// Columns that hold numbers (written as numbers in XLSX).
    public static let numericColumns: Set<LedgerColumn> = [.memberCount, .youthCount]
}

extension OrganizationFields {
    /// These fields with the values of `columns` taken from `row`: an update from a sheet
    /// that lacks a column keeps what the ledger holds for it.
    public func replacing(_ columns: Set<LedgerColumn>, from row: OrganizationFields) -> OrganizationFields {
        var f = self
        for column in columns {
            switch column {
            case .code, .county: break
            case .township: f.townshipCode = row.townshipCode
            case .name: f.name = row.name
            case .orgType: f.orgType = row.orgType
            case .unitCategory: f.unitCategory = row.unitCategory
            case .buildMode: f.buildMode = row.buildMode
            case .coveredUnits: f.coveredUnits = row.coveredUnits
            case .stage: f.stage = row.stage
            case .preparationApprovedOn: f.preparationApprovedOn = row.preparationApprovedOn
            case .foundedOn: f.foundedOn = row.foundedOn
            case .approvalDocument: f.approvalDocument = row.approvalDocument
            case .secretaryName: f.secretaryName = row.secretaryName
            case .secretaryPhone: f.secretaryPhone = row.secretaryPhone
            case .actingSecretaryName: f.actingSecretaryName = row.actingSecretaryName
            case .actingSecretaryPhone: f.actingSecretaryPhone = row.actingSecretaryPhone
            case .instructorName: f.instructorName = row.instructorName
            case .memberCount: f.memberCount = row.memberCount
            case .youthCount: f.youthCount = row.youthCount
            case .dualManagement: f.dualManagement = row.dualManagement
            case .countyDepartment: f.countyDepartment = row.countyDepartment
            case .guidance: f.guidance = row.guidance
            case .brandActivities: f.brandActivities = row.brandActivities
            case .notes: f.notes = row.notes
            }
        }
        return f
    }
}
