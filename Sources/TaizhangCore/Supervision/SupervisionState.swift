/// Where a supervision item (督办事项) stands. 逾期 is not a state of its own: an item that is
/// not 已办结 past the end of its deadline day (Asia/Shanghai) is overdue, whatever its state.
public enum SupervisionState: String, Codable, Sendable, CaseIterable, Hashable {
    case open = "open"
    case inProgress = "in_progress"
    case closed = "closed"
    /// Reopened by whoever raised it (or a supervisor), with a reason; it is worked on again.
    case returned = "returned"

    public var label: String {
        switch self {
        case .open: "待办"
        case .inProgress: "办理中"
        case .closed: "已办结"
        case .returned: "已退回"
        }
    }

    public var isOpen: Bool { self != .closed }

    /// The moves an item may make, and what each needs.
    public enum Move: String, Sendable, CaseIterable, Hashable {
        /// 开始办理: the owner takes it up.
        case start
        /// 办结: needs a written result.
        case close
        /// 退回: reopens a closed item, needs a reason.
        case reopen

        public var label: String {
            switch self {
            case .start: "开始办理"
            case .close: "办结"
            case .reopen: "退回重办"
            }
        }
    }

    /// The state after `move`, or a refusal saying why the move does not apply.
    public func after(_ move: Move) throws -> SupervisionState {
        switch (move, self) {
        case (.start, .open), (.start, .returned): return .inProgress
        case (.close, .open), (.close, .inProgress), (.close, .returned): return .closed
        case (.reopen, .closed): return .returned
        default:
            throw Refusal.conflict("该事项现为「\(label)」，不能\(move.label)")
        }
    }
}
