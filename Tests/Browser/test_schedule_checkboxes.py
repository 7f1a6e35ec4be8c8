"""报送安排 (issue 14): the 日报 / 周报 / 半月汇报 checkboxes are drawn and can be clicked, at a
desktop's and a phone's width, and the form saves what was ticked."""

from conftest import PHONE, WIDE, click_for_page

BOXES = ("dailyOn", "weeklyOn", "halfOn")


def schedule_form(browser):
    return browser.xpath("//form[contains(@action, '/schedule')]")


def box_sizes(browser):
    form = schedule_form(browser)
    return {name: form.find_element("name", name).size for name in BOXES}


def test_schedule_checkboxes_are_drawn_and_save(browser):
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get(campaign + "/reports", shot="reports")
    for width, height in (WIDE, PHONE):
        browser.resize(width, height)
        for name, size in box_sizes(browser).items():
            assert size["width"] >= 10 and size["height"] >= 10, f"{name} at {width} px is {size}"
        assert browser.page_overflow() == 0, browser.overflowing_elements()
    browser.resize(*WIDE)

    # Click 半月汇报 (a 0 px box cannot be clicked) and save; then back as it was, and save again.
    initial = schedule_form(browser).find_element("name", "halfOn").is_selected()
    for expected in (not initial, initial):
        box = schedule_form(browser).find_element("name", "halfOn")
        if box.is_selected() != expected:
            box.click()
        assert box.is_selected() == expected
        click_for_page(browser, schedule_form(browser).find_element("css selector", "button[type=submit]"))
        assert not browser.error_messages(), browser.error_messages()
        if "/reports" not in browser.driver.current_url:
            browser.get(campaign + "/reports")
        assert schedule_form(browser).find_element("name", "halfOn").is_selected() == expected
