import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The draw form (and the API's draw body): every value as typed, parsed here into a request
/// whose refusals name the field.
struct SpotCheckForm: Content {
    var campaignID: String?
    var scopeCode: String?
    var asOf: String?
    var stratifyBy: String?
    /// "percent" or "fixed".
    var sizeRule: String?
    var percent: String?
    var minimum: String?
    var fixedSize: String?
    var seed: String?
    var flaggedFirst: String?
    var unitCategory: String?
    var buildMode: String?

    var isFlaggedFirst: Bool { ["on", "true", "1", "是"].contains(flaggedFirst ?? "") }

    func request() throws -> SpotCheckRequest {
        var problems: [InvalidInput] = []
        let campaignID = Int(campaignID?.trimmingCharacters(in: .whitespaces) ?? "")
        if campaignID == nil { problems.append(InvalidInput(field: "建团活动", reason: "请选择")) }
        let scopeCode = scopeCode?.trimmingCharacters(in: .whitespaces).nilIfBlank
        if scopeCode == nil { problems.append(InvalidInput(field: "抽查范围", reason: "请选择")) }
        let asOf = asOf.flatMap { CalendarDay(iso: $0.trimmingCharacters(in: .whitespaces)) }
        if asOf == nil { problems.append(InvalidInput(field: "抽样框截至日期", reason: "应为日期，如 2012-12-15（填写了「\(self.asOf ?? "")」）")) }
        let stratification = SpotCheckDesign.Stratification(rawValue: stratifyBy ?? "")
        if stratification == nil { problems.append(InvalidInput(field: "分层方式", reason: "应为按县或按乡镇")) }
        var size: SpotCheckDesign.SizeRule?
        switch sizeRule {
        case "fixed":
            if let n = Self.integer(fixedSize, field: "每层样本量", &problems) { size = .fixed(n) }
        case "percent", nil:
            let p = Self.number(percent, field: "抽样比例", &problems)
            let m = Self.integer(minimum?.nilIfBlank ?? "0", field: "每层最少", &problems)
            if let p, let m { size = .percent(p, minimum: m) }
        default:
            problems.append(InvalidInput(field: "样本量规则", reason: "应为按比例或每层固定数"))
        }
        var seedValue: SpotCheckSeed?
        do { seedValue = try SpotCheckSeed(text: seed ?? "") } catch let error as InvalidInput { problems.append(error) }
        var design: SpotCheckDesign?
        if let stratification, let size {
            design = SpotCheckDesign(stratification: stratification, size: size, flaggedFirst: isFlaggedFirst)
            do { try design?.validate() } catch let error as InvalidInput { problems.append(error) }
        }
        guard problems.isEmpty, let campaignID, let scopeCode, let asOf, let design, let seedValue else { throw Refusal.invalid(problems) }
        return SpotCheckRequest(campaignID: campaignID, scopeCode: scopeCode, asOf: asOf,
                                filters: SpotCheckFilters(unitCategory: unitCategory, buildMode: buildMode), design: design, seed: seedValue)
    }

    static func number(_ text: String?, field: String, _ problems: inout [InvalidInput]) -> Double? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
        guard let value = Double(t), value.isFinite else {
            problems.append(InvalidInput(field: field, reason: "应为数字（填写了「\(text ?? "")」）"))
            return nil
        }
        return value
    }

    static func integer(_ text: String?, field: String, _ problems: inout [InvalidInput]) -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard let value = Int(t) else {
            problems.append(InvalidInput(field: field, reason: "应为整数（填写了「\(text ?? "")」）"))
            return nil
        }
        return value
    }
}

/// A finding as typed on the sample's form (and the API's body).
struct SpotCheckFindingForm: Content {
    var outcome: String?
    var checker: String?
    var visitedOn: String?
    var wrongFields: [String]?
    var notes: String?

    func finding() throws -> SpotCheckFinding {
        var problems: [InvalidInput] = []
        let outcome = SpotCheckOutcome(text: outcome ?? "")
        if outcome == nil {
            problems.append(InvalidInput(field: "核查结果", reason: "应为属实、信息有误、不属实或无法核实（填写了「\(self.outcome ?? "")」）"))
        }
        let visited = CalendarDay(iso: (visitedOn ?? "").trimmingCharacters(in: .whitespaces))
        if visited == nil { problems.append(InvalidInput(field: "核查日期", reason: "应为日期，如 2012-12-18（填写了「\(visitedOn ?? "")」）")) }
        guard problems.isEmpty, let outcome, let visited else { throw Refusal.invalid(problems) }
        return SpotCheckFinding(outcome: outcome, checker: checker ?? "", visitedOn: visited,
                                wrongFields: (wrongFields ?? []).compactMap(\.nilIfBlank), notes: notes)
    }
}
