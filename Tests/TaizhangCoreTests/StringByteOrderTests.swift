import Foundation
import TaizhangCore
import Testing

@Suite struct StringByteOrderTests {
    /// Short strings (kept inline by Swift), long ones, Chinese, decomposed accents, prefixes and the empty string.
    static let texts = ["", "a", "b", "ab", "abc", "350502001", "350502001-0001", "350502001-0002", "350502", "已建立", "已建",
                        "机关", "机关事业单位", "非公企业", "e\u{301}", "\u{e9}", "É", "z", "~", "\u{7f}", "\u{80}", "\u{10000}",
                        "第12镇第345号新兴产业园区团支部", "第12镇第345号新兴产业园区团支部（筹）", "fixed-length text of more than fifteen bytes"]

    @Test func comparesAsTheBytesOfEachTextCompare() {
        for a in Self.texts {
            for b in Self.texts {
                let expected = Array(a.utf8) == Array(b.utf8) ? 0 : (a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1)
                #expect(a.utf8Compare(b) == expected, "\(a) vs \(b)")
            }
        }
    }

    @Test func canonicallyEqualTextsInDifferentFormsAreNotEqualBytes() {
        // `==` says equal; the bytes (and SQLite's BINARY collation) do not.
        #expect("e\u{301}" == "\u{e9}")
        #expect("e\u{301}".utf8Compare("\u{e9}") == -1)
    }

    @Test func aBridgedStringComparesTheSame() {
        let bridged = NSString(string: "机关事业单位") as String
        #expect(bridged.utf8Compare("机关") == 1)
        #expect("机关".utf8Compare(bridged) == -1)
        #expect(bridged.utf8Compare("机关事业单位") == 0)
    }
}
