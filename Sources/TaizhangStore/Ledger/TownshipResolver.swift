import FluentKit
import SQLKit
import TaizhangCore

/// Finds the township a sheet row names: by code, or by name within its county, with or
/// without the suffix (海滨街道, 海滨街道办事处 and 海滨 are the same place). An ambiguous or
/// unknown name is a rejected row, never a guess.
struct TownshipResolver {
    struct Place: Sendable {
        var code: String
        var name: String
        var path: String
        var parentCode: String?
        var statisticalParentCode: String?
    }

    private var townshipsByCode: [String: Place] = [:]
    private var townshipsByKey: [String: [Place]] = [:]
    private var countiesByKey: [String: [Place]] = [:]

    /// Loads the townships and county-level units inside `scope`.
    static func load(scope: Scope, on db: any Database) async throws -> TownshipResolver {
        let select = db.sql.select().columns("code", "name", "level", "path", "parent_code", "statistical_parent_code")
            .from("divisions").where("level", .in, [DivisionLevel.township.rawValue, DivisionLevel.county.rawValue])
        if scope == .within([]) { return TownshipResolver() }
        select.whereInside(scope, SQLColumn("path"))
        var resolver = TownshipResolver()
        // Read by column, not decoded: at national scope there are some 45,000 rows, and SQLKit's
        // `Decodable` rows with snake-case keys took a second of every import (profile, 2026-12-03).
        let rows = try await ResultRows.all(select.query, on: db) { row in
            (level: try row.string("level"),
             place: Place(code: try row.string("code"), name: try row.string("name"), path: try row.string("path"),
                          parentCode: try row.optionalString("parent_code"),
                          statisticalParentCode: try row.optionalString("statistical_parent_code")))
        }
        for (level, place) in rows {
            if level == DivisionLevel.township.rawValue {
                resolver.townshipsByCode[place.code] = place
                for key in Set([key(place.name), shortKey(place.name, suffixes: townshipSuffixes)]) {
                    resolver.townshipsByKey[key, default: []].append(place)
                }
            } else {
                for key in Set([key(place.name), shortKey(place.name, suffixes: countySuffixes)]) {
                    resolver.countiesByKey[key, default: []].append(place)
                }
            }
        }
        return resolver
    }

    static let townshipSuffixes = ["街道办事处", "办事处", "街道", "民族乡", "镇", "乡"]
    static let countySuffixes = ["自治县", "市", "县", "区"]

    static func key(_ name: String) -> String {
        String(ValueParser.normalize(name).unicodeScalars.filter { $0 != " " })
    }

    static func shortKey(_ name: String, suffixes: [String]) -> String {
        var text = key(name)
        for suffix in suffixes where text.hasSuffix(suffix) && text.count > suffix.count + 1 {
            text.removeLast(suffix.count)
            break
        }
        return text
    }

    /// The township, or why it cannot be told. `current`: the township the row's organization is
    /// in now, which settles a name that could mean several (an exported ledger names two
    /// 云城街道 under two 白云区, in 广州 and in 贵阳, the same way).
    func resolve(township text: String, county countyText: String?, current: String? = nil) -> Result<Place, RowReason> {
        let code = Self.key(text)
        if code.allSatisfy(\.isNumber), code.count == 9 {
            guard let place = townshipsByCode[code] else { return .failure(.init("代码「\(code)」不是您管理范围内的乡镇")) }
            return .success(place)
        }
        var candidates = townshipsByKey[Self.key(text)] ?? townshipsByKey[Self.shortKey(text, suffixes: Self.townshipSuffixes)] ?? []
        if let countyText = countyText?.nilIfBlank {
            let counties = countiesByKey[Self.key(countyText)] ?? countiesByKey[Self.shortKey(countyText, suffixes: Self.countySuffixes)] ?? []
            guard !counties.isEmpty else { return .failure(.init("县（市、区）「\(countyText)」不在您的管理范围内或不存在", column: .county)) }
            let countyCodes = Set(counties.map(\.code))
            // A township moved into a management zone is found under either county.
            candidates = candidates.filter { place in
                [place.parentCode, place.statisticalParentCode].contains { $0.map(countyCodes.contains) ?? false }
            }
            if candidates.isEmpty { return .failure(.init("「\(countyText)」下没有名为「\(text)」的乡镇（街道）")) }
        }
        if candidates.isEmpty { return .failure(.init("找不到名为「\(text)」的乡镇（街道），或它不在您的管理范围内")) }
        let distinct = Dictionary(grouping: candidates, by: \.code)
        if distinct.count > 1, let current, let place = distinct[current]?.first { return .success(place) }
        guard distinct.count == 1, let place = candidates.first else {
            let names = distinct.values.compactMap(\.first).map { "\($0.name)（\($0.code)）" }.sorted().joined(separator: "、")
            return .failure(.init("「\(text)」可指 \(names)：请填写县（市、区）或乡镇代码"))
        }
        return .success(place)
    }

    struct RowReason: Error {
        var reason: String
        var column: LedgerColumn

        init(_ reason: String, column: LedgerColumn = .township) {
            self.reason = reason
            self.column = column
        }
    }
}
