import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the application is set up with — divisions, reference lists — kept per app instance
/// under the database's *setup* version (`DataVersion.Versions.setup`), which ledger writes do
/// not raise: a write request checks its township and reads its lists without a query each.
final class SetupCache: Sendable {
    /// A division row as plain values, so no request can change what another is given.
    struct DivisionValues: Sendable {
        var code: String
        var name: String
        var levelCode: String
        var parentCode: String?
        var statisticalParentCode: String?
        var path: String
        var isManagementZone: Bool
        var leagueCommitteeName: String?
        var keyAreaTagsText: String
        var youthPopulation: Int?

        init(_ division: Division) {
            code = division.code
            name = division.name
            levelCode = division.levelCode
            parentCode = division.parentCode
            statisticalParentCode = division.statisticalParentCode
            path = division.path
            isManagementZone = division.isManagementZone
            leagueCommitteeName = division.leagueCommitteeName
            keyAreaTagsText = division.keyAreaTagsText
            youthPopulation = division.youthPopulation
        }

        /// A new model with these values, to read: it is not marked as stored, so saving it
        /// fails loudly instead of writing what may be out of date.
        var model: Division {
            let division = Division()
            division.id = code
            division.name = name
            division.levelCode = levelCode
            division.parentCode = parentCode
            division.statisticalParentCode = statisticalParentCode
            division.path = path
            division.isManagementZone = isManagementZone
            division.leagueCommitteeName = leagueCommitteeName
            division.keyAreaTagsText = keyAreaTagsText
            division.youthPopulation = youthPopulation
            return division
        }
    }

    let divisions = VersionedCache<DivisionValues>(capacity: 200_000)
    let names = VersionedCache<DivisionNames.Entry>(capacity: 200_000)
    let references = VersionedCache<ReferenceLists>(capacity: 4)
    /// The townships inside a scope (the ledger's place filter), by the scope's roots.
    let townshipLists = VersionedCache<[DivisionQueries.TownshipLabel]>(capacity: 200)
}

extension Application {
    private struct SetupCacheKey: StorageKey {
        typealias Value = SetupCache
    }

    /// Set up by `configure`; a fresh one (so nothing cached) if it was not.
    var setupCache: SetupCache {
        get { storage[SetupCacheKey.self] ?? SetupCache() }
        set { storage[SetupCacheKey.self] = newValue }
    }
}

extension Request {
    /// The division `code`, or nil where there is none — from the setup cache while the setup
    /// version stands. A copy to read, not to save.
    func cachedDivision(_ code: String) async throws -> Division? {
        let version = try await setupVersion()
        return try await application.setupCache.divisions.valueIfFound(code, at: version) {
            try await DivisionQueries.find(code, on: db).map(SetupCache.DivisionValues.init)
        }?.model
    }

    /// The names (and parents) of these townships and their counties; what the cache lacks is
    /// read in one go.
    func divisionNames(townships codes: Set<String>) async throws -> DivisionNames {
        let version = try await setupVersion()
        let cache = application.setupCache.names
        var byCode: [String: DivisionNames.Entry] = [:]
        var missing: Set<String> = []
        for code in codes {
            guard let entry = cache.value(code, at: version) else { missing.insert(code); continue }
            byCode[code] = entry
            if let parent = entry.parentCode {
                if let county = cache.value(parent, at: version) { byCode[parent] = county } else { missing.insert(code) }
            }
        }
        if !missing.isEmpty {
            for (code, entry) in try await DivisionNames.load(townships: missing, on: db).byCode {
                cache.store(entry, for: code, at: version)
                byCode[code] = entry
            }
        }
        return DivisionNames(byCode: byCode)
    }

    /// The townships inside `scope` with their counties, in tree order, at most `limit`.
    func townships(under scope: Scope, limit: Int) async throws -> [DivisionQueries.TownshipLabel] {
        let key: String
        switch scope {
        case .everywhere: key = "*/\(limit)"
        case .within(let roots): key = roots.map(\.rawValue).joined(separator: ",") + "/\(limit)"
        }
        return try await application.setupCache.townshipLists.value(key, at: try await setupVersion()) {
            try await DivisionQueries.townships(under: scope, limit: limit, on: db)
        }
    }

    /// The reference lists (types, unit categories, build modes) the forms offer and the ledger accepts.
    func referenceLists() async throws -> ReferenceLists {
        try await application.setupCache.references.value("lists", at: try await setupVersion()) {
            try await ReferenceStore.lists(on: db)
        }
    }
}
