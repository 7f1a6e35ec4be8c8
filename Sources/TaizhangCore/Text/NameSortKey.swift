import Foundation
import Synchronization

/// The key a list sorted by name is sorted on: Chinese characters by their Mandarin reading
/// (pinyin, then tone), so 阿里 < 安海 < 蔡 < 陈埭 < 李 < 王 < 张, as a cadre expects from a
/// Chinese list and from Excel's 拼音排序. Stored beside the name, so the databases sort and page
/// by it with a plain index in byte order.
///
/// Each character's reading is ICU's (Foundation's `mandarinToLatin` transform), one reading per
/// character: a character with several (重 chóng/zhòng, 长 cháng/zhǎng, 厦 shà/xià, the surname
/// 曾 zēng/céng) takes ICU's, which is not always the one the name means. Other letters are compared without case or width (Ａ = a).
public enum NameSortKey {
    private static let readings = Mutex<[Character: String]>([:])

    public static func of(_ name: String) -> String {
        var key = ""
        key.reserveCapacity(name.utf8.count * 2)
        for character in name {
            guard let scalar = character.unicodeScalars.first, scalar.properties.isIdeographic else {
                // Lower case, half width: a letter files among the readings (ABC under a, after 阿 a1,
                // before 安 an1); a digit before every letter, one digit at a time (第12 before 第2).
                key += String(character).precomposedStringWithCompatibilityMapping.lowercased()
                continue
            }
            key += reading(character)
        }
        return key
    }

    /// "zhang1": the syllable without tone marks, then the tone (1–4, 5 for none), which also ends
    /// the syllable, so "a1" (阿) sorts before "an1" (安). Characters ICU cannot read keep their
    /// code point, after every reading.
    static func reading(_ character: Character) -> String {
        if let known = readings.withLock({ $0[character] }) { return known }
        let text = String(character)
        var result = "~" + text
        if let latin = text.applyingTransform(.mandarinToLatin, reverse: false), latin != text {
            var tone = 5
            var syllable = ""
            for scalar in latin.decomposedStringWithCanonicalMapping.unicodeScalars {
                switch scalar.value {
                case 0x304: tone = 1   // ā
                case 0x301: tone = 2   // á
                case 0x30C: tone = 3   // ǎ
                case 0x300: tone = 4   // à
                case 0x61...0x7A: syllable.unicodeScalars.append(scalar)
                case 0x41...0x5A: syllable += String(scalar).lowercased()
                case 0x308 where syllable.hasSuffix("u"):   // ü as v (lü after lu), as pinyin keyboards type it
                    syllable.removeLast()
                    syllable += "v"
                default: continue
                }
            }
            if !syllable.isEmpty { result = syllable + String(tone) }
        }
        readings.withLock { $0[character] = result }
        return result
    }
}
