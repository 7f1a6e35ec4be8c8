import TaizhangCore
import TaizhangStore
import Vapor

/// An organization as a form or an API call sends it. Values are read exactly as an
/// imported sheet's cells are (full-width digits, 2012/11/5, 是/否 …), through the same reader.
struct OrganizationInput: Content {
    var townshipCode: String?
    var name: String?
    var orgType: String?
    var unitCategory: String?
    var buildMode: String?
    var coveredUnits: String?
    var stage: String?
    var preparationApprovedOn: String?
    var foundedOn: String?
    var approvalDocument: String?
    var secretaryName: String?
    var secretaryPhone: String?
    var actingSecretaryName: String?
    var actingSecretaryPhone: String?
    var instructorName: String?
    var memberCount: String?
    var youthCount: String?
    var dualManagement: String?
    var countyDepartment: String?
    var guidance: String?
    var brandActivities: [String]?
    var notes: String?
    /// The version the editor read (optimistic concurrency).
    var version: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case townshipCode, name, orgType, unitCategory, buildMode, coveredUnits, stage, preparationApprovedOn, foundedOn
        case approvalDocument, secretaryName, secretaryPhone, actingSecretaryName, actingSecretaryPhone, instructorName
        case memberCount, youthCount, dualManagement, countyDepartment, guidance, brandActivities, notes, version
    }

    init(townshipCode: String? = nil, name: String? = nil, orgType: String? = nil, unitCategory: String? = nil,
         buildMode: String? = nil, coveredUnits: String? = nil, stage: String? = nil, preparationApprovedOn: String? = nil,
         foundedOn: String? = nil, approvalDocument: String? = nil, secretaryName: String? = nil, secretaryPhone: String? = nil,
         actingSecretaryName: String? = nil, actingSecretaryPhone: String? = nil, instructorName: String? = nil,
         memberCount: String? = nil, youthCount: String? = nil, dualManagement: String? = nil, countyDepartment: String? = nil,
         guidance: String? = nil, brandActivities: [String]? = nil, notes: String? = nil, version: String? = nil) {
        self.townshipCode = townshipCode
        self.name = name
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
        self.version = version
    }

    /// Accepts JSON numbers and booleans where a form sends text, and a brand list as one text or an array.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? {
            guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
            if let value = try? c.decode(String.self, forKey: key) { return value }
            if let value = try? c.decode(Int.self, forKey: key) { return String(value) }
            if let value = try? c.decode(Bool.self, forKey: key) { return value ? "是" : "否" }
            if let value = try? c.decode(Double.self, forKey: key) { return String(value) }
            throw InvalidInput(field: key.stringValue, reason: "应为文字或数字")
        }
        var brands: [String]?
        if c.contains(.brandActivities), try !c.decodeNil(forKey: .brandActivities) {
            if let list = try? c.decode([String].self, forKey: .brandActivities) { brands = list } else {
                brands = try text(.brandActivities).map { [$0] }
            }
        }
        self.init(
            townshipCode: try text(.townshipCode), name: try text(.name), orgType: try text(.orgType),
            unitCategory: try text(.unitCategory), buildMode: try text(.buildMode), coveredUnits: try text(.coveredUnits),
            stage: try text(.stage), preparationApprovedOn: try text(.preparationApprovedOn), foundedOn: try text(.foundedOn),
            approvalDocument: try text(.approvalDocument), secretaryName: try text(.secretaryName),
            secretaryPhone: try text(.secretaryPhone), actingSecretaryName: try text(.actingSecretaryName),
            actingSecretaryPhone: try text(.actingSecretaryPhone), instructorName: try text(.instructorName),
            memberCount: try text(.memberCount), youthCount: try text(.youthCount), dualManagement: try text(.dualManagement),
            countyDepartment: try text(.countyDepartment), guidance: try text(.guidance), brandActivities: brands,
            notes: try text(.notes), version: try text(.version))
    }

    /// `base` with every value this input names (a PATCH).
    func overlaying(_ base: OrganizationInput) -> OrganizationInput {
        OrganizationInput(
            townshipCode: townshipCode ?? base.townshipCode, name: name ?? base.name, orgType: orgType ?? base.orgType,
            unitCategory: unitCategory ?? base.unitCategory, buildMode: buildMode ?? base.buildMode,
            coveredUnits: coveredUnits ?? base.coveredUnits, stage: stage ?? base.stage,
            preparationApprovedOn: preparationApprovedOn ?? base.preparationApprovedOn, foundedOn: foundedOn ?? base.foundedOn,
            approvalDocument: approvalDocument ?? base.approvalDocument, secretaryName: secretaryName ?? base.secretaryName,
            secretaryPhone: secretaryPhone ?? base.secretaryPhone, actingSecretaryName: actingSecretaryName ?? base.actingSecretaryName,
            actingSecretaryPhone: actingSecretaryPhone ?? base.actingSecretaryPhone, instructorName: instructorName ?? base.instructorName,
            memberCount: memberCount ?? base.memberCount, youthCount: youthCount ?? base.youthCount,
            dualManagement: dualManagement ?? base.dualManagement, countyDepartment: countyDepartment ?? base.countyDepartment,
            guidance: guidance ?? base.guidance, brandActivities: brandActivities ?? base.brandActivities, notes: notes ?? base.notes,
            version: version ?? base.version)
    }

    /// The fields, or every problem at once as one refusal naming each field.
    func fields(references: ReferenceLists) throws -> OrganizationFields {
        let values: [LedgerColumn: String] = [
            .township: townshipCode ?? "", .name: name ?? "", .orgType: orgType ?? "", .unitCategory: unitCategory ?? "",
            .buildMode: buildMode ?? "", .coveredUnits: coveredUnits ?? "", .stage: stage ?? "",
            .preparationApprovedOn: preparationApprovedOn ?? "", .foundedOn: foundedOn ?? "",
            .approvalDocument: approvalDocument ?? "", .secretaryName: secretaryName ?? "", .secretaryPhone: secretaryPhone ?? "",
            .actingSecretaryName: actingSecretaryName ?? "", .actingSecretaryPhone: actingSecretaryPhone ?? "",
            .instructorName: instructorName ?? "", .memberCount: memberCount ?? "", .youthCount: youthCount ?? "",
            .dualManagement: dualManagement ?? "", .countyDepartment: countyDepartment ?? "", .guidance: guidance ?? "",
            .brandActivities: (brandActivities ?? []).joined(separator: "、"), .notes: notes ?? "",
        ]
        let columns = Array(values.keys)
        let header = try LedgerHeader(columns.map(\.header))
        let reader = LedgerRowReader(header: header, references: references)
        switch reader.read(columns.map { values[$0] ?? "" }, rowNumber: 0) {
        case .success(let row):
            var fields = row.fields
            fields.townshipCode = ValueParser.normalize(townshipCode ?? "")
            return fields
        case .failure(let problems):
            throw Refusal(problems.problems.map { "\($0.column)：\($0.reason)" }.joined(separator: "；"))
        }
    }

    func expectedVersion() throws -> Int {
        guard let text = version?.nilIfBlank, let value = Int(text) else {
            throw InvalidInput(field: "version", reason: "缺少版本号：请重新打开记录后再保存")
        }
        return value
    }
}
