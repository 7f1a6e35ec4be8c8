import Foundation
import Testing
@testable import TaizhangMail

@Suite struct MailFormatTests {
    @Test func chineseSubjectIsEncodedWordsThatDecodeBack() throws {
        let subject = "【催报】安海镇：2012年12月3日日报尚未报送，请尽快登录台账系统报送"
        let encoded = MailFormat.encodedWords(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var bytes = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            bytes += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // No word splits a character: each decodes on its own.
            #expect(String(data: try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))), encoding: .utf8) != nil)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
        #expect(MailFormat.encodedWords("Reminder 3") == "Reminder 3")
    }

    @Test func dotStuffingDoublesLeadingDotsOnly() {
        #expect(MailFormat.dotStuffed(".a\r\nb.c\r\n..d\r\n") == "..a\r\nb.c\r\n...d\r\n")
    }

    @Test func bodyIsBase64OfCRLFText() throws {
        let message = MailMessage(to: ["a@example.org"], subject: "x", body: "第一行\n.第二行", date: Date(timeIntervalSince1970: 1_354_518_000))
        let text = MailFormat.render(message, from: "noreply@example.org", fromName: "台账系统", messageID: "1@example.org")
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts[0].contains("Date: Mon, 03 Dec 2012 15:00:00 +0800"))
        #expect(parts[0].contains("Content-Transfer-Encoding: base64"))
        #expect(parts[0].contains("From: =?UTF-8?B?"))
        let body = try #require(Data(base64Encoded: parts[1].replacingOccurrences(of: "\r\n", with: "")))
        #expect(String(decoding: body, as: UTF8.self) == "第一行\r\n.第二行")
    }

    @Test func configurationReadsTheURLAndRefusesBadOnes() throws {
        let config = try SMTPConfiguration(url: "smtp://tz%40x:p%3Ass@mail.example.org:587?from=noreply@example.org&starttls=1&name=台账")
        #expect(config.host == "mail.example.org")
        #expect(config.port == 587)
        #expect(config.username == "tz@x")
        #expect(config.password == "p:ss")
        #expect(config.security == .startTLS)
        #expect(config.fromName == "台账")
        #expect(try SMTPConfiguration(url: "smtps://mail.example.org?from=a@b.org").port == 465)
        #expect(throws: MailError.self) { try SMTPConfiguration(url: "smtp://mail.example.org") }
        #expect(throws: MailError.self) { try SMTPConfiguration(url: "http://mail.example.org?from=a@b.org") }
        let redacted = SMTPConfiguration.redacted("smtp://u:secret@h:25?from=a@b.org")
        #expect(!redacted.contains("secret"))
    }
}
