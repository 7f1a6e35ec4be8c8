import Foundation

/// A field visit to a township (实地走访): who went, whom they met, what they found, the
/// organizations they looked at, photos or scans, and the problems raised (supervision items).
public struct Visit: Sendable, Hashable, Codable {
    public struct Attachment: Sendable, Hashable, Codable {
        public var id: Int
        public var fileName: String
        public var kind: AttachmentKind
        public var byteCount: Int
        public var sha256: String

        public init(id: Int, fileName: String, kind: AttachmentKind, byteCount: Int, sha256: String) {
            self.id = id
            self.fileName = fileName
            self.kind = kind
            self.byteCount = byteCount
            self.sha256 = sha256
        }
    }

    public var id: Int
    public var campaignID: Int?
    public var townshipCode: String
    public var townshipPath: String
    public var visitedOn: CalendarDay
    public var visitors: String
    public var met: String
    public var findings: String
    public var organizationCodes: [String]
    public var attachments: [Attachment]
    public var recordedBy: String
    public var recordedByID: String?
    public var recordedAt: Date

    public init(id: Int, campaignID: Int?, townshipCode: String, townshipPath: String, visitedOn: CalendarDay, visitors: String, met: String,
                findings: String, organizationCodes: [String], attachments: [Attachment], recordedBy: String, recordedByID: String?, recordedAt: Date) {
        self.id = id
        self.campaignID = campaignID
        self.townshipCode = townshipCode
        self.townshipPath = townshipPath
        self.visitedOn = visitedOn
        self.visitors = visitors
        self.met = met
        self.findings = findings
        self.organizationCodes = organizationCodes
        self.attachments = attachments
        self.recordedBy = recordedBy
        self.recordedByID = recordedByID
        self.recordedAt = recordedAt
    }
}

/// A visit as the form gives it, with its files, checked before anything is written.
public struct VisitDraft: Sendable {
    public struct File: Sendable {
        public var fileName: String
        public var bytes: [UInt8]

        public init(fileName: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.bytes = bytes
        }
    }

    public var campaignID: Int?
    public var townshipCode: String
    public var visitedOn: CalendarDay
    public var visitors: String
    public var met: String
    public var findings: String
    public var organizationCodes: [String]
    public var files: [File]
    /// Problems raised on the visit, each becoming a supervision item owned by the township.
    public var problems: [ProblemDraft]

    public struct ProblemDraft: Sendable, Hashable {
        public var title: String
        public var responsibleName: String
        public var deadline: CalendarDay

        public init(title: String, responsibleName: String, deadline: CalendarDay) {
            self.title = title
            self.responsibleName = responsibleName
            self.deadline = deadline
        }
    }

    public init(campaignID: Int?, townshipCode: String, visitedOn: CalendarDay, visitors: String, met: String, findings: String,
                organizationCodes: [String] = [], files: [File] = [], problems: [ProblemDraft] = []) {
        self.campaignID = campaignID
        self.townshipCode = townshipCode
        self.visitedOn = visitedOn
        self.visitors = visitors
        self.met = met
        self.findings = findings
        self.organizationCodes = organizationCodes
        self.files = files
        self.problems = problems
    }

    /// Every problem with the visit and its files, each naming its field; the kinds of the files in order.
    public func check(today: CalendarDay) -> (problems: [InvalidInput], kinds: [AttachmentKind]) {
        var problems: [InvalidInput] = []
        var kinds: [AttachmentKind] = []
        if visitedOn > today { problems.append(InvalidInput(field: "走访日期", reason: "\(visitedOn) 晚于今天（\(today)）；请记录已经进行的走访")) }
        if visitors.isBlank { problems.append(InvalidInput(field: "走访人员", reason: "请填写谁去走访")) }
        if findings.isBlank { problems.append(InvalidInput(field: "发现情况", reason: "请写明走访发现的情况")) }
        if files.count > AttachmentKind.maximumFiles {
            problems.append(InvalidInput(field: "附件", reason: "最多 \(AttachmentKind.maximumFiles) 个文件（现有 \(files.count) 个）"))
        }
        for file in files {
            do { kinds.append(try AttachmentKind.check(fileName: file.fileName, bytes: file.bytes)) } catch let error as InvalidInput { problems.append(error) } catch {}
        }
        for (index, problem) in self.problems.enumerated() {
            if problem.title.isBlank { problems.append(InvalidInput(field: "第 \(index + 1) 个问题", reason: "请写明问题")) }
            if problem.responsibleName.isBlank { problems.append(InvalidInput(field: "第 \(index + 1) 个问题的责任人", reason: "请填写")) }
            if problem.deadline < visitedOn {
                problems.append(InvalidInput(field: "第 \(index + 1) 个问题的期限", reason: "\(problem.deadline) 早于走访日期 \(visitedOn)"))
            }
        }
        return (problems, kinds)
    }
}
