/// One row of the national division table (统计用区划代码).
public struct DivisionRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var level: DivisionLevel
    public var parentCode: String?

    public init(code: String, name: String, level: DivisionLevel, parentCode: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }

    /// The 12-digit statistical code: short codes are padded on the right with zeros.
    public var statisticalCode: String {
        code.count >= 12 ? code : code + String(repeating: "0", count: 12 - code.count)
    }
}
