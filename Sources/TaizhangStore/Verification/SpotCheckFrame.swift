import FluentKit
import SQLKit
import TaizhangCore

/// The frame of a spot check: the organizations a campaign counts as of a day (已建立, founded
/// on or before it, of the counted guidance kinds, inside the window when the rule says so, in
/// a review state the rule counts, never found 不属实) inside the division drawn over and the
/// campaign's region, narrowed by the filters, each with its stratum.
enum SpotCheckFrame {
    /// The path whose subtree holds the frame: the deeper of the division's and the region's.
    static func path(of division: Division, in campaign: Campaign) throws -> String {
        if campaign.region.contains(division.path) { return division.path }
        if DivisionPath(division.path).contains(campaign.regionPath) { return campaign.regionPath }
        throw Refusal("抽查范围：「\(division.name)」不在活动「\(campaign.name)」的覆盖地区内", field: "scope")
    }

    static func records(_ campaign: Campaign, path: String, asOf: CalendarDay, filters: SpotCheckFilters,
                        stratification: SpotCheckDesign.Stratification, flagged: Set<String>,
                        on db: any Database) async throws -> [SpotCheckDraw.FrameRecord] {
        struct Row: Decodable {
            var code: String
            var division_path: String
        }
        let rule = campaign.rule
        let query = db.sql.select().columns("code", "division_path").from("organizations")
            .where("stage", .equal, Stage.founded.rawValue)
            .where("founded_on", .isNot, SQLLiteral.null)
            .where("founded_on", .lessThanOrEqual, asOf.description)
            .where("guidance", .in, rule.guidanceKinds.map(\.rawValue))
            .where("review_state", .in, rule.countedReviews.map(\.rawValue))
            .where("refuted_on", .is, SQLLiteral.null)
            .whereInSubtrees(SQLColumn("division_path"), [path])
        if rule.withinWindow { query.where("founded_on", .greaterThanOrEqual, campaign.start.description) }
        if let category = filters.unitCategory { query.where("unit_category", .equal, category) }
        if let mode = filters.buildMode { query.where("build_mode", .equal, mode) }
        let rows = try await query.all(decoding: Row.self)
        let index = stratification.level - 1
        let stratumCodes = rows.map { stratumCode(of: $0.division_path, index: index) }
        let names = try await divisionNames(Set(stratumCodes), on: db)
        return zip(rows, stratumCodes).map { row, stratum in
            SpotCheckDraw.FrameRecord(code: row.code, stratumCode: stratum, stratumName: names[stratum] ?? stratum,
                                      flagged: flagged.contains(row.code))
        }
    }

    /// The county's (or township's) code on an organization's path.
    static func stratumCode(of path: String, index: Int) -> String {
        let codes = DivisionPath.codes(in: path)
        return codes.indices.contains(index) ? codes[index] : codes.last ?? ""
    }

    static func divisionNames(_ codes: Set<String>, on db: any Database) async throws -> [String: String] {
        struct Row: Decodable {
            var code: String
            var name: String
        }
        var names: [String: String] = [:]
        let all = Array(codes).sorted()
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = Array(all[start..<min(all.count, start + 500)])
            for row in try await db.sql.select().columns("code", "name").from("divisions").where("code", .in, chunk).all(decoding: Row.self) {
                names[row.code] = row.name
            }
        }
        return names
    }

    /// The stored form of a frame: one "code<TAB>stratum<TAB>0|1" per line, in code order.
    static func text(_ records: [SpotCheckDraw.FrameRecord]) -> String {
        records.sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }
            .map { "\($0.code)\t\($0.stratumCode)\t\($0.flagged ? 1 : 0)" }.joined(separator: "\n")
    }

    static func parse(_ text: String, names: [String: String]) -> [SpotCheckDraw.FrameRecord] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return nil }
            return SpotCheckDraw.FrameRecord(code: parts[0], stratumCode: parts[1], stratumName: names[parts[1]] ?? parts[1],
                                             flagged: parts[2] == "1")
        }
    }
}
