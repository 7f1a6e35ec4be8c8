"""Issuing a bulletin (通报) for a period not yet bulletined, and opening its A4 page."""

import re

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

KIND = "日通报"


def bulletin_form(browser):
    return browser.xpath("//form[contains(@action, '/bulletins') and @method='post']")


def listed(browser):
    """[期号, 类型, 标题, 周期, …] of each bulletin on the list."""
    tables = browser.find_all("main > table.data")
    return browser.cells(tables[0]) if tables else []


def test_issue_bulletin_and_open_its_page(browser):
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get(campaign + "/bulletins", shot="bulletins")
    assert browser.h1() == "通报"
    before = [row for row in listed(browser) if row[1] == KIND]
    assert before, "the demo has issued daily bulletins"
    numbers = [int(m.group(1)) for row in before if (m := re.search(r"(\d+)", row[0]))]
    expected = max(numbers) + 1
    issued_periods = {row[3] for row in before}

    kind = Select(bulletin_form(browser).find_element("name", "kind"))
    if kind.first_selected_option.text != KIND:
        old = browser.find("html")
        kind.select_by_visible_text(KIND)
        try:  # the page may reload itself for the kind's periods
            WebDriverWait(browser.driver, 5).until(EC.staleness_of(old))
            browser.wait_for("form")
        except TimeoutException:
            pass
    form = bulletin_form(browser)
    assert Select(form.find_element("name", "kind")).first_selected_option.text == KIND
    period = Select(form.find_element("name", "period"))
    fresh = [o for o in period.options if o.text.strip() not in issued_periods]
    assert fresh, f"every period offered already has a {KIND}: {[o.text for o in period.options]}"
    label = fresh[0].text.strip()
    period.select_by_visible_text(fresh[0].text)
    form.find_element("name", "text").send_keys("请各县（市、区）对照进度抓紧推进。")

    browser.click_and_wait(form.find_element("css selector", "button[value=preview]"))
    assert not browser.error_messages(), browser.error_messages()
    assert browser.find_all("section.preview table"), "the preview shows the counties' table"
    browser.shots("bulletin-preview")

    form = bulletin_form(browser)
    assert Select(form.find_element("name", "kind")).first_selected_option.text == KIND
    assert Select(form.find_element("name", "period")).first_selected_option.text.strip() == label
    browser.click_and_wait(form.find_element("css selector", "button[value=issue]"))
    assert not browser.error_messages(), browser.error_messages()
    assert re.search(r"/bulletins/\d+$", browser.driver.current_url), browser.driver.current_url
    browser.shots("bulletin")

    page = browser.text("main")
    assert f"第{expected}期" in page.replace(" ", ""), f"expected 第{expected}期 on the bulletin page:\n{page[:600]}"
    assert "请各县（市、区）对照进度抓紧推进。" in page
    tables = browser.find_all("main table")
    assert tables, "the bulletin has its table of counties"
    body = tables[0].text
    for county in ("晋江市", "石狮市", "安溪县"):
        assert county in body, body

    browser.get(campaign + "/bulletins")
    assert any(row[1] == KIND and row[3] == label and str(expected) in row[0] for row in listed(browser)), listed(browser)[:3]
