import Foundation
import Testing
@testable import TaizhangCore

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// An instant written as ISO 8601 with its offset, "2012-11-28T17:00:00+08:00".
private func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}

/// The rhythm 泉州 set: reports from 2012-11-15, each due at 17:00 on its period's last day.
private let schedule = ReportingSchedule.standard(startingOn: day("2012-11-15"))

private func span(_ period: ReportingPeriod) -> String { "\(period.firstDay)…\(period.lastDay)" }

private func refusal(_ key: String) -> String? {
    do {
        _ = try schedule.period(key: key)
        return nil
    } catch let error as InvalidInput {
        return error.message
    } catch {
        return "unexpected \(error)"
    }
}

@Suite struct ReportingPeriodBoundaryTests {
    @Test func aDayIsItsOwnPeriod() {
        let period = schedule.period(.daily, containing: day("2012-11-28"))
        #expect(span(period) == "2012-11-28…2012-11-28")
        #expect(period.key == "daily:2012-11-28")
        #expect(period.label == "2012年11月28日")
    }

    @Test func weeksRunMondayToSunday() {
        for text in ["2012-11-26", "2012-11-28", "2012-12-02"] {
            let period = schedule.period(.weekly, containing: day(text))
            #expect(span(period) == "2012-11-26…2012-12-02")
            #expect(period.key == "weekly:2012-11-26")
            #expect(period.label == "2012年第48周（11月26日—12月2日）")
        }
        #expect(span(schedule.period(.weekly, containing: day("2012-12-03"))) == "2012-12-03…2012-12-09")
    }

    @Test func aWeekAcrossNewYearBelongsToTheYearHoldingMostOfIt() {
        for text in ["2012-12-31", "2013-01-01", "2013-01-06"] {
            let period = schedule.period(.weekly, containing: day(text))
            #expect(span(period) == "2012-12-31…2013-01-06")
            #expect(period.label == "2013年第1周（2012年12月31日—2013年1月6日）")
        }
        let lateWeek = schedule.period(.weekly, containing: day("2015-12-31"))
        #expect(lateWeek.label == "2015年第53周（2015年12月28日—2016年1月3日）")
    }

    @Test func weeksCanEndOnAnotherDay() {
        var fridays = schedule
        fridays.weekEndsOn = .friday
        let period = fridays.period(.weekly, containing: day("2012-11-28"))
        #expect(span(period) == "2012-11-24…2012-11-30")
        #expect(span(fridays.period(.weekly, containing: day("2012-11-30"))) == "2012-11-24…2012-11-30")
        #expect(span(fridays.period(.weekly, containing: day("2012-12-01"))) == "2012-12-01…2012-12-07")
    }

    @Test func halfMonthsSplitAfterTheFifteenth() {
        let first = schedule.period(.halfMonthly, containing: day("2012-11-15"))
        #expect(span(first) == "2012-11-01…2012-11-15")
        #expect(first.label == "2012年11月上半月（1日—15日）")
        let second = schedule.period(.halfMonthly, containing: day("2012-11-16"))
        #expect(span(second) == "2012-11-16…2012-11-30")
        #expect(second.key == "half_monthly:2012-11-16")
        #expect(second.label == "2012年11月下半月（16日—30日）")
    }

    @Test(arguments: [
        ("2012-01-31", "2012-01-16…2012-01-31"),
        ("2012-12-31", "2012-12-16…2012-12-31"),
        ("2012-04-30", "2012-04-16…2012-04-30"),
        ("2012-02-29", "2012-02-16…2012-02-29"),
        ("2013-02-16", "2013-02-16…2013-02-28"),
        ("2100-02-20", "2100-02-16…2100-02-28"),
        ("2000-02-20", "2000-02-16…2000-02-29"),
        ("1900-02-20", "1900-02-16…1900-02-28"),
    ])
    func secondHalfEndsOnTheMonthsLastDay(_ text: String, _ expected: String) {
        #expect(span(schedule.period(.halfMonthly, containing: day(text))) == expected)
    }

    @Test func yearEndHalfMonthIsLabelledWithItsThirtyFirst() {
        #expect(schedule.period(.halfMonthly, containing: day("2012-12-20")).label == "2012年12月下半月（16日—31日）")
    }

    @Test func aWeekAtTheEndOfTheCalendarIsCutShortInsteadOfCrashing() throws {
        let period = schedule.period(.weekly, containing: day("9999-12-31"))
        #expect(span(period) == "9999-12-27…9999-12-31")
        #expect(try schedule.period(key: period.key) == period)
    }
}

