/// A role a user holds on one division subtree. A user may hold several grants.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case systemAdmin = "system_admin"
    case cityAdmin = "city_admin"
    case countyAdmin = "county_admin"
    case townshipReporter = "township_reporter"
    case liaisonCadre = "liaison_cadre"
    case verifier = "verifier"
    case leaderViewer = "leader_viewer"

    public var label: String {
        switch self {
        case .systemAdmin: "系统管理员"
        case .cityAdmin: "市级管理员"
        case .countyAdmin: "县级管理员"
        case .townshipReporter: "乡镇填报员"
        case .liaisonCadre: "挂钩干部"
        case .verifier: "核查员"
        case .leaderViewer: "领导查看"
        }
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let role = Role(rawValue: t) { self = role; return }
        guard let role = Role.allCases.first(where: { $0.label == t }) else { return nil }
        self = role
    }

    /// What the role may do inside its subtree.
    public var permissions: Set<Permission> {
        switch self {
        case .systemAdmin:
            Set(Permission.allCases)
        case .cityAdmin:
            [.view, .editDivisions, .editLedger, .manageZones, .viewAudit, .manageUsers, .manageCampaigns, .proposeTargets, .verify,
             .liaise, .supervise]
        case .countyAdmin:
            [.view, .editDivisions, .editLedger, .manageZones, .viewAudit, .manageUsers, .proposeTargets, .verify, .liaise, .supervise]
        case .townshipReporter:
            [.view, .editDivisions, .editLedger]
        case .verifier:
            [.view, .verify]
        case .liaisonCadre:
            [.view, .liaise]
        case .leaderViewer:
            [.view]
        }
    }

    /// Rank for granting: nobody grants a role above their own.
    public var seniority: Int {
        switch self {
        case .systemAdmin: 3
        case .cityAdmin: 2
        case .countyAdmin: 1
        case .townshipReporter, .liaisonCadre, .verifier, .leaderViewer: 0
        }
    }

    /// The shallowest level a grant of this role may sit on: a county administrator is
    /// granted on a county (or below), never on a city.
    public var highestLevel: DivisionLevel {
        switch self {
        case .systemAdmin, .leaderViewer, .verifier, .liaisonCadre: .province
        case .cityAdmin: .city
        case .countyAdmin: .county
        case .townshipReporter: .township
        }
    }
}

/// What an action needs. Every route names one (or is public).
public enum Permission: String, Codable, Sendable, CaseIterable, Hashable {
    /// Read pages and data of the subtree.
    case view
    /// Change division attributes (key-area tags, youth population, committee name).
    case editDivisions
    /// Create and edit organizations, record stage changes, import ledger files.
    case editLedger
    /// Create management zones and move townships between county-level units.
    case manageZones
    /// Read the audit trail of the subtree.
    case viewAudit
    /// Create users and grant roles inside the subtree.
    case manageUsers
    /// Set up campaigns, allocate their targets, and accept or reject proposed changes.
    case manageCampaigns
    /// Propose a new split of one's own target over one's townships (the city decides).
    case proposeTargets
    /// Review the ledger (核查): confirm or return records, sign off, draw spot checks and
    /// record their outcomes, dismiss red flags. At county level this confirms a township's
    /// records (县已核实); at city level and above it confirms counties' (市已确认) and signs off.
    case verify
    /// Log field visits (走访记录) in the subtree and raise the problems found as supervision items;
    /// take up and report on items owned there.
    case liaise
    /// Put liaison cadres in charge of townships, record interviews, meetings and inspections, and
    /// close or reopen supervision items.
    case supervise
    /// Things only a system administrator does (grants above city level, all users).
    case administerSystem
}
