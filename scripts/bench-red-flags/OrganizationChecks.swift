// A stand-in for Core/Ledger/OrganizationChecks (bench only).
public struct OrganizationChecks { public var minimumBranchMembers = 3 }
