"""核查 (issue 16): a county verifier confirms and returns records from the queue; the city signs
off a county (its SHA-256 shown) and reopens the sign-off with a reason."""

import re

from conftest import answer_confirm
from selenium.webdriver.support.ui import Select


def queue_codes(browser):
    return [box.get_attribute("value") for box in browser.find_all("input[name='codes[]'][data-group='rows']")]


def test_county_verifier_confirms_and_returns_from_the_queue(browser):
    browser.sign_in("hecha")
    browser.get("/verification", shot="verification")
    assert browser.h1() == "核查"
    browser.click_and_wait(browser.xpath("//a[text()='县级核实队列']"))
    browser.shots("review-queue")
    assert "待县核实" in browser.h1()
    total = int(re.search(r"共 (\d+) 条", browser.text("main")).group(1))
    codes = queue_codes(browser)
    assert total > 10 and len(codes) >= 3, browser.text("main")[:500]

    # Tick two records and confirm them.
    for box in browser.find_all("input[name='codes[]'][data-group='rows']")[:2]:
        box.click()
    browser.click_and_wait(browser.xpath("//button[text()='县级核实所选']"))
    assert "县已核实 2 条" in browser.text(".warnings"), browser.error_messages()
    assert int(re.search(r"共 (\d+) 条", browser.text("main")).group(1)) == total - 2
    assert not set(codes[:2]) & set(queue_codes(browser))

    # A return needs a reason: without one the page says so and nothing changes.
    browser.find_all("input[name='codes[]'][data-group='rows']")[0].click()
    browser.click_and_wait(browser.xpath("//button[text()='退回所选']"))
    assert any("退回原因" in m for m in browser.error_messages()), browser.error_messages()
    assert int(re.search(r"共 (\d+) 条", browser.text("main")).group(1)) == total - 2
    returned = browser.find_all("input[name='codes[]'][data-group='rows']")[0]
    code = returned.get_attribute("value")
    returned.click()
    browser.find("input[name=reason]").send_keys("书记电话无法接通，请核实后修改")
    browser.click_and_wait(browser.xpath("//button[text()='退回所选']"))
    assert "已退回 1 条" in browser.text(".warnings"), browser.error_messages()

    # The township sees the reason on the record's page.
    browser.get(f"/organizations/{code}", shot="organization-returned")
    assert "退回原因：书记电话无法接通，请核实后修改" in browser.text("#review")

    # Select-all ticks every row of the page.
    browser.get("/verification/queue?level=county")
    browser.find("input[data-select-all='rows']").click()
    boxes = browser.find_all("input[name='codes[]'][data-group='rows']")
    assert boxes and all(box.is_selected() for box in boxes)


def test_city_signs_off_a_county_and_reopens_it(browser):
    browser.sign_in("quanzhou")
    browser.get("/verification/sign-offs", shot="sign-offs")
    form = browser.xpath("//form[contains(@action, '/verification/sign-offs')]")
    Select(form.find_element("name", "county")).select_by_visible_text("晋江市")
    answer_confirm(browser, form.find_element("css selector", "button[type=submit]"))
    assert re.search(r"签字确认第 \d+ 号 · 晋江市", browser.h1()), browser.error_messages()
    browser.shots("sign-off")
    digest = browser.find("main p code").text
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert "清单与摘要一致" in browser.text("main")
    organizations = browser.cells("main table.data")
    assert organizations

    # The locked record says so and offers no edit form.
    first = browser.find("main table.data tbody a")
    browser.click_and_wait(first)
    assert "已由市级签字确认" in browser.text("#review")

    browser.driver.back()
    browser.wait_for("h1")
    browser.find("details summary").click()
    browser.find("input[name=reason]").send_keys("安海镇补报更正")
    browser.click_and_wait(browser.xpath("//button[text()='撤销签字']"))
    assert "安海镇补报更正" in browser.text("main")
