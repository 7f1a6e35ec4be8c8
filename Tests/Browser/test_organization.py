"""Creating an organization on /ledger/new and moving it through the stages on its page."""

import time

from selenium.webdriver.support.ui import Select


def change_stage(browser, to_label, effective_on, founded_on=None):
    form = browser.xpath("//form[contains(@action, '/stage')]")
    Select(form.find_element("name", "to")).select_by_visible_text(to_label)
    browser.set_value(form.find_element("name", "effectiveOn"), effective_on)
    if founded_on:
        browser.set_value(form.find_element("name", "foundedOn"), founded_on)
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert browser.find("h1 .stage").text == to_label


def test_create_organization_and_move_it_through_the_stages(browser):
    browser.sign_in("anhai")
    browser.get("/ledger/new", shot="ledger-new")
    assert browser.h1() == "新增团组织"
    name = f"安海镇浏览器测试商会团支部{int(time.time() * 1000) % 100000}"
    form = browser.xpath("//form[@action='/ledger']")
    township = Select(form.find_element("name", "townshipCode"))
    assert township.first_selected_option.text.find("安海") >= 0, township.first_selected_option.text
    form.find_element("name", "name").send_keys(name)
    Select(form.find_element("name", "orgType")).select_by_visible_text("团支部")
    Select(form.find_element("name", "stage")).select_by_visible_text("青年组织")
    form.find_element("name", "coveredUnits").send_keys("安海镇商会")
    form.find_element("name", "memberCount").send_keys("5")
    form.find_element("name", "youthCount").send_keys("30")
    browser.click_and_wait(form.find_element("xpath", ".//button[text()='保存']"))

    assert not browser.error_messages(), browser.error_messages()
    assert "/organizations/350582101-" in browser.driver.current_url, browser.driver.current_url
    assert name in browser.h1()
    assert browser.find("h1 .stage").text == "青年组织"

    # Registered today (2012-12-03, TAIZHANG_TODAY); each step the same day, founded today.
    change_stage(browser, "类团组织", "2012-12-03")
    change_stage(browser, "筹建", "2012-12-03")
    change_stage(browser, "已建立", "2012-12-03", founded_on="2012-12-03")
    browser.shots("organization")

    timeline = browser.cells("table.timeline")
    changes = [cells[1] for cells in timeline]
    expected = ["登记为「青年组织」", "青年组织 → 类团组织", "类团组织 → 筹建", "筹建 → 已建立"]
    assert changes in (expected, expected[::-1]), f"建设历程: {timeline}"
    assert {cells[0] for cells in timeline} == {"2012-12-03"}, timeline
    assert browser.find(".facts").text.count("2012-12-03") >= 1, "成立日期 2012-12-03 shows among the facts"

    # The new organization is in the township's ledger.
    browser.get("/ledger?q=" + name)
    assert name in browser.text("main")
