import TaizhangCore

/// The "not found" refusals the stores share, worded once.
extension Refusal {
    static func organizationNotFound(_ code: String) -> Refusal { .notFound("找不到编码为「\(code)」的团组织") }
    static func campaignNotFound(_ id: Int) -> Refusal { .notFound("找不到编号为 \(id) 的建团活动") }
    static func divisionNotFound(_ code: String) -> Refusal { .notFound("找不到代码为「\(code)」的行政区划") }
}
