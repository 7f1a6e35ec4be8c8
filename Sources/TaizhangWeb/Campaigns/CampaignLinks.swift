/// The links of one campaign's pages and forms, made from `SiteURL` for the campaign and
/// reporting templates (`#(campaignLinks.targets)`).
struct CampaignLinks: Encodable {
    var show: String
    var targets: String
    var ranking: String
    var rankingTable: String
    var reports: String
    var bulletins: String
    var allocation: String
    var proposals: String
    var reviews: String
    var schedule: String

    init(_ id: Int) {
        show = SiteURL.campaignOverview(.value(id)).path
        targets = SiteURL.campaignTargets(.value(id)).path
        ranking = SiteURL.campaignRanking(.value(id)).path
        rankingTable = SiteURL.campaignRankingTable(.value(id)).path
        reports = SiteURL.campaignReports(.value(id)).path
        bulletins = SiteURL.campaignBulletins(.value(id)).path
        allocation = SiteURL.campaignAllocation(.value(id)).path
        proposals = SiteURL.campaignProposals(.value(id)).path
        reviews = SiteURL.campaignReviews(.value(id)).path
        schedule = SiteURL.campaignSchedule(.value(id)).path
    }
}
