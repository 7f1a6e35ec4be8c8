import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// The audit trail, read-only, within the viewer's subtrees; filterable and exportable.
enum AuditController {
    struct Query: Content {
        var action: String?
        var actor: String?
        var entity: String?
        var from: String?
        var until: String?
    }

    /// Every action the application records, with what it is called on the page — the one list,
    /// in the order the 操作 filter offers them. A test checks that every code recorded in
    /// Sources/ is here.
    static let actions: [(code: String, label: String)] = [
        ("division.update", "修改区划属性"), ("division.zone.create", "新增管委会"), ("division.township.move", "乡镇划转"),
        ("divisions.init", "载入行政区划"),
        ("organization.create", "新增团组织"), ("organization.update", "修改团组织"), ("organization.stage", "变更建设阶段"),
        ("organization.import.create", "导入新增团组织"), ("organization.import.update", "导入更新团组织"),
        ("ledger.import", "导入台账文件"), ("reference.add", "新增参考值"),
        ("committee.member.add", "新增大团委成员"), ("committee.member.link", "成员关联团组织"),
        ("talent.add", "新增人才库人员"), ("talent.assign", "人才派往团组织"),
        ("campaign.create", "新建目标任务"), ("campaign.update", "修改目标任务"), ("campaign.allocate", "分解目标"),
        ("campaign.proposal.create", "提出分解调整"), ("campaign.proposal.decide", "审定分解调整"),
        ("reporting.schedule", "设置报送安排"), ("report.submit", "报送进度"), ("report.amend", "修改报送"),
        ("report.record", "补录报送"), ("report.review", "审核报送"),
        ("bulletin.issue", "发布通报"), ("bulletin.withdraw", "作废通报"),
        ("spotcheck.draw", "抽取抽查样本"), ("spotcheck.outcome", "记录抽查结果"),
        ("red_flag.dismiss", "忽略数据预警"),
        ("liaison.cadre.create", "新增挂钩干部"), ("liaison.cadre.link", "挂钩干部关联账号"), ("liaison.assign", "安排挂钩联系"),
        ("liaison.end", "结束挂钩联系"), ("visit.log", "记录走访"), ("supervision.raise", "提出督办事项"),
        ("supervision.start", "开始办理督办事项"), ("supervision.close", "办结督办事项"), ("supervision.reopen", "退回重办督办事项"),
        ("escalation.record", "记录约谈、会议或督导"),
        ("assessment.create", "新建年度考评"), ("assessment.rubric", "修改考评方案"), ("assessment.score", "检查类指标评分"),
        ("assessment.self_score", "团组织自评"), ("assessment.publish", "发布考评结果"), ("assessment.republish", "重新发布考评结果"), ("assessment.appeal", "提出考评申诉"),
        ("assessment.appeal_decision", "答复考评申诉"),
        ("conference.member.add", "增加联席会成员单位"), ("conference.member.leave", "联席会成员单位退出"),
        ("conference.meeting.record", "记录联席会会议"), ("activity.record", "记录品牌活动"),
        ("demonstration.criterion", "新增示范条件"), ("demonstration.limit", "设定示范乡镇名额"), ("demonstration.nominate", "推荐示范乡镇"),
        ("demonstration.decide", "审批示范乡镇"), ("demonstration.evidence", "提交示范佐证材料"), ("demonstration.accept", "记录示范乡镇验收"),
        ("model_case.create", "新增典型案例"), ("library.create", "上传工作资料"), ("library.version", "上传资料新版本"),
        ("library.faq", "新增问答"), ("library.faq.update", "修改问答"),
        ("reminder.queue", "生成催报催办提醒"), ("reminder.read", "提醒标为已读"), ("reminder.mail_address", "设置邮件提醒地址"),
        ("reminder.mail_sent", "提醒邮件已发送"), ("reminder.mail_failed", "提醒邮件发送失败"),
        ("liaison.rhythm", "设置走访频次"), ("reminder.retry_now", "提醒邮件立即重试"),
        ("organization.review.confirm", "核实确认"), ("organization.review.return", "核查退回"),
        ("signoff.create", "签字确认"), ("signoff.reopen", "撤销签字确认"),
        ("organization.refute", "抽查认定不属实"), ("organization.refutation.remove", "撤销不属实认定"),
        ("user.create", "开设账号"), ("user.update", "修改账号信息"), ("user.password", "修改密码"),
        ("user.activate", "启用账号"), ("user.deactivate", "停用账号"),
        ("grant.add", "授予角色"), ("grant.remove", "撤销角色"),
        ("token.create", "生成令牌"), ("token.revoke", "吊销令牌"), ("token.refused", "令牌被拒"),
        ("login", "登录"), ("logout", "退出"), ("login.failed", "登录失败"), ("login.throttled", "登录被限制"),
        ("access.denied", "访问被拒绝"), ("request.refused", "提交被退回"),
    ]

    /// What each recorded action is called on the page (a code not listed shows as recorded).
    static let actionLabels: [String: String] = Dictionary(uniqueKeysWithValues: actions.map { ($0.code, $0.label) })

