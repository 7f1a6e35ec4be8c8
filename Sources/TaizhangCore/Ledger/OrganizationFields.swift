import Foundation

/// A unit an organization covers; a joint build (联合建团) covers several.
public struct CoveredUnit: Sendable, Equatable, Codable, Hashable {
    public var name: String
    public var unitCategory: String

    public init(name: String, unitCategory: String) {
        self.name = name
        self.unitCategory = unitCategory
    }
}

/// Everything a cadre enters about one organization directly under a township committee.
/// The code, stage history and version live with the stored record.
public struct OrganizationFields: Sendable, Equatable, Codable {
    public var name: String
    public var townshipCode: String
    public var orgType: String
    public var unitCategory: String
    public var buildMode: String
    public var coveredUnits: [CoveredUnit]
    public var stage: Stage
    /// 筹建批复日期
    public var preparationApprovedOn: CalendarDay?
    /// 成立日期
    public var foundedOn: CalendarDay?
    /// 批复文号
    public var approvalDocument: String?
    public var secretaryName: String?
    public var secretaryPhone: String?
    public var actingSecretaryName: String?
    public var actingSecretaryPhone: String?
    public var instructorName: String?
    public var memberCount: Int?
    public var youthCount: Int?
    public var dualManagement: Bool
    /// 县直主管部门 (for dual management or a guided organization)
    public var countyDepartment: String?
    public var guidance: GuidanceKind
    public var brandActivities: Set<BrandActivity>
    public var notes: String?

    public init(
        name: String, townshipCode: String, orgType: String, unitCategory: String, buildMode: String,
        coveredUnits: [CoveredUnit] = [], stage: Stage, preparationApprovedOn: CalendarDay? = nil,
        foundedOn: CalendarDay? = nil, approvalDocument: String? = nil, secretaryName: String? = nil,
        secretaryPhone: String? = nil, actingSecretaryName: String? = nil, actingSecretaryPhone: String? = nil,
        instructorName: String? = nil, memberCount: Int? = nil, youthCount: Int? = nil, dualManagement: Bool = false,
        countyDepartment: String? = nil, guidance: GuidanceKind = .newlyBuilt, brandActivities: Set<BrandActivity> = [],
        notes: String? = nil
    ) {
        self.name = name
        self.townshipCode = townshipCode
        self.orgType = orgType
        self.unitCategory = unitCategory
        self.buildMode = buildMode
        self.coveredUnits = coveredUnits
        self.stage = stage
        self.preparationApprovedOn = preparationApprovedOn
        self.foundedOn = foundedOn
        self.approvalDocument = approvalDocument
        self.secretaryName = secretaryName
        self.secretaryPhone = secretaryPhone
        self.actingSecretaryName = actingSecretaryName
        self.actingSecretaryPhone = actingSecretaryPhone
        self.instructorName = instructorName
        self.memberCount = memberCount
        self.youthCount = youthCount
        self.dualManagement = dualManagement
        self.countyDepartment = countyDepartment
        self.guidance = guidance
        self.brandActivities = brandActivities
        self.notes = notes
    }

    /// 覆盖单位 as one cell: names separated by 、, each followed by its category in
    /// brackets when it differs from the organization's own.
    public var coveredUnitsText: String {
        coveredUnits.map { $0.unitCategory == unitCategory ? $0.name : "\($0.name)（\($0.unitCategory)）" }
            .joined(separator: "、")
    }

    /// The values the audit trail keeps, keyed by the template's column names.
    public var auditSnapshot: [String: String] {
        Dictionary(uniqueKeysWithValues: auditSnapshotPairs)
    }

    /// The names of the fields whose values differ from `old`'s (as the audit trail names them).
    public func changedFields(since old: OrganizationFields) -> [String] {
        Self.auditFields.filter { $0.value(self) != $0.value(old) }.map(\.key)
    }

    /// The same values as `auditSnapshot`, in its keys' sorted order (an import writes one per row).
    public var auditSnapshotPairs: [(key: String, value: String)] {
        Self.auditFields.compactMap { key, value in value(self).map { (key, $0) } }
    }

    /// Each audited field: its key and its value (nil when an optional field is empty), in key order.
    private static let auditFields: [(key: String, value: @Sendable (OrganizationFields) -> String?)] = {
        func optional(_ key: String, _ value: @escaping @Sendable (OrganizationFields) -> String?)
            -> (key: String, value: @Sendable (OrganizationFields) -> String?) {
            (key, { fields in value(fields).flatMap { $0.isEmpty ? nil : $0 } })
        }
        let fields: [(key: String, value: @Sendable (OrganizationFields) -> String?)] = [
            ("团组织名称", { $0.name }), ("乡镇", { $0.townshipCode }), ("组织类型", { $0.orgType }),
            ("单位类别", { $0.unitCategory }), ("建团方式", { $0.buildMode }), ("建设阶段", { $0.stage.label }),
            ("是否双重管理", { $0.dualManagement ? "是" : "否" }), ("新建或联系指导", { $0.guidance.label }),
            optional("覆盖单位") { $0.coveredUnitsText },
            optional("筹建批复日期") { $0.preparationApprovedOn?.description },
            optional("成立日期") { $0.foundedOn?.description },
            optional("批复文号") { $0.approvalDocument },
            optional("书记姓名") { $0.secretaryName },
            optional("书记电话") { $0.secretaryPhone },
            optional("代理书记") { $0.actingSecretaryName },
            optional("代理书记电话") { $0.actingSecretaryPhone },
            optional("团建指导员") { $0.instructorName },
            optional("团员数") { $0.memberCount.map(String.init) },
            optional("青年数") { $0.youthCount.map(String.init) },
            optional("县直主管部门") { $0.countyDepartment },
            optional("品牌工作") { BrandActivity.text($0.brandActivities) },
            optional("备注") { $0.notes },
        ]
        return fields.sorted { $0.key < $1.key }
    }()
}
