"""Choices that reload a page: the ledger's filters picked by name (a county's townships, 新建 or
联系指导, 双重管理, 品牌工作), and the bulletin form's period list following the chosen kind."""

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def test_ledger_filters_by_township_name_and_guidance(browser):
    browser.sign_in("jinjiang")
    browser.get("/ledger")
    form = browser.xpath("//form[@action='/ledger' and @role='search']")
    division = Select(form.find_element(By.NAME, "division"))
    labels = [o.text for o in division.options]
    assert "晋江市（全部）" in labels and "安海镇" in labels, labels[:10]
    division.select_by_visible_text("安海镇")
    Select(form.find_element(By.NAME, "guidance")).select_by_visible_text("新建")
    for name in ["dual", "brand"]:
        assert Select(form.find_element(By.NAME, name)).first_selected_option.text == "全部"
    browser.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    query = parse_qs(urlparse(browser.driver.current_url).query)
    assert query["division"] == ["350582101"] and query["guidance"] == ["新建"], query
    assert browser.h1() == "团组织台账 · 安海镇"
    rows = browser.cells("main table.data")
    assert rows, "安海镇 has organizations in the demo"
    header = [th.text for th in browser.find_all("main table.data thead th")]
    township = header.index("乡镇（街道）")
    assert {row[township] for row in rows} == {"安海镇"}
    # The choice stays selected on the page it produced.
    assert Select(browser.find("select[name=division]")).first_selected_option.text == "安海镇"
    # A list whose values are its labels (the reference values) sends the label chosen, and keeps it.
    form = browser.xpath("//form[@action='/ledger' and @role='search']")
    Select(form.find_element(By.NAME, "unitCategory")).select_by_visible_text("非公企业")
    browser.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    query = parse_qs(urlparse(browser.driver.current_url).query)
    assert query["unitCategory"] == ["非公企业"] and query["division"] == ["350582101"], query
    assert Select(browser.find("select[name=unitCategory]")).first_selected_option.text == "非公企业"
    assert Select(browser.find("select[name=guidance]")).first_selected_option.text == "新建"


def test_bulletin_period_list_follows_the_kind(browser):
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get(campaign + "/bulletins")
    form = browser.xpath(f"//form[@action='{campaign}/bulletins']")
    daily = [o.get_attribute("value") for o in Select(form.find_element(By.NAME, "period")).options]
    assert daily and all(v.startswith("daily:") for v in daily), daily[:3]
    old = browser.find("html")
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("周通报")
    WebDriverWait(browser.driver, 30).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))
    browser.wait_for("select[name=period]")
    assert "kind=weekly" in browser.driver.current_url
    weekly = [o.get_attribute("value") for o in Select(browser.find("select[name=period]")).options]
    assert weekly and all(v.startswith("weekly:") for v in weekly), weekly[:3]
    assert Select(browser.find("select[name=kind]")).first_selected_option.text == "周通报"