    /// The filter's action as a code: a code as given, or the code of a label (「停用账号」).
    static func actionCode(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).nilIfBlank else { return nil }
        return actions.first { $0.label == text }?.code ?? text
    }

    /// The 操作 filter's choices; a code typed into the URL that is not listed is kept as a choice of its own.
    static func actionOptions(selected: String?) -> [ActionOption] {
        let chosen = actionCode(selected) ?? ""
        var options = actions.map { ActionOption(code: $0.code, label: $0.label, selected: $0.code == chosen) }
        if !chosen.isEmpty, actionLabels[chosen] == nil {
            options.insert(ActionOption(code: chosen, label: chosen, selected: true), at: 0)
        }
        return options
    }

    static let pageLimit = 500
    static let exportLimit = 100_000

    static func events(_ req: Request, limit: Int) async throws -> (Query, [EventRow]) {
        let user = try req.requireUser()
        let query = try req.query.decode(Query.self)
        func day(_ text: String?, field: String) throws -> Date? {
            guard let text = text?.nilIfBlank else { return nil }
            let day = try ValueParser.day(text, field: field)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .shanghai
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        }
        let filter = AuditLog.Filter(
            action: actionCode(query.action), actor: query.actor, entityID: query.entity,
            from: try day(query.from, field: "起始日期"),
            until: try day(query.until, field: "截止日期").map { $0.addingTimeInterval(86_400) })
        let scope: Scope = user.policy.isSystemAdmin ? .everywhere : user.policy.scope(for: .viewAudit)
        let rows = try await AuditLog.search(filter, scope: scope, limit: limit, on: req.db)
        return (query, rows.map {
            EventRow(occurredAt: DisplayFormat.dateTime($0.occurredAt), actorName: $0.actorName,
                     clientAddress: $0.clientAddress ?? "", action: $0.action, actionLabel: actionLabels[$0.action] ?? $0.action,
                     entityLink: link(entityType: $0.entityType, entityID: $0.entityID), entityType: $0.entityType,
                     entityID: $0.entityID ?? "", before: readable($0.beforeJSON), after: readable($0.afterJSON))
        })
    }

    /// Field names recorded in English by the division and account code, as cadres say them.
    static let fieldLabels: [String: String] = [
        "name": "名称", "level": "级别", "parentCode": "上级代码", "statisticalParentCode": "统计上级代码",
        "isManagementZone": "管委会", "leagueCommitteeName": "团组织名称", "keyAreaTags": "重点区域", "youthPopulation": "青年人口",
        "path": "路径", "username": "用户名", "displayName": "姓名", "phone": "电话", "isActive": "启用", "grants": "授权",
        "reason": "原因", "role": "角色", "division": "范围", "token": "令牌", "password": "密码",
    ]
    static let valueLabels: [String: String] = [
        "county_seat": "城关镇", "small_town": "小城镇", "developed": "经济发达乡镇",         "province": "省", "city": "市", "county": "县级", "township": "乡镇",
    ]

    /// A recorded JSON object as "名称：值；名称：值", for reading on the page and in the export.
    static func readable(_ json: String?) -> String {
        guard let json, let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return json ?? "" }
        return object.keys.sorted().map { key in
            let value: String
            switch object[key] {
            case let text as String:
                // A list of codes ("county_seat,small_town") reads as labels; any other text as typed.
                let codes = text.split(separator: ",").map(String.init)
                let labels = codes.compactMap { valueLabels[$0] }
                value = !codes.isEmpty && labels.count == codes.count ? labels.joined(separator: "、") : text
            case let number as NSNumber:
                // JSONSerialization gives booleans as NSNumber with type code "c".
                let isBool = String(cString: number.objCType) == "c"
                value = isBool ? (number.boolValue ? "是" : "否") : number.stringValue
            case let list as [Any]:
                value = list.map { valueLabels["\($0)"] ?? "\($0)" }.joined(separator: "、")
            case is NSNull, nil:
                value = "（空）"
            default:
                value = "\(object[key]!)"
            }
            return "\(fieldLabels[key] ?? key)：\(value)"
        }.joined(separator: "；")
    }

    static func link(entityType: String, entityID: String?) -> String? {
        guard let id = entityID else { return nil }
        switch entityType {
        case "organization": return SiteURL.organization(.value(id)).path
        case "division": return SiteURL.division(.value(id)).path
        default: return nil
        }
    }

    static func index(_ req: Request) async throws -> View {
        let (query, rows) = try await events(req, limit: pageLimit)
        return try await req.view.render("audit", AuditPage(
            layout: LayoutContext(title: "审计日志", area: .audit, request: req), query: query, rows: rows,
            exportQuery: req.url.query ?? "", truncated: rows.count == pageLimit,
            actions: actionOptions(selected: query.action)))
    }

    /// CSV with a byte-order mark, so Chinese Excel opens it as UTF-8.
    static func export(_ req: Request) async throws -> Response {
        let (_, rows) = try await events(req, limit: exportLimit)
        var csv = "\u{FEFF}时间,操作人,地址,操作,对象类型,对象,修改前,修改后\r\n"
        for row in rows {
            csv += [row.occurredAt, row.actorName, row.clientAddress, row.actionLabel, row.entityType, row.entityID, row.before, row.after]
                .map(CSVWriter.field).joined(separator: ",") + "\r\n"
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(.attachment, filename: "audit.csv")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    struct EventList: Content {
        var items: [EventRow]
    }

    static func api(_ req: Request) async throws -> EventList {
        EventList(items: try await events(req, limit: pageLimit).1)
    }
}
