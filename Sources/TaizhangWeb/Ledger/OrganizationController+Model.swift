import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `OrganizationController` show: the models their templates read.
extension OrganizationController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct FormModel: Encodable {
        var input: OrganizationInput
        var townships: [Option]
        /// A list when the user's scope is small enough to choose from; else a code field.
        var hasTownships: Bool
        var orgTypes: [Option]
        var unitCategories: [Option]
        var buildModes: [Option]
        var stages: [Option]
        var hasStages: Bool
        var guidances: [Option]
        var brands: [Option]
        var dual: Bool
    }

    struct TimelineRow: Encodable {
        var date: String
        var change: String
        var reason: String
        var actor: String
        /// When it was entered, beside the date the stage took effect.
        var recorded: String
    }

    /// One saved change of the record's fields (form, API or import), from the audit trail.
    struct EditRow: Encodable {
        var at: String
        var how: String
        var fields: String
        var actor: String
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var code: String
        var updateAction: String
        var stageAction: String
        var name: String
        var township: String
        var townshipCode: String
        var county: String
        var stage: String
        var stageClass: String
        var version: Int
        var details: [Detail]
        var coveredUnits: [CoveredUnit]
        var hasCoveredUnits: Bool
        /// The brand activities that reached it, oldest first, and its path from them to the ledger's stages.
        var activities: [ActivityLine]
        var pathHref: String
        var timeline: [TimelineRow]
        var edits: [EditRow]
        var warnings: [String]
        var hasWarnings: Bool
        var canEdit: Bool
        /// The pointer to the audit trail, only for a role that may read it (others get 403 there).
        var canViewAudit: Bool
        var isEnded: Bool
        /// The edit form, only for someone who may edit (it lists their townships).
        var form: FormModel?
        var stageTargets: [Option]
        var stageDraft: StageDraft
        /// Talents named to this organization and committee members who look after it.
        var people: [Detail]
        var hasPeople: Bool
        var error: String?
        var mergedInto: String?
        var mergedIntoHref: String?
        var saved: Bool
        var review: ReviewPanel
    }

    struct NewPageModel: Encodable {
        var layout: LayoutContext
        var form: FormModel
        var error: String?
    }
}
