"""挂钩联系 and 督办: the liaison cadre sees "my townships", logs a visit with a photo from a
phone-width window (a future date and a file that is not a picture refused by name), raises a
problem that becomes an item; the county closes it; the city sees coverage, overdue items and a
stalled township's interview beside its progress curve."""

import base64
import re
import struct
import zlib

from selenium.webdriver.support.ui import Select

from conftest import PHONE, WIDE


def tiny_png(path):
    """A real 4×4 PNG written with zlib, so the server's byte sniffing sees an image."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x38\x67\xb5" * 4 for _ in range(4))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return png


def fetch_bytes(browser, href) -> bytes:
    """The bytes the server answers for `href`, fetched inside the signed-in browser."""
    data = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {
          let s = ''; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); done(btoa(s)); });""", href)
    return base64.b64decode(data)


def test_a_visit_from_a_phone_becomes_an_item_the_county_closes(browser, tmp_path):
    browser.sign_in("guagou")
    browser.get("/liaisons", shot="liaisons-cadre")
    assert browser.h1() == "挂钩联系"
    assert "我挂钩的乡镇" in browser.text("main")
    mine = browser.cells(browser.find("main section table"))
    assert any(row[0] == "安海镇" and row[1] == "牵头联系" for row in mine), mine

    browser.resize(*PHONE)
    try:
        browser.get("/liaisons/visits/new?township=350582101")
        assert browser.page_overflow() == 0, browser.overflowing_elements()
        browser.screenshot("visit-new-390")
        form = browser.find("form#visit-form")
        assert Select(form.find_element("name", "township")).first_selected_option.text.endswith("安海镇")

        # A future date is refused by the server, by name (the browser's own max= is lifted first).
        day = form.find_element("name", "visitedOn")
        browser.driver.execute_script("arguments[0].removeAttribute('max')", day)
        browser.set_value(day, "2030-01-01")
        form.find_element("name", "visitors").send_keys("陈明（泉州市团委）")
        form.find_element("name", "findings").send_keys("两家新建鞋企尚未建团，已约定下周上门。")
        browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
        assert any("走访日期" in m for m in browser.error_messages()), browser.error_messages()

        # A text file named like a photo is refused by name; the form keeps what was typed.
        fake = tmp_path / "照片.png"
        fake.write_text("not a picture")
        form = browser.find("form#visit-form")
        assert form.find_element("name", "visitors").get_attribute("value") == "陈明（泉州市团委）"
        browser.set_value(form.find_element("name", "visitedOn"), "2012-12-02")
        form.find_element("css selector", "input[type=file]").send_keys(str(fake))
        browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
        assert any("照片.png" in m and "不是图片" in m for m in browser.error_messages()), browser.error_messages()

        photo = tmp_path / "走访照片.png"
        original = tiny_png(photo)
        form = browser.find("form#visit-form")
        browser.set_value(form.find_element("name", "visitedOn"), "2012-12-02")
        form.find_element("css selector", "input[type=file]").send_keys(str(photo))
        form.find_element("name", "problemTitle[]").send_keys("两家新建鞋企尚未建团")
        form.find_element("name", "problemResponsible[]").send_keys("安海镇团委书记")
        browser.set_value(form.find_element("name", "problemDeadline[]"), "2012-12-09")
        browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
        assert not browser.error_messages(), browser.error_messages()
        assert re.search(r"/liaisons/visits/\d+$", browser.driver.current_url), browser.driver.current_url
        assert browser.page_overflow() == 0, browser.overflowing_elements()
        browser.screenshot("visit-390")
    finally:
        browser.resize(*WIDE)
    image = browser.find("ul.attachments img")
    assert fetch_bytes(browser, image.get_attribute("src")) == original, "the photo comes back byte for byte"
    item_link = browser.xpath("//main//a[text()='两家新建鞋企尚未建团']")
    item_href = item_link.get_attribute("href")

    browser.sign_in("jinjiang")
    browser.driver.get(item_href)
    assert "待办" in browser.text("main")
    close = browser.xpath("//form[.//input[@name='move' and @value='close']]")
    # Closing without a result is refused by the server (the browser's required= lifted first).
    note = close.find_element("name", "note")
    browser.driver.execute_script("arguments[0].removeAttribute('required')", note)
    browser.click_and_wait(close.find_element("css selector", "button[type=submit]"))
    assert any("办理结果" in m for m in browser.error_messages()), browser.error_messages()
    close = browser.xpath("//form[.//input[@name='move' and @value='close']]")
    close.find_element("name", "note").send_keys("已上门对接，两家企业团支部进入筹建。")
    browser.click_and_wait(close.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    browser.shots("supervision-item")
    assert "已办结" in browser.text("main") and "已上门对接" in browser.text("main")


def test_the_city_sees_coverage_overdue_items_and_an_interview_beside_the_curve(browser):
    browser.sign_in("quanzhou")
    browser.get("/liaisons", shot="liaisons-city")
    text = browser.text("main")
    covered = re.search(r"(\d+) / (\d+) 个乡镇（街道）有牵头挂钩干部", text)
    assert covered and int(covered.group(1)) < int(covered.group(2)), "the demo leaves a coverage gap"
    assert "未安排" in text

    browser.get("/supervision?view=overdue", shot="supervision-overdue")
    rows = browser.cells(browser.find("main table"))
    assert rows and all("逾期" in row[5] for row in rows), rows[:3]

    browser.get("/supervision/escalations", shot="escalations")
    browser.click_and_wait(browser.xpath("//main//tr[td[2][text()='工作约谈']]//a"))
    assert "工作约谈" in browser.h1()
    browser.click_and_wait(browser.xpath("//main//a[text()='查看督导历程和进度曲线']"))
    browser.shots("liaison-township")
    assert browser.find("figure.chart-box svg")
    assert "工作约谈" in browser.text("ol.timeline")
