import Foundation
import TaizhangFiles

/// The national division table (province → township) shipped with the package,
/// parsed once and queried by region.
public struct DivisionTable: Sendable {
    /// Rows in file order: every parent stands before its subtree.
    public let records: [DivisionRecord]
    private let indexByCode: [String: Int]

    /// The region code that selects the whole country.
    public static let nationalRegion = "CN"

    public struct ParseError: UserFacingError {
        public var line: Int
        public var reason: String
        public var message: String { "区划表第 \(line) 行：\(reason)" }
    }

    public init(csv bytes: [UInt8]) throws {
        var reader = CSVReader(bytes: bytes)
        guard let header = reader.next(), header == ["code", "name", "level", "parent_code"] else {
            throw ParseError(line: 1, reason: "表头应为 code,name,level,parent_code")
        }
        var records: [DivisionRecord] = []
        records.reserveCapacity(45_000)
        var index: [String: Int] = [:]
        index.reserveCapacity(45_000)
        while let row = reader.next() {
            if row == [""] { continue }
            guard row.count == 4 else {
                throw ParseError(line: reader.lineNumber, reason: "应有 4 列，实有 \(row.count) 列")
            }
            guard let level = DivisionLevel(rawValue: row[2]) else {
                throw ParseError(line: reader.lineNumber, reason: "未知层级「\(row[2])」")
            }
            let parent = row[3].isEmpty ? nil : row[3]
            if let parent, index[parent] == nil {
                throw ParseError(line: reader.lineNumber, reason: "上级代码 \(parent) 未出现在本行之前")
            }
            guard index[row[0]] == nil else {
                throw ParseError(line: reader.lineNumber, reason: "代码 \(row[0]) 重复")
            }
            index[row[0]] = records.count
            records.append(DivisionRecord(code: row[0], name: row[1], level: level, parentCode: parent))
        }
        self.records = records
        self.indexByCode = index
    }

    /// The table that ships in the package's resources.
    public static func bundled() throws -> DivisionTable {
        guard let url = Bundle.module.url(forResource: "divisions-china", withExtension: "csv") else {
            throw ParseError(line: 0, reason: "安装包中缺少 divisions-china.csv")
        }
        return try DivisionTable(csv: Array(try Data(contentsOf: url)))
    }

    public func record(code: String) -> DivisionRecord? {
        indexByCode[code].map { records[$0] }
    }

    /// The ancestors of `code`, from the top down, not including `code` itself.
    public func ancestors(of code: String) -> [DivisionRecord] {
        var chain: [DivisionRecord] = []
        var current = record(code: code)?.parentCode
        while let parent = current, let parentRecord = record(code: parent) {
            chain.append(parentRecord)
            current = parentRecord.parentCode
        }
        return chain.reversed()
    }

    public struct UnknownRegion: UserFacingError {
        public var code: String
        public var message: String {
            "未知的区划代码「\(code)」：请使用 2 位省级、4 位市级、6 位县级或 9 位乡镇代码（如 35、3505），或 CN 表示全国"
        }
    }

    /// The rows a deployment for `region` loads: its ancestors (so the tree has its real
    /// context) and its whole subtree, parents before children.
    public func region(_ region: String) throws -> [DivisionRecord] {
        let code = region.trimmingCharacters(in: .whitespaces)
        if code.uppercased() == Self.nationalRegion { return records }
        guard let start = indexByCode[code] else { throw UnknownRegion(code: region) }
        var rows = ancestors(of: code)
        let root = records[start]
        rows.append(root)
        // Rows are sorted by code and every descendant's code extends its ancestor's,
        // so the subtree is the contiguous run of rows whose code starts with the root's.
        var i = start + 1
        while i < records.count, records[i].code.hasPrefix(code), records[i].level > root.level {
            rows.append(records[i])
            i += 1
        }
        return rows
    }
}
