"""收件箱: the demo's township reporter of 安海镇 sees an unread count in the header (the 15:00 催报
for the day's report), opens the inbox, follows nothing, marks the reminder read; the count goes;
a bad address for reminder mail is refused beside the form, a good one is kept."""


def test_inbox_shows_the_reminder_and_marks_it_read(browser):
    browser.sign_in("anhai")
    badge = browser.find(".inbox-link .badge")
    unread = int(badge.text)
    assert unread >= 1, "the demo's 催报 reaches 安海镇's reporter"
    browser.click_and_wait(browser.find(".inbox-link"))
    assert browser.h1() == "收件箱"
    browser.shots("inbox")
    reminder = browser.find("li.reminder.unread")
    assert "【催报】安海镇" in reminder.text
    assert "去报送" in reminder.text
    reminder.find_element("css selector", "input[type=checkbox]").click()
    browser.click_and_wait(browser.xpath("//button[text()='选中的标为已读']"))
    assert not browser.error_messages(), browser.error_messages()
    assert "已标为已读" in browser.text("main")
    assert browser.find("#inbox-unread").text == str(unread - 1)
    if unread == 1:
        assert not browser.find_all(".inbox-link .badge")

    field = browser.find("input[name=address]")
    browser.set_value(field, "安海镇团委")
    browser.click_and_wait(browser.xpath("//button[text()='保存']"))
    assert any("不是有效的电子邮件地址" in m for m in browser.error_messages())
    field = browser.find("input[name=address]")
    browser.set_value(field, "anhai@example.org")
    browser.click_and_wait(browser.xpath("//button[text()='保存']"))
    assert "邮件提醒地址已保存" in browser.text("main")
    assert browser.find("input[name=address]").get_attribute("value") == "anhai@example.org"
