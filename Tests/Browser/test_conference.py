"""团建联席会 and 品牌活动: 安海镇's reporter adds a member unit (a unit category that is not on the
list refused by name), records a meeting through the form (a future date refused by name) where the
open follow-ups of the last meeting are already on the agenda, closes one and decides a new one;
the minutes download as a .docx holding the meeting's text; an activity is recorded for the new
member; 晋江's administrator sees the county's conversion funnel."""

import shutil
import subprocess
import zipfile

from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import WIDE, left_document


def test_member_meeting_minutes_and_activity(browser, tmp_path):
    browser.sign_in("anhai")
    browser.get("/conferences/350582101", shot="conference-anhai")
    assert browser.h1() == "安海镇团建联席会"
    assert "未办结跟进事项" in browser.text("main")

    # A member unit: a category that is not on the list is refused by name; then it is added.
    form = browser.find("form#member-form")
    form.find_element("name", "name").send_keys("安海恒达鞋服有限公司")
    category = form.find_element("name", "unitCategory")
    browser.driver.execute_script("const o = document.createElement('option'); o.text = '外星企业'; arguments[0].add(o); arguments[0].value = '外星企业';", category)
    form.find_element("name", "contactName").send_keys("王经理")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("单位类别" in m and "外星企业" in m for m in browser.error_messages()), browser.error_messages()
    form = browser.find("form#member-form")
    assert form.find_element("name", "name").get_attribute("value") == "安海恒达鞋服有限公司"
    Select(form.find_element("name", "unitCategory")).select_by_visible_text("非公企业")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    members = browser.cells(browser.xpath("//h2[text()='成员单位']/following-sibling::div[1]//table"))
    assert any(row[0] == "安海恒达鞋服有限公司" and row[1] == "非公企业" for row in members), members

    # The meeting form: the follow-ups still open are on it; a future date is refused by name.
    browser.get("/conferences/350582101/meetings/new", shot="conference-meeting-new")
    form = browser.find("form#meeting-form")
    carried = form.find_elements("name", "followupResult[]")
    assert carried, "no open follow-up carried to the form"
    day = form.find_element("name", "heldOn")
    browser.driver.execute_script("arguments[0].removeAttribute('max')", day)
    browser.set_value(day, "2030-01-01")
    form.find_element("name", "place").send_keys("安海镇政府三楼会议室")
    for box in form.find_elements("name", "present[]")[:6]:
        box.click()
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("会议日期" in m for m in browser.error_messages()), browser.error_messages()

    form = browser.find("form#meeting-form")
    browser.set_value(form.find_element("name", "heldOn"), "2012-12-03")
    form.find_elements("name", "followupResult[]")[0].send_keys("志愿服务已于12月1日开展")
    form.find_elements("name", "itemTitle[]")[0].send_keys("恒达鞋服建团")
    form.find_elements("name", "itemDecision[]")[0].send_keys("12月底前成立团支部筹备组")
    Select(form.find_elements("name", "itemOwner[]")[0]).select_by_visible_text("安海恒达鞋服有限公司")
    browser.set_value(form.find_elements("name", "itemDeadline[]")[0], "2012-12-31")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    browser.check_not_error_page()
    browser.screenshot("conference-meeting")
    text = browser.text("main")
    assert "跟进：" in text and "已办结：志愿服务已于12月1日开展" in text, text
    assert "12月底前成立团支部筹备组（责任单位：安海恒达鞋服有限公司，期限：2012-12-31）" in text, text

    # The minutes as .docx: a zip whose document holds the meeting's text.
    docx = browser.download(browser.xpath("//a[contains(., '会议纪要')]"), ".docx")
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert "安海镇团建联席会会议纪要" in document and "恒达鞋服建团" in document and "12月底前成立团支部筹备组" in document
    # LibreOffice (installed by scripts/browser-tests) opens the minutes: it converts them to a PDF.
    assert shutil.which("soffice"), "LibreOffice's soffice is needed to open the minutes"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, timeout=180, capture_output=True)
    pdfs = list(tmp_path.glob("*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF"), pdfs

    # An activity for the new member.
    # Choosing the township reloads the form with its conference members to tick.
    browser.get("/activities/new", shot="activity-new")
    old = browser.find("html")
    Select(browser.find("form#activity-form select[name=township]")).select_by_visible_text("晋江市 安海镇")
    WebDriverWait(browser.driver, 60).until(left_document(old))
    form = browser.find("form#activity-form")
    Select(form.find_element("name", "kind")).select_by_visible_text("青年志愿者服务")
    form.find_element("name", "title").send_keys("恒达鞋服青年志愿服务")
    browser.set_value(form.find_element("name", "heldOn"), "2012-12-02")
    form.find_element("name", "organizer").send_keys("安海镇团委")
    form.find_element("name", "youthReached").send_keys("35")
    label = browser.xpath("//form[@id='activity-form']//label[contains(., '安海恒达鞋服有限公司')]")
    label.find_element("css selector", "input").click()
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    rows = browser.cells(browser.find("main table"))
    assert any(row[3] == "恒达鞋服青年志愿服务" and "安海恒达鞋服有限公司" in row[5] for row in rows), rows


def test_the_county_sees_its_conversion_funnel(browser):
    browser.sign_in("jinjiang")
    browser.resize(*WIDE)
    browser.get("/conferences", shot="conferences-jinjiang")
    assert browser.h1() == "团建联席会"
    browser.get("/activities/conversion/350582", shot="conversion-jinjiang")
    steps = {row[0]: int(row[1]) for row in browser.cells(browser.find("main table"))}
    assert steps["活动覆盖单位"] > steps["已建立"] > 0, steps
    assert "中位" in browser.text("main")