@Suite struct ReportingPeriodListTests {
    @Test func dailyPeriodsStartOnTheScheduleStartDate() {
        let periods = schedule.periods(.daily, from: day("2012-11-10"), through: day("2012-11-18"))
        #expect(periods.map(\.key) == ["daily:2012-11-15", "daily:2012-11-16", "daily:2012-11-17", "daily:2012-11-18"])
    }

    @Test func theWeekHoldingTheStartDateIsAskedForWhole() {
        let periods = schedule.periods(.weekly, from: day("2012-11-01"), through: day("2012-12-05"))
        #expect(periods.map(span) == [
            "2012-11-12…2012-11-18", "2012-11-19…2012-11-25", "2012-11-26…2012-12-02", "2012-12-03…2012-12-09",
        ])
    }

    @Test func halfMonthsAcrossNewYear() {
        let periods = schedule.periods(.halfMonthly, from: day("2012-11-20"), through: day("2013-01-05"))
        #expect(periods.map(\.key) == [
            "half_monthly:2012-11-16", "half_monthly:2012-12-01", "half_monthly:2012-12-16", "half_monthly:2013-01-01",
        ])
    }

    @Test func noPeriodsWhenSwitchedOffOrTheRangeIsEmpty() {
        var quiet = schedule
        quiet.daily.isEnabled = false
        #expect(quiet.periods(.daily, from: day("2012-11-15"), through: day("2012-11-30")).isEmpty)
        #expect(schedule.periods(.daily, from: day("2012-11-30"), through: day("2012-11-29")).isEmpty)
        #expect(schedule.periods(.weekly, from: day("2012-11-01"), through: day("2012-11-14")).isEmpty)
    }

    @Test func withoutAStartDateEveryOverlappingPeriodCounts() {
        var open = schedule
        open.weekly.startsOn = nil
        #expect(open.periods(.weekly, from: day("2012-11-01"), through: day("2012-11-04")).map(span) == ["2012-10-29…2012-11-04"])
    }
}

@Suite struct ReportingDeadlineTests {
    @Test func aDailyReportIsDueAtFiveInShanghai() {
        let period = schedule.period(.daily, containing: day("2012-11-28"))
        #expect(period.dueAt == instant("2012-11-28T17:00:00+08:00"))
        #expect(period.closesAt == instant("2012-11-29T00:00:00+08:00"))
    }

    @Test func onTimeUpToAndWithinTheDueSecond() {
        let period = schedule.period(.daily, containing: day("2012-11-28"))
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T16:59:59+08:00")) == .onTime)
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T17:00:00+08:00")) == .onTime)
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T17:00:00.999+08:00")) == .onTime)
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T17:00:01+08:00")) == .late)
        #expect(Timeliness.late.label == "逾期")
    }

    @Test func anInstantWrittenInUTCIsJudgedByTheShanghaiClock() {
        let period = schedule.period(.daily, containing: day("2012-11-28"))
        #expect(instant("2012-11-28T09:00:00Z") == instant("2012-11-28T17:00:00+08:00"))
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T09:00:00Z")) == .onTime)
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T09:00:01Z")) == .late)
        // Still the 28th in UTC, but already the 29th in Shanghai.
        #expect(period.timeliness(ofSubmissionAt: instant("2012-11-28T20:00:00Z")) == .late)
    }

    @Test func aWeeklyReportIsDueOnSundayOrDaysAfterTheWeek() {
        var later = schedule
        #expect(schedule.period(.weekly, containing: day("2012-11-28")).dueAt == instant("2012-12-02T17:00:00+08:00"))
        later.weekly.dueDaysAfterEnd = 1
        later.weekly.dueTime = TimeOfDay(hour: 9, minute: 30)!
        #expect(later.period(.weekly, containing: day("2012-11-28")).dueAt == instant("2012-12-03T09:30:00+08:00"))
        later.halfMonthly.dueDaysAfterEnd = 2
        #expect(later.period(.halfMonthly, containing: day("2012-12-20")).dueAt == instant("2013-01-02T17:00:00+08:00"))
    }

    @Test func aPeriodClosesWhenItsLastDayEndsInShanghai() {
        let period = schedule.period(.halfMonthly, containing: day("2012-12-31"))
        #expect(period.closesAt == instant("2013-01-01T00:00:00+08:00"))
        #expect(!period.hasClosed(at: instant("2012-12-31T23:59:59+08:00")))
        #expect(period.hasClosed(at: instant("2012-12-31T16:00:00Z")))
    }
}

@Suite struct ReportingPeriodKeyTests {
    @Test func everyPeriodReadsBackFromItsKey() throws {
        for frequency in ReportingFrequency.allCases {
            for period in schedule.periods(frequency, from: day("2012-11-15"), through: day("2013-03-10")) {
                #expect(try schedule.period(key: period.key) == period)
            }
        }
    }

