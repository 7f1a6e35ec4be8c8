import Foundation

/// A document of the library (工作资料) with its versions (newest first, bytes not loaded) and the
/// divisions it is issued to: whoever works inside or above one of them may read it.
public struct LibraryDocument: Sendable, Hashable, Codable {
    public var id: Int
    public var campaignID: Int?
    public var kind: LibraryDocumentKind
    public var title: String
    public var issuingBody: String
    public var documentNumber: String
    public var issuedOn: CalendarDay
    public var audienceCodes: [String]
    public var audiencePaths: [String]
    public var versions: [Version]

    public struct Version: Sendable, Hashable, Codable {
        public var number: Int
        public var fileName: String
        public var fileKind: DocumentFileKind
        public var byteCount: Int
        public var sha256: String
        public var note: String
        public var uploadedBy: String
        public var uploadedAt: Date

        public init(number: Int, fileName: String, fileKind: DocumentFileKind, byteCount: Int, sha256: String, note: String, uploadedBy: String,
                    uploadedAt: Date) {
            self.number = number
            self.fileName = fileName
            self.fileKind = fileKind
            self.byteCount = byteCount
            self.sha256 = sha256
            self.note = note
            self.uploadedBy = uploadedBy
            self.uploadedAt = uploadedAt
        }
    }

    public init(id: Int, campaignID: Int?, kind: LibraryDocumentKind, title: String, issuingBody: String, documentNumber: String,
                issuedOn: CalendarDay, audienceCodes: [String], audiencePaths: [String], versions: [Version]) {
        self.id = id
        self.campaignID = campaignID
        self.kind = kind
        self.title = title
        self.issuingBody = issuingBody
        self.documentNumber = documentNumber
        self.issuedOn = issuedOn
        self.audienceCodes = audienceCodes
        self.audiencePaths = audiencePaths
        self.versions = versions
    }
}

/// One uploaded file as the form or API hands it over.
public struct UploadedFile: Sendable {
    public var fileName: String
    public var bytes: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }
}

/// What a cadre fills in to put a document in the library.
public struct LibraryDocumentDraft: Sendable {
    public var campaignID: Int?
    public var kind: LibraryDocumentKind?
    public var title: String
    public var issuingBody: String
    public var documentNumber: String
    public var issuedOn: CalendarDay?
    public var audienceCodes: [String]
    public var file: UploadedFile?
    public var note: String

    public init(campaignID: Int?, kind: LibraryDocumentKind?, title: String, issuingBody: String, documentNumber: String = "",
                issuedOn: CalendarDay?, audienceCodes: [String], file: UploadedFile?, note: String = "") {
        self.campaignID = campaignID
        self.kind = kind
        self.title = title
        self.issuingBody = issuingBody
        self.documentNumber = documentNumber
        self.issuedOn = issuedOn
        self.audienceCodes = audienceCodes
        self.file = file
        self.note = note
    }

    public func check() -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if kind == nil { problems.append(.init(field: "资料类别", reason: "请选择工作方案、方法和流程、问答、通知或模板")) }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems.append(.init(field: "标题", reason: "请填写")) } else if title.count > 120 {
            problems.append(.init(field: "标题", reason: "不超过 120 个字"))
        }
        if issuingBody.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(.init(field: "发文单位", reason: "请填写")) }
        if issuedOn == nil { problems.append(.init(field: "发文日期", reason: "请按 2012-11-20 的格式填写")) }
        if audienceCodes.isEmpty { problems.append(.init(field: "发放范围", reason: "请至少选择一个行政区划")) }
        if file == nil { problems.append(.init(field: "文件", reason: "请选择要上传的 PDF、Word（.docx）或 Excel（.xlsx）文件")) }
        return problems
    }
}

/// One question and its answer in the library's 问答 (FAQ), issued to a division's cadres.
public struct FAQEntry: Sendable, Hashable, Codable {
    public var id: Int
    public var topic: String
    public var question: String
    public var answer: String
    public var divisionPath: String
    public var updatedBy: String
    public var updatedAt: Date

    public init(id: Int, topic: String, question: String, answer: String, divisionPath: String, updatedBy: String, updatedAt: Date) {
        self.id = id
        self.topic = topic
        self.question = question
        self.answer = answer
        self.divisionPath = divisionPath
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public static func check(topic: String, question: String, answer: String) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if topic.count > 30 { problems.append(.init(field: "分类", reason: "不超过 30 个字")) }
        let q = question.trimmingCharacters(in: .whitespacesAndNewlines)
        if q.isEmpty { problems.append(.init(field: "问题", reason: "请填写")) } else if q.count > 200 {
            problems.append(.init(field: "问题", reason: "不超过 200 个字"))
        }
        let a = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if a.isEmpty { problems.append(.init(field: "回答", reason: "请填写")) } else if a.count > 3000 {
            problems.append(.init(field: "回答", reason: "不超过 3000 个字"))
        }
        return problems
    }
}
