/// The flags that compare records with each other: near-duplicate names in a township, the same
/// name in different townships of a county (`RedFlagGroups+Names`), one phone behind many organizations.
public enum RedFlagGroups {
    /// A phone as secretary or acting secretary of at least `sharedPhoneMinimum` organizations.
    public static func phoneFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        // Each (phone, record) as a number, sorted: a phone's records are a run. Phones too long to pack go by text.
        var packed: [(phone: UInt64, record: Int32)] = []
        packed.reserveCapacity(records.count)
        var long: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            let secretary = record.secretaryPhone.flatMap(PhoneKey.init)
            let acting = record.actingSecretaryPhone.flatMap(PhoneKey.init)
            func add(_ phone: PhoneKey) {
                switch phone {
                case .packed(let number): packed.append((number, Int32(index)))
                case .text(let text): long[text, default: []].append(index)
                }
            }
            if let secretary { add(secretary) }
            if let acting, acting != secretary { add(acting) }
        }
        packed.sort { $0.phone != $1.phone ? $0.phone < $1.phone : $0.record < $1.record }
        let minimum = max(2, settings.sharedPhoneMinimum)
        var shared: [(phone: String, members: [Int])] = long.filter { $0.value.count >= minimum }.map { ($0.key, $0.value) }
        var start = 0
        while start < packed.count {
            var end = start + 1
            while end < packed.count, packed[end].phone == packed[start].phone { end += 1 }
            if end - start >= minimum { shared.append((PhoneKey.digits(packed[start].phone), packed[start..<end].map { Int($0.record) })) }
            start = end
        }
        var flags: [RedFlag] = []
        for (phone, members) in shared {
            let members = members.sorted { records[$0].code < records[$1].code }
            let first = records[members[0]]
            let shown = members.prefix(10).map { "「\(records[$0].name)」" }.joined()
            let townships = Set(members.map { records[$0].townshipPath })
            let whose = townships.count == 1 ? "\(townshipNames[first.townshipPath] ?? "") \(members.count) 个团组织"
                : " \(members.count) 个团组织（分布在 \(townships.count) 个乡镇）"
            flags.append(RedFlag(kind: .sharedPhone, codes: members.map { records[$0].code }, townshipPaths: Array(townships),
                                 sentence: "电话 \(phone) 是\(whose)的书记或代理书记电话（预警阈值 \(settings.sharedPhoneMinimum) 个）：\(shown)\(members.count > 10 ? "等" : "")，请核实是否真有其人、是否代填。"))
        }
        return flags
    }

    /// A normalized phone number (`normalizePhone`) as one number when it has at most 17 digits
    /// (its digits and, in the low five bits, how many: 0595… is not 595…), else as its text.
    enum PhoneKey: Equatable {
        case packed(UInt64)
        case text(String)

        init?(_ text: String) {
            var value: UInt64 = 0
            var count = 0
            for scalar in text.unicodeScalars {
                var digit = scalar.value
                if digit >= 0xFF10 && digit <= 0xFF19 { digit -= 0xFEE0 }
                guard digit >= 0x30 && digit <= 0x39 else { continue }
                count += 1
                if count <= 17 { value = value * 10 + UInt64(digit - 0x30) }
            }
            if count == 13, value / 10_000_000_000 == 861 {
                value -= 86 * 100_000_000_000
                count = 11
            }
            guard count >= 7 else { return nil }
            if count <= 17 {
                self = .packed(value << 5 | UInt64(count))
            } else if let normalized = RedFlagGroups.normalizePhone(text) {
                self = .text(normalized)
            } else {
                return nil
            }
        }

        /// The digits a packed number stands for, leading zeros included.
        static func digits(_ packed: UInt64) -> String {
            let text = String(packed >> 5)
            return String(repeating: "0", count: max(0, Int(packed & 31) - text.count)) + text
        }
    }

    /// The digits of a phone number, without a leading +86 or 86 on a mobile number; nil when too short to mean one line.
    public static func normalizePhone(_ text: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if value >= 0xFF10 && value <= 0xFF19 { value -= 0xFEE0 }
            if value >= 0x30 && value <= 0x39 { digits.append(UInt8(value)) }
        }
        if digits.count == 13, digits[0] == UInt8(ascii: "8"), digits[1] == UInt8(ascii: "6"), digits[2] == UInt8(ascii: "1") { digits.removeFirst(2) }
        return digits.count >= 7 ? String(decoding: digits, as: UTF8.self) : nil
    }

    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