    @Test func refusesKeysThatNameNoPeriod() {
        #expect(refusal("weekly:2012-11-27") == "报送周期：「weekly:2012-11-27」不是周报周期的第一天：2012年11月27日所在的周期从2012年11月26日开始")
        #expect(refusal("half_monthly:2012-11-10") == "报送周期：「half_monthly:2012-11-10」不是半月汇报周期的第一天：2012年11月10日所在的周期从2012年11月1日开始")
        #expect(refusal("daily:2013-02-29") == "报送周期：「daily:2013-02-29」中的日期「2013-02-29」不存在或不是 YYYY-MM-DD 格式")
        #expect(refusal("daily:2012-11-28T00:00") != nil)
        #expect(refusal("monthly:2012-11-01") == "报送周期：「monthly:2012-11-01」不是报送周期，应写作 daily:2012-11-28、weekly:2012-11-26 或 half_monthly:2012-11-16")
        #expect(refusal("daily2012-11-28") != nil)
        #expect(refusal("") != nil)
    }
}

@Suite struct ReportingScheduleTests {
    @Test func theStandardScheduleIsValidAndRoundTripsThroughJSON() throws {
        try schedule.validate()
        let json = String(decoding: try JSONEncoder().encode(schedule), as: UTF8.self)
        #expect(json.contains(#""dueTime":"17:00""#))
        #expect(json.contains(#""weekEndsOn":"sunday""#))
        #expect(json.contains(#""halfMonthly""#))
        #expect(try JSONDecoder().decode(ReportingSchedule.self, from: Data(json.utf8)) == schedule)
        #expect(String(decoding: try JSONEncoder().encode(ReportingFrequency.halfMonthly), as: UTF8.self) == #""half_monthly""#)
    }

    @Test func refusesADailyReportWithoutAStartDate() {
        var noStart = schedule
        noStart.daily.startsOn = nil
        #expect(throws: InvalidInput(field: "日报开始日期", reason: "开启日报须填写从哪一天开始报送")) { try noStart.validate() }
        noStart.daily.isEnabled = false
        #expect(throws: Never.self) { try noStart.validate() }
    }

    @Test func refusesDeadlinesBeforeThePeriodEndsOrFarAfter() {
        var early = schedule
        early.weekly.dueDaysAfterEnd = -1
        #expect { try early.validate() } throws: { error in
            (error as? InvalidInput)?.message == "周报截止日：「周期结束后 -1 天」应在 0 到 30 天之间（0 为周期最后一天当天）"
        }
        early.weekly.dueDaysAfterEnd = 31
        #expect(throws: InvalidInput.self) { try early.validate() }
    }

    @Test func refusesMidnightAtTheStartOfTheLastDay() {
        var midnight = schedule
        midnight.halfMonthly.dueTime = TimeOfDay(hour: 0, minute: 0)!
        #expect { try midnight.validate() } throws: { error in
            (error as? InvalidInput)?.field == "半月汇报截止时间"
        }
        midnight.halfMonthly.dueDaysAfterEnd = 1
        #expect(throws: Never.self) { try midnight.validate() }
    }

    @Test func readsTimesAsCadresTypeThem() throws {
        #expect(try TimeOfDay.parse("17:00", field: "截止时间") == TimeOfDay(hour: 17, minute: 0))
        #expect(try TimeOfDay.parse(" 9:30 ", field: "截止时间").description == "09:30")
        #expect(try TimeOfDay.parse("１７：００", field: "截止时间") == TimeOfDay(hour: 17, minute: 0))
        #expect(TimeOfDay(hour: 23, minute: 59) != nil)
        #expect(TimeOfDay(hour: 24, minute: 0) == nil)
        for bad in ["24:00", "17:60", "17", "17:0", "-1:00", "17:00:00", "五点"] {
            #expect(throws: InvalidInput.self) { try TimeOfDay.parse(bad, field: "截止时间") }
        }
        #expect(throws: InvalidInput(field: "截止时间", reason: "「24:00」不是 0:00 至 23:59 之间的时刻，应写作 17:00")) {
            try TimeOfDay.parse("24:00", field: "截止时间")
        }
    }

    @Test func weekdaysFollowTheCalendar() {
        #expect(day("2012-11-26").weekday == .monday)
        #expect(day("2012-12-02").weekday == .sunday)
        #expect(day("2000-02-29").weekday == .tuesday)
        #expect(Weekday.sunday.label == "星期日")
        #expect(ReportingFrequency.halfMonthly.label == "半月汇报")
    }
}
