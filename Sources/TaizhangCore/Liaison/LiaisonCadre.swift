/// A cadre who can be put in charge of townships (挂钩干部): either someone with an account (the
/// 挂钩干部 role), or a named cadre without one, known by name, unit, post and phone.
public struct LiaisonCadre: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var unit: String
    public var post: String
    public var phone: String
    /// The account, when the cadre signs in to log visits.
    public var userID: String?

    public init(id: Int, name: String, unit: String, post: String, phone: String, userID: String?) {
        self.id = id
        self.name = name
        self.unit = unit
        self.post = post
        self.phone = phone
        self.userID = userID
    }
}

/// What a form or API call gives to name a new cadre, checked before anything is written.
public struct LiaisonCadreDraft: Sendable, Hashable, Codable {
    public var name: String
    public var unit: String
    public var post: String
    public var phone: String
    public var userID: String?

    public init(name: String, unit: String = "", post: String = "", phone: String = "", userID: String? = nil) {
        self.name = name
        self.unit = unit
        self.post = post
        self.phone = phone
        self.userID = userID
    }

    /// Every problem, each naming its field.
    public func problems() -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if name.isBlank { problems.append(InvalidInput(field: "干部姓名", reason: "请填写挂钩干部的姓名")) }
        if name.count > 40 { problems.append(InvalidInput(field: "干部姓名", reason: "不超过 40 个字")) }
        if unit.count > 80 { problems.append(InvalidInput(field: "单位", reason: "不超过 80 个字")) }
        if post.count > 40 { problems.append(InvalidInput(field: "职务", reason: "不超过 40 个字")) }
        let digits = phone.filter { !" -－()（）".contains($0) }
        if !phone.isBlank && (digits.count < 7 || digits.count > 20 || !digits.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "+") }) {
            problems.append(InvalidInput(field: "联系电话", reason: "「\(phone)」不是电话号码（如 13905951234 或 0595-22581234）"))
        }
        return problems
    }
}
