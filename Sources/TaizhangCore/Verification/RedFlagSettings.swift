/// The thresholds behind the red flags (数据预警); each is a setting of the deployment.
public struct RedFlagSettings: Sendable, Equatable {
    /// Two names in one township are near-duplicates when the Dice coefficient of their character
    /// bigrams, after normalization and without the township's own name in front, is at least this.
    /// 0.9 flags every width, space or suffix variant (1.0) and a character added or dropped at the
    /// end of a name of six or more characters (恒安纺织服装 / 恒安纺织服装厂: 10/11 = 0.91), but not
    /// one character changed in a name shorter than eleven (宏达青年志愿者协会 / 通达青年志愿者协会:
    /// 14/16 = 0.875), which in one township is most often a different unit with a similar brand.
    public var nameSimilarity: Double
    /// A phone number is flagged when it is the secretary's or acting secretary's of at least this many organizations.
    public var sharedPhoneMinimum: Int
    /// The last days before a cut-off, counted with the cut-off day itself.
    public var burstWindowDays: Int
    /// The days before that window whose daily rate is the township's baseline.
    public var burstBaselineDays: Int
    /// A burst needs at least this many records in the window …
    public var burstMinimumCount: Int
    /// … and at least this many times what the baseline rate gives for the window.
    public var burstFactor: Double
    /// The fewest league members each organization type may have; a type not listed is not checked.
    /// Every league organization needs three members (团章: 团员三人以上的单位建立团的基层组织).
    public var minimumMembers: [String: Int]

    public init(nameSimilarity: Double = 0.9, sharedPhoneMinimum: Int = 5, burstWindowDays: Int = 3, burstBaselineDays: Int = 28,
                burstMinimumCount: Int = 10, burstFactor: Double = 4,
                minimumMembers: [String: Int] = ["团支部": 3, "团总支": 3, "团工委": 3, "团委": 3]) {
        self.nameSimilarity = nameSimilarity
        self.sharedPhoneMinimum = sharedPhoneMinimum
        self.burstWindowDays = burstWindowDays
        self.burstBaselineDays = burstBaselineDays
        self.burstMinimumCount = burstMinimumCount
        self.burstFactor = burstFactor
        self.minimumMembers = minimumMembers
    }

    /// The same minimum for 团支部 as the save-time warning (`OrganizationChecks`), so the two never disagree.
    public init(checks: OrganizationChecks) {
        self.init()
        if checks.minimumBranchMembers > 0 {
            minimumMembers["团支部"] = checks.minimumBranchMembers
        } else {
            minimumMembers["团支部"] = nil
        }
    }
}
