/// The kinds of brand activity a township records (品牌活动): a reference list
/// (`ReferenceKind.activityKind`) that administrators may extend. The three brands come
/// first; 其他 asks for the notes to say what it was.
public enum ActivityKind {
    public static let builtinValues = ["青年文明号", "青年突击队", "青年志愿者服务", "联谊", "培训", other]
    public static let other = "其他"

    /// The kind in `kinds` that `text` names: exactly, or the ledger's short 青年志愿者 for 青年志愿者服务.
    public static func match(_ text: String, in kinds: [String] = builtinValues) -> String? {
        ReferenceKind.activityKind.match(text, in: kinds)
    }
}
