import Foundation

/// 典型案例: a short write-up of how a township or unit built its organizations, for the others to
/// copy; linked to the ledger's organizations and the brand activities it describes.
public struct ModelCase: Sendable, Hashable, Codable {
    public var id: Int
    public var campaignID: Int?
    public var divisionCode: String
    public var divisionPath: String
    /// The unit the case is about, when it is one unit rather than the township's approach.
    public var unitName: String?
    public var title: String
    public var buildMode: String
    public var unitCategory: String
    public var whatWorked: String
    public var organizationCodes: [String]
    /// The township's recorded activities the case describes (`Activity.id`), in id order.
    public var activityIDs: [Int]
    public var createdBy: String
    public var createdAt: Date

    public init(id: Int, campaignID: Int?, divisionCode: String, divisionPath: String, unitName: String?, title: String, buildMode: String,
                unitCategory: String, whatWorked: String, organizationCodes: [String], activityIDs: [Int] = [], createdBy: String, createdAt: Date) {
        self.id = id
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.divisionPath = divisionPath
        self.unitName = unitName
        self.title = title
        self.buildMode = buildMode
        self.unitCategory = unitCategory
        self.whatWorked = whatWorked
        self.organizationCodes = organizationCodes
        self.activityIDs = activityIDs
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What a cadre types for a model case; the store checks the township, the reference values and
/// the organizations against the data.
public struct ModelCaseDraft: Sendable {
    public var campaignID: Int?
    public var divisionCode: String
    public var unitName: String
    public var title: String
    public var buildMode: String
    public var unitCategory: String
    public var whatWorked: String
    public var organizationCodes: [String]
    public var activityIDs: [Int]

    public init(campaignID: Int?, divisionCode: String, unitName: String = "", title: String, buildMode: String, unitCategory: String,
                whatWorked: String, organizationCodes: [String] = [], activityIDs: [Int] = []) {
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.unitName = unitName
        self.title = title
        self.buildMode = buildMode
        self.unitCategory = unitCategory
        self.whatWorked = whatWorked
        self.organizationCodes = organizationCodes
        self.activityIDs = activityIDs
    }

    public func check() -> [InvalidInput] {
        var problems: [InvalidInput] = []
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems.append(.init(field: "标题", reason: "请填写")) } else if title.count > 80 {
            problems.append(.init(field: "标题", reason: "有 \(title.count) 个字，不超过 80 个字"))
        }
        if divisionCode.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(.init(field: "乡镇（街道）", reason: "请选择")) }
        let worked = whatWorked.trimmingCharacters(in: .whitespacesAndNewlines)
        if worked.count < 20 { problems.append(.init(field: "主要做法和成效", reason: "请写清做法和成效（至少 20 个字）")) }
        if worked.count > 5000 { problems.append(.init(field: "主要做法和成效", reason: "不超过 5000 个字")) }
        return problems
    }
}
