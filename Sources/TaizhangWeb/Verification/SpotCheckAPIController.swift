import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/spot-checks`: the same spot checks as the pages — list, draw, one with its sample and
/// redraw check, record a finding, the report's figures.
enum SpotCheckAPIController {
    struct DrawBody: Content {
        var campaignID: Int
        var scopeCode: String
        var asOf: String
        var stratifyBy: String
        var sizeRule: String
        var percent: Double?
        var minimum: Int?
        var fixedSize: Int?
        /// Text, so a 64-bit seed keeps every digit and anything else is refused by name.
        var seed: String
        var flaggedFirst: Bool?
        var unitCategory: String?
        var buildMode: String?

        var form: SpotCheckForm {
            SpotCheckForm(campaignID: String(campaignID), scopeCode: scopeCode, asOf: asOf, stratifyBy: stratifyBy, sizeRule: sizeRule,
                          percent: percent.map { String($0) }, minimum: minimum.map(String.init), fixedSize: fixedSize.map(String.init),
                          seed: seed, flaggedFirst: flaggedFirst == true ? "on" : nil, unitCategory: unitCategory, buildMode: buildMode)
        }
    }

    struct Stratum: Content {
        var code: String
        var name: String
        var frameSize: Int
        var flaggedSize: Int
        var sampleSize: Int
    }

    struct SpotCheckJSON: Content {
        var id: Int
        var campaignID: Int
        var scopeCode: String
        var scopeName: String
        var asOf: String
        var unitCategory: String?
        var buildMode: String?
        var stratifyBy: String
        var sizeRule: String
        var percent: Double?
        var minimum: Int?
        var fixedSize: Int?
        var flaggedFirst: Bool
        var seed: String
        var frameSize: Int
        var frameSha256: String
        var sampleSize: Int
        var strata: [Stratum]
        var createdBy: String
        var createdAt: Date

        init(_ s: SpotCheck) {
            id = s.id
            campaignID = s.campaignID
            scopeCode = s.scopeCode
            scopeName = s.scopeName
            asOf = s.asOf.description
            unitCategory = s.filters.unitCategory
            buildMode = s.filters.buildMode
            stratifyBy = s.design.stratification.rawValue
            switch s.design.size {
            case .percent(let p, let m): (sizeRule, percent, minimum) = ("percent", p, m)
            case .fixed(let n): (sizeRule, fixedSize) = ("fixed", n)
            }
            flaggedFirst = s.design.flaggedFirst
            seed = s.seed.description
            frameSize = s.frameSize
            frameSha256 = s.frameHash
            sampleSize = s.sampleSize
            strata = s.strata.map { Stratum(code: $0.code, name: $0.name, frameSize: $0.frameSize, flaggedSize: $0.flaggedSize, sampleSize: $0.sampleSize) }
            createdBy = s.createdBy
            createdAt = s.createdAt
        }
    }

    struct SampleJSON: Content {
        var code: String
        var name: String
        var township: String
        var stratumCode: String
        var position: Int
        var flagged: Bool
        var outcome: String?
        var checker: String?
        var visitedOn: String?
        var wrongFields: [String]
        var notes: String?
        var recordedBy: String?

        init(_ s: SpotCheckSample) {
            code = s.code
            name = s.name
            township = s.townshipName
            stratumCode = s.stratumCode
            position = s.position
            flagged = s.flagged
            outcome = s.finding?.outcome.rawValue
            checker = s.finding?.checker
            visitedOn = s.finding?.visitedOn.description
            wrongFields = s.finding?.wrongFields ?? []
            notes = s.finding?.notes
            recordedBy = s.recordedBy
        }
    }

    struct RedrawJSON: Content {
        var matches: Bool
        var storedSha256: String
        var recomputedSha256: String
        var sampleMatches: Bool
        var addedSince: Int?
        var removedSince: Int?
    }

    struct DetailJSON: Content {
        var spotCheck: SpotCheckJSON
        var redraw: RedrawJSON
        var samples: [SampleJSON]
    }

    struct List: Content {
        var items: [SpotCheckJSON]
    }

    static func list(_ req: Request) async throws -> List {
        List(items: try await SpotCheckStore.list(in: try req.scope(for: .view), on: req.db).map(SpotCheckJSON.init))
    }

    static func draw(_ req: Request) async throws -> Response {
        let body = try req.content.decode(DrawBody.self)
        let spotCheck = try await SpotCheckController.drawSpotCheck(body.form, req)
        let response = try await detail(spotCheck, req).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.spotCheck(.value(spotCheck.id)).path)
        return response
    }

    static func detail(_ spotCheck: SpotCheck, _ req: Request) async throws -> DetailJSON {
        let redraw = try await SpotCheckStore.redraw(spotCheck, comparingLedger: req.queryText("compare") == "ledger", on: req.db)
        return DetailJSON(spotCheck: SpotCheckJSON(spotCheck),
                          redraw: RedrawJSON(matches: redraw.matches, storedSha256: redraw.storedHash, recomputedSha256: redraw.recomputedHash,
                                             sampleMatches: redraw.sampleMatches, addedSince: redraw.addedSince, removedSince: redraw.removedSince),
                          samples: try await SpotCheckStore.samples(spotCheck, on: req.db).map(SampleJSON.init))
    }

    static func show(_ req: Request) async throws -> DetailJSON {
        try await detail(try await SpotCheckController.spotCheck(req), req)
    }

    static func record(_ req: Request) async throws -> SampleJSON {
        let spotCheck = try await SpotCheckController.spotCheck(req, for: .verify)
        let code = try req.parameters.require("code")
        let finding = try req.content.decode(SpotCheckFindingForm.self).finding()
        try await SpotCheckStore.record(finding, for: code, in: spotCheck.id, scope: try req.scope(for: .verify), by: req.actor, on: req.db)
        guard let sample = try await SpotCheckStore.samples(spotCheck, on: req.db).first(where: { $0.code == code }) else {
            throw Refusal.notFound("找不到样本「\(code)」")
        }
        return SampleJSON(sample)
    }

    struct Interval: Content {
        var estimate: Double
        var lower: Double
        var upper: Double
    }

    struct Estimate: Content {
        var count: Double
        var standardError: Double?
        var lower: Double?
        var upper: Double?
        var coveredFrame: Int
        var uncoveredStrata: Int
    }

    struct LineJSON: Content {
        var code: String
        var name: String
        var frameSize: Int
        var sampleSize: Int
        var checked: Int
        var real: Int
        var outcomes: [String: Int]
        var pending: Int
        var share: Interval?
        var estimate: Estimate?

        init(_ line: SpotCheckReport.Line) {
            code = line.code
            name = line.name
            frameSize = line.frameSize
            sampleSize = line.sampleSize
            checked = line.checked
            real = line.real
            outcomes = Dictionary(uniqueKeysWithValues: SpotCheckOutcome.allCases.map { ($0.rawValue, line.outcomes[$0] ?? 0) })
            pending = line.pending
            share = line.share.map { Interval(estimate: $0.estimate, lower: $0.lower, upper: $0.upper) }
            estimate = line.estimate.map { Estimate(count: $0.count, standardError: $0.standardError, lower: $0.lower, upper: $0.upper,
                                                    coveredFrame: $0.coveredFrame, uncoveredStrata: $0.uncoveredStrata) }
        }
    }

    struct ReportJSON: Content {
        var spotCheckID: Int
        var strata: [LineJSON]
        var total: LineJSON
        var formulas: [String]
    }

    static func report(_ req: Request) async throws -> ReportJSON {
        let spotCheck = try await SpotCheckController.spotCheck(req)
        let report = try await SpotCheckStore.report(spotCheck, on: req.db)
        return ReportJSON(spotCheckID: spotCheck.id, strata: report.strata.map(LineJSON.init), total: LineJSON(report.total),
                          formulas: SpotCheckReportLayout.formulaText)
    }
}
