"""数据抽查: drawing a sample through the draw form, recording findings through a sample's
outcome form (one refused, one kept), and opening the printable report."""

import re

from selenium.webdriver.support.ui import Select


def draw_form(browser):
    return browser.find("form#draw-form")


def test_draw_a_spot_check_with_a_seed(browser):
    browser.sign_in("quanzhou")
    browser.get("/verification/spot-checks", shot="spot-checks")
    assert browser.h1() == "数据抽查"
    assert "第 1 号" in browser.text("main"), "the demo has the city's spot check"
    browser.find("main details.card > summary").click()
    form = draw_form(browser)
    seed = form.find_element("name", "seed")
    assert re.fullmatch(r"\d+", seed.get_attribute("value")), "the seed is prefilled with a random number"

    # A seed that is not a number is refused by name, and the form keeps what was typed.
    seed.clear()
    seed.send_keys("二〇一二")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("随机种子" in m for m in browser.error_messages()), browser.error_messages()
    form = draw_form(browser)
    assert form.find_element("name", "seed").get_attribute("value") == "二〇一二"

    form.find_element("name", "seed").clear()
    form.find_element("name", "seed").send_keys("777")
    Select(form.find_element("name", "scopeCode")).select_by_visible_text("泉州市（按县分层）")
    Select(form.find_element("name", "stratifyBy")).select_by_value("county")
    percent = form.find_element("name", "percent")
    percent.clear()
    percent.send_keys("1")
    minimum = form.find_element("name", "minimum")
    minimum.clear()
    minimum.send_keys("3")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert re.search(r"/verification/spot-checks/\d+$", browser.driver.current_url), browser.driver.current_url
    browser.shots("spot-check")
    assert browser.text("#seed") == "777"
    assert re.fullmatch(r"[0-9a-f]{64}", browser.text("#frame-hash"))
    assert browser.text("#redraw").startswith("一致"), browser.text("#redraw")


def test_record_findings_on_the_sample(browser):
    browser.sign_in("quanzhou")
    browser.get("/verification/spot-checks")
    browser.click_and_wait(browser.xpath("//main//table//a[text()='第 1 号']"))
    rows = [r for r in browser.find_all("table.spot-check-sample tbody tr") if "待核查" in r.text]
    assert rows, "the demo leaves a few visits to make"
    row_id = rows[0].get_attribute("id")

    def outcome_form():
        row = browser.find(f"tr#{row_id}")
        details = row.find_element("css selector", "details")
        if not details.get_attribute("open"):
            details.find_element("css selector", "summary").click()
        return row.find_element("css selector", "form.outcome-form")

    # 信息有误 without saying which fields: refused, nothing recorded.
    form = outcome_form()
    Select(form.find_element("name", "outcome")).select_by_visible_text("信息有误")
    form.find_element("name", "checker").send_keys("市核查组 王芳")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("有误字段" in m for m in browser.error_messages()), browser.error_messages()
    assert "待核查" in browser.find(f"tr#{row_id}").text

    form = outcome_form()
    Select(form.find_element("name", "outcome")).select_by_visible_text("信息有误")
    checker = form.find_element("name", "checker")
    checker.clear()
    checker.send_keys("市核查组 王芳")
    fields = Select(form.find_element("name", "wrongFields[]"))
    fields.select_by_visible_text("书记姓名")
    fields.select_by_visible_text("团员数")
    form.find_element("name", "notes").send_keys("书记已换人")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    row = browser.find(f"tr#{row_id}").text
    assert "信息有误" in row and "书记姓名、团员数" in row and "市核查组 王芳" in row, row

    browser.get(browser.driver.current_url.split("#")[0].removeprefix(browser.server.url) + "/report", shot="spot-check-report")
    report = browser.text("main")
    assert "数据抽查报告" in report and "威尔逊" in report and "安溪县" in report, report[:500]
    assert browser.cells("#spot-check-table"), "the report has its table"
