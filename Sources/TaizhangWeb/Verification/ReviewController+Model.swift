import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the 核查 pages show: the models their templates read.
extension ReviewController {
    struct StateCount: Encodable {
        var label: String
        var count: Int
        var href: String?
    }

    struct HomeModel: Encodable {
        var layout: LayoutContext
        var states: [StateCount]
        var refuted: Int
        var pages: [Link]

        init(req: Request, user: CurrentUser, counts: [CountedReview: Int]) {
            layout = LayoutContext(title: "核查", area: .verification, request: req)
            let hasCounty = !user.policy.reviewScope(.county).isEmpty
            let hasCity = !user.policy.reviewScope(.city).isEmpty
            func queue(_ state: ReviewState) -> String? {
                switch state {
                case .pending, .returned: hasCounty ? ReviewController.queueHref(.county, state: state)
                    : hasCity ? ReviewController.queueHref(.city, state: state) : nil
                case .county: hasCity ? ReviewController.queueHref(.city, state: state)
                    : hasCounty ? ReviewController.queueHref(.county, state: state) : nil
                case .city: ReviewController.queueHref(hasCity ? .city : .county, state: state)
                }
            }
            states = ReviewState.allCases.map { state in
                let key = CountedReview(state, refuted: false)
                return StateCount(label: state.label, count: counts[key] ?? 0, href: queue(state))
            }
            refuted = counts[.refuted] ?? 0
            var pages: [Link] = []
            if hasCounty {
                pages.append(Link(label: "县级核实队列", href: ReviewController.queueHref(.county), note: "本县各乡镇录入的记录，逐条或成批核实、退回"))
            }
            if hasCity {
                pages.append(Link(label: "市级确认队列", href: ReviewController.queueHref(.city), note: "各县已核实的记录，逐条或成批确认、退回"))
            }
            pages.append(Link(label: "签字确认", href: SiteURL.signOffs.path, note: "市级按县、按截止日期签字确认台账，签字后记录锁定"))
            pages.append(Link(label: "数据抽查", href: SiteURL.spotChecks.path, note: "按县（乡镇）分层抽样，登记核查结论，估计真实数量"))
            pages.append(Link(label: "数据预警", href: SiteURL.redFlagsStart.path, note: "重名、同一电话、突击录入、人数和日期异常"))
            self.pages = pages
        }
    }

    struct QueueRow: Encodable {
        var code: String
        var name: String
        var href: String
        var township: String
        var stage: String
        var foundedOn: String
        var changedSinceConfirmation: Bool
        var reason: String?
        var flags: Int
    }

    struct TownshipCount: Encodable {
        var name: String
        var count: Int
        var href: String
        var active: Bool
    }

    struct QueueModel: Encodable {
        var layout: LayoutContext
        var level: String
        var levelLabel: String
        var stateLabel: String
        var levels: [Link]
        var states: [StateCount]
        var townships: [TownshipCount]
        var total: Int
        var flagged: [QueueRow]
        var rows: [QueueRow]
        var nextHref: String?
        var canAct: Bool
        var canConfirm: Bool
        var canReturn: Bool
        var confirmAction: String
        var returnAction: String
        var state: String
        var township: String?
        var done: String?
        var error: String?
    }
}
