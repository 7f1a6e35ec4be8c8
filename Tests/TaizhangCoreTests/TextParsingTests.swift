import Testing
@testable import TaizhangCore

@Suite struct ValueParserTests {
    @Test(arguments: ["2012-11-05", "2012/11/5", "2012.11.5", "2012年11月5日", " ２０１２－１１－０５ ", "41218"])
    func acceptsDatesAsCadresTypeThem(_ text: String) throws {
        #expect(try ValueParser.day(text, field: "成立日期") == CalendarDay(year: 2012, month: 11, day: 5))
    }

    @Test func refusesImpossibleDatesNamingTheField() {
        #expect {
            try ValueParser.day("2013-02-29", field: "成立日期")
        } throws: { error in
            (error as? InvalidInput)?.message == "成立日期：「2013-02-29」不是存在的日期"
        }
        #expect(throws: InvalidInput.self) { try ValueParser.day("下周一", field: "成立日期") }
    }

    @Test func acceptsLeapDayOnlyInLeapYears() {
        #expect(CalendarDay(year: 2012, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2013, month: 2, day: 29) == nil)
    }

    @Test func readsIntegersWithFullWidthDigitsAndSeparators() throws {
        #expect(try ValueParser.integer("１２００", field: "青年数") == 1200)
        #expect(try ValueParser.integer(" 3,200 ", field: "青年数") == 3200)
        #expect(try ValueParser.integer("15.0", field: "青年数") == 15)
        #expect(throws: InvalidInput.self) { try ValueParser.integer("十二", field: "青年数") }
    }

    @Test func readsYesAndNo() throws {
        #expect(try ValueParser.bool("是", field: "是否双重管理"))
        #expect(try !ValueParser.bool("否", field: "是否双重管理"))
        #expect(throws: InvalidInput.self) { try ValueParser.bool("也许", field: "是否双重管理") }
    }

    @Test func keyAreaTagsRoundTripInStableOrder() {
        let tags: Set<KeyAreaTag> = [.developed, .countySeat]
        #expect(KeyAreaTag.encode(tags) == "county_seat,developed")
        #expect(KeyAreaTag.decode("developed,county_seat,bogus") == tags)
        #expect(KeyAreaTag(text: "经济发达乡镇") == .developed)
    }
}

/// `CalendarDay(iso:)` reads what the database stores and what the API takes: exactly YYYY-MM-DD.
@Suite struct ISODayTests {
    @Test func readsEveryDayOfALeapYearAsItsDescriptionWritesIt() {
        var day = CalendarDay(year: 2012, month: 1, day: 1)!
        for _ in 0..<366 {
            #expect(CalendarDay(iso: day.description) == day)
            day = day.adding(days: 1)
        }
        #expect(CalendarDay(iso: "0001-01-01") == CalendarDay(year: 1, month: 1, day: 1))
        #expect(CalendarDay(iso: "9999-12-31") == CalendarDay(year: 9999, month: 12, day: 31))
    }

    @Test(arguments: ["", "2012-11-5", "2012-1-05", "12-11-05", "2012/11/05", "2012-11-05 ", " 2012-11-05", "+012-11-05",
                      "2012-+1-05", "2012--1-05", "2012-11-0a", "２０１２-11-05", "2012-13-01", "2012-00-10", "2012-11-00",
                      "2013-02-29", "0000-01-01", "2012-11-05T00:00", "2012-11-0５"])
    func refusesAnythingElse(_ text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }
}
