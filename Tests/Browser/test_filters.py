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


def test_ledger_sorted_by_founding_date_pages_through_every_organization(browser):
    """排序 成立日期, then 下一页 to the end: every organization of the county once, the dated ones
    newest first and those not founded yet (no date) last (before migration 032 they were lost
    after the first page)."""
    browser.sign_in("jinjiang")
    browser.get("/ledger")
    form = browser.xpath("//form[@action='/ledger' and @role='search']")
    # Nothing asked yet: every list shows 全部 (新建或联系指导 had shown 新建, and sent it back).
    for name in ["stage", "review", "orgType", "unitCategory", "buildMode", "guidance", "dual", "brand"]:
        assert Select(form.find_element(By.NAME, name)).first_selected_option.text == "全部", name
    Select(form.find_element(By.NAME, "division")).select_by_visible_text("晋江市（全部）")
    Select(form.find_element(By.NAME, "sort")).select_by_visible_text("成立日期")
    browser.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    query = parse_qs(urlparse(browser.driver.current_url).query)
    assert query["sort"] == ["founded"] and query["division"] == ["350582"] and "guidance" not in query, query
    total = int(browser.find("main p.muted strong").text)
    header = [th.text for th in browser.find_all("main table.data thead th")]
    code, founded = header.index("组织编码"), header.index("成立日期")
    rows, pages = [], 0
    while True:
        rows += browser.cells("main table.data")
        pages += 1
        assert Select(browser.find("select[name=sort]")).first_selected_option.text == "成立日期"
        following = browser.driver.find_elements(By.LINK_TEXT, "下一页 »")
        if not following:
            break
        assert pages < 100, "the pages must end"
        browser.click_and_wait(following[0])
    browser.shots("ledger-founded-last-page")
    assert pages > 1, f"晋江市 spans more than one page ({total} organizations)"
    codes = [row[code] for row in rows]
    assert len(codes) == total and len(set(codes)) == total, (len(codes), len(set(codes)), total)
    dates = [row[founded] for row in rows]
    first_undated = dates.index("")
    assert first_undated > 0 and all(d == "" for d in dates[first_undated:]), "dated first, undated last"
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)
