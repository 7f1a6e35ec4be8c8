"""Dismissing a red flag (数据预警) with a reason: the flag leaves the open list and is kept,
with the reason, under 已忽略."""


def open_rows(browser):
    return browser.find_all("table.red-flags tbody tr")


def test_dismiss_a_red_flag_with_a_reason(browser):
    browser.sign_in("quanzhou")
    browser.get("/verification/red-flags", shot="red-flags-city")
    assert browser.h1() == "数据预警 · 泉州市"
    assert "电话 13905958888" in browser.text("main"), "the demo's shared phone is flagged"
    browser.click_and_wait(browser.xpath("//main//a[text()='南安市']"))
    assert browser.h1() == "数据预警 · 南安市"
    browser.shots("red-flags-county")
    row = next(r for r in open_rows(browser) if "完全相同" in r.text)
    flag_id = row.get_attribute("id").removeprefix("flag-")
    before = len(open_rows(browser))

    row.find_element("css selector", "details summary").click()
    reason = "两条为同一公司，已电话核实，另一条已由乡镇合并处理"
    row.find_element("name", "reason").send_keys(reason)
    browser.click_and_wait(row.find_element("css selector", "button[type=submit]"))

    assert not browser.error_messages(), browser.error_messages()
    assert browser.h1() == "数据预警 · 南安市"
    assert len(open_rows(browser)) == before - 1
    assert not browser.find_all(f"#flag-{flag_id}")
    dismissed = browser.find(f"#dismissed-{flag_id}")
    assert reason in dismissed.text
    assert "仍触发，已忽略" in dismissed.text
    browser.shots("red-flags-dismissed")
