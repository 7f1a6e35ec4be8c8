"""The ranking of all townships (issue 14): each with its county, a day chosen in a GET form,
and the ranking downloaded as XLSX."""

import zipfile

from conftest import click_for_page


def test_township_ranking_by_day_with_county_and_xlsx(browser):
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get(campaign + "/ranking?level=township", shot="ranking-township")
    headers = [th.text for th in browser.find_all("table.ranking thead th")]
    assert headers[:3] == ["名次", "单位", "所属县（市、区）"], headers
    rows = browser.cells("table.ranking")
    guanqiao = sorted(row[2] for row in rows if row[1] == "官桥镇")
    assert guanqiao == ["南安市", "安溪县"], guanqiao

    form = browser.xpath(f"//form[@method='get' and @action='{campaign}/ranking']")
    browser.set_value(form.find_element("name", "asOf"), "2012-11-20")
    click_for_page(browser, form.find_element("css selector", "button[type=submit]"))
    url = browser.driver.current_url
    assert "level=township" in url and "asOf=2012-11-20" in url, url
    assert "截至 2012年11月20日" in browser.h1()
    assert browser.find("input[name=asOf]").get_attribute("value") == "2012-11-20"
    assert [th.text for th in browser.find_all("table.ranking thead th")][2] == "所属县（市、区）"
    shown = browser.cells("table.ranking")

    path = browser.download(browser.find("a.download[href*='ranking.xlsx']"), ".xlsx")
    with zipfile.ZipFile(path) as book:
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    text = strings + sheet
    assert "所属县（市、区）" in text and "安溪县" in text and "南安市" in text
    assert sheet.count("<row") == len(shown) + 1, (sheet.count("<row"), len(shown))
