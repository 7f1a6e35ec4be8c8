/// The kinds of brand activity a township records (品牌活动). The three brands come first; 其他
/// asks for the notes to say what it was.
public enum ActivityKind {
    public static let values = ["青年文明号", "青年突击队", "青年志愿者服务", "联谊", "培训", "其他"]

    /// The kind `text` names: exactly, or the ledger's short 青年志愿者 for 青年志愿者服务.
    public static func match(_ text: String) -> String? {
        let t = ValueParser.withoutSpaces(ValueParser.normalize(text))
        if values.contains(t) { return t }
        if t == "青年志愿者" { return "青年志愿者服务" }
        return nil
    }
}
