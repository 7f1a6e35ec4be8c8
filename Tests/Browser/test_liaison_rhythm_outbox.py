"""Issue 17's leftovers in a browser: the city's administrator sets the campaign's visit rhythm on
the liaison page (a rhythm of more than one visit a day refused beside the form, which keeps what
was typed); from the inbox opens the outbox, sees the demo's mail refused by the mail server with
its error and next try, and retries it now. Both pages fit a 390 px phone."""

from conftest import PHONE, WIDE


def fits_a_phone(browser, path, shot):
    """The page at 390 px has no horizontal scrolling; the window is wide again afterwards."""
    browser.resize(*PHONE)
    try:
        browser.get(path)
        assert browser.page_overflow() == 0, browser.overflowing_elements()
        browser.screenshot(shot)
    finally:
        browser.resize(*WIDE)


def submit_rhythm(browser, days, visits):
    form = browser.find("#rhythm form")
    browser.set_value(form.find_element("name", "days"), days)
    browser.set_value(form.find_element("name", "visits"), visits)
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))


def test_a_city_administrator_sets_the_visit_rhythm(browser):
    browser.sign_in("quanzhou")
    browser.get("/liaisons", shot="liaisons-rhythm")
    assert "每 30 天至少走访 3 次" in browser.text("main")

    submit_rhythm(browser, "7", "20")
    assert any("超过每天一次" in m for m in browser.error_messages()), browser.error_messages()
    form = browser.find("#rhythm form")
    assert form.find_element("name", "visits").get_attribute("value") == "20"
    assert "每 30 天至少走访 3 次" in browser.text("main"), "a refused rhythm changes nothing"

    submit_rhythm(browser, "14", "2")
    assert not browser.error_messages(), browser.error_messages()
    assert "走访频次已保存" in browser.text("#rhythm")
    assert "每 14 天至少走访 2 次" in browser.text("main")
    assert "近14天走访" in browser.text("main")

    fits_a_phone(browser, "/liaisons", "liaisons-rhythm-390")
    # Back to the standard rhythm for the tests that follow.
    browser.get("/liaisons")
    submit_rhythm(browser, "30", "3")
    assert "每 30 天至少走访 3 次" in browser.text("main")


def test_an_administrator_retries_a_refused_mail_from_the_outbox(browser):
    browser.sign_in("quanzhou")
    browser.get("/inbox")
    browser.click_and_wait(browser.xpath("//a[contains(., '发件箱')]"))
    assert browser.h1() == "发件箱"
    browser.shots("outbox")
    failed = browser.find("section#failed")
    assert "550 mailbox unavailable" in failed.text
    rows = failed.find_elements("css selector", "tbody tr")
    assert rows, failed.text
    row_id = rows[0].get_attribute("id")
    assert "已发送" in browser.text("section#sent") and browser.find_all("section#sent tbody tr")

    browser.click_and_wait(rows[0].find_element("xpath", ".//button[text()='立即重试']"))
    assert not browser.error_messages(), browser.error_messages()
    assert "已安排立即重试" in browser.text("main")
    # No mail server on this demo: the mail stays in the queue, due now, its error kept.
    row = browser.find(f"section#failed tr#{row_id}")
    assert "550 mailbox unavailable" in row.text

    fits_a_phone(browser, "/inbox/outbox", "outbox-390")

    # A township's reporter has no outbox.
    browser.sign_in("anhai")
    browser.get("/inbox")
    assert not browser.find_all("a[href='/inbox/outbox']")
