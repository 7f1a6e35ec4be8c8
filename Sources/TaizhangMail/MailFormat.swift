import Foundation

/// The text of a message on the wire (RFC 5322 with MIME): headers in ASCII, a UTF-8 subject as
/// RFC 2047 encoded words, the UTF-8 body in base64, CRLF line ends and dot-stuffing for DATA.
public enum MailFormat {
    /// `text` as RFC 2047 "B" encoded words of at most 75 characters each, folded onto
    /// continuation lines; plain printable ASCII is left as it is.
    public static func encodedWords(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) && !text.contains("=?") { return text }
        // 75 - "=?UTF-8?B?".count - "?=".count = 63 base64 characters = 45 bytes; characters are never split.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ") {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// The message as sent after DATA, without the final "." line: headers, a blank line and the
    /// base64 body in 76-character lines, all with CRLF.
    public static func render(_ message: MailMessage, from: String, fromName: String?, messageID: String) -> String {
        let sender = fromName.map { "\(encodedWords($0)) <\(from)>" } ?? from
        let body = message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: \(sender)",
            "To: \(message.to.joined(separator: ", "))",
            "Subject: \(encodedWords(message.subject))",
            "Date: \(date(message.date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// Doubles a leading "." on every line, so no line of the message ends DATA early (RFC 5321 4.5.2).
    public static func dotStuffed(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
            .joined(separator: "\r\n")
    }

    /// "Mon, 03 Dec 2012 15:00:00 +0800" in Asia/Shanghai.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
