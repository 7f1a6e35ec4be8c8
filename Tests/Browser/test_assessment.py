"""年度考评: a county enters a checked item (a blank note refused), saves its rubric (weights that do not
add up refused by field), publishes its townships' result; it appeals an item of the city's published
result (a blank reason refused). The city's result prints and downloads."""

from selenium.webdriver.support.ui import Select

from conftest import answer_confirm
from test_liaison import fetch_bytes

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def open_assessment(browser, title):
    browser.get("/assessments", shot="assessments")
    assert browser.h1() == "年度考评"
    browser.click_and_wait(browser.xpath(f"//main//table//a[text()='{title}']"))


CITY = "泉州市2012年度乡镇“大团委”建设工作考评"
COUNTY = "晋江市2012年度乡镇“大团委”建设工作考评"


def test_city_result_is_published_with_stars_under_quotas(browser):
    browser.sign_in("quanzhou")
    open_assessment(browser, CITY)
    browser.shots("assessment-city")
    text = browser.text("main")
    assert "已发布第 1 号（第 2 版" in text
    assert "五星级不超过参评单位数的 20%" in text
    assert "名额降级" in text, "at least one county is demoted by a cap"
    browser.click_and_wait(browser.xpath("//main//a[contains(., '第 1 号 · 第 2 版')]"))
    browser.shots("assessment-result")
    assert "本版变化" in browser.text("article.notice")
    xlsx = browser.download(browser.xpath("//a[text()='下载 Excel']"), ".xlsx")
    assert xlsx.stat().st_size > 1000


def test_checked_item_needs_a_note(browser):
    browser.sign_in("jinjiang")
    open_assessment(browser, COUNTY)
    assert "预览" in browser.text("main")
    form = browser.find("form#score-form")
    Select(form.find_element("name", "indicator")).select_by_index(1)
    form.find_element("name", "points").send_keys("7.5")
    form.find_element("name", "note").send_keys("   ")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("评分说明" in m for m in browser.error_messages()), browser.error_messages()
    form = browser.find("form#score-form")
    assert form.find_element("name", "points").get_attribute("value") == "7.5"
    form.find_element("name", "note").clear()
    form.find_element("name", "note").send_keys("阵地现场查看，缺青年之家标牌")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "阵地现场查看，缺青年之家标牌" in browser.text("#checked")


def test_rubric_save_refuses_weights_that_do_not_add_up(browser):
    browser.sign_in("jinjiang")
    open_assessment(browser, COUNTY)
    browser.click_and_wait(browser.xpath("//main//a[contains(., '修改考评方案')]"))
    browser.shots("assessment-rubric")
    weight = browser.find("input[name=weight0]")
    weight.clear()
    weight.send_keys("45")
    browser.click_and_wait(browser.find("form#rubric-form button[type=submit]"))
    assert any("各项分值合计应为 100 分，现为 105 分" in m for m in browser.error_messages()), browser.error_messages()
    # Back to 40, and the two checked items become measured ones, so the county can publish at once.
    weight = browser.find("input[name=weight0]")
    weight.clear()
    weight.send_keys("40")
    for index, measure in [(5, "verification_pass"), (6, "spot_check_real")]:
        Select(browser.find(f"select[name=kind{index}]")).select_by_value("measured")
        Select(browser.find(f"select[name=measure{index}]")).select_by_value(measure)
    browser.click_and_wait(browser.find("form#rubric-form button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "考评规则" in browser.text("main")


def test_publish_freezes_and_numbers_the_result(browser):
    browser.sign_in("jinjiang")
    open_assessment(browser, COUNTY)
    question = answer_confirm(browser, browser.find("form#publish-form button[type=submit]"))
    assert "确定发布" in question
    assert not browser.error_messages(), browser.error_messages()
    assert "第 1 号" in browser.text("article.notice")
    browser.shots("assessment-county-result")


def test_appeal_against_the_city_result(browser):
    browser.sign_in("jinjiang")
    open_assessment(browser, CITY)
    browser.click_and_wait(browser.xpath("//main//a[contains(., '第 1 号 · 第 2 版')]"))
    form = browser.find("form#appeal-form")
    Select(form.find_element("name", "indicator")).select_by_visible_text("组织领导与工作机制")
    form.find_element("name", "reason").send_keys("  ")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("申诉理由" in m for m in browser.error_messages()), browser.error_messages()
    form = browser.find("form#appeal-form")
    Select(form.find_element("name", "indicator")).select_by_visible_text("组织领导与工作机制")
    form.find_element("name", "reason").send_keys("安海镇领导小组文件已印发，附件补交")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "安海镇领导小组文件已印发" in browser.text("#appeals")
    assert "待答复" in browser.text("#appeals")


RATING = "安海镇2013年度团组织对标定级"


def test_organization_rating_self_assessment_then_review(browser, tmp_path):
    # 安海镇 enters an organization's own score: a blank note is refused and the form kept.
    browser.sign_in("anhai")
    open_assessment(browser, RATING)
    browser.shots("assessment-organization-rating")
    assert "团组织自评" in browser.text("main")
    assert browser.find_all("form#score-form") == [], "the township enters own scores; the county reviews"
    form = browser.find("form#self-form")
    # Listed by code; the demo left every third organization (the third by code among them) unreviewed.
    Select(form.find_element("name", "unit")).select_by_index(2)
    unit = Select(form.find_element("name", "unit")).first_selected_option.text
    Select(form.find_element("name", "indicator")).select_by_value("o4")
    form.find_element("name", "points").send_keys("18.5")
    form.find_element("name", "note").send_keys("  ")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert any("自评说明" in m for m in browser.error_messages()), browser.error_messages()
    form = browser.find("form#self-form")
    assert form.find_element("name", "points").get_attribute("value") == "18.5"
    form.find_element("name", "note").send_keys("每月主题团日均有签到表和照片")
    # The sign-in sheets go up with it (a real multipart upload through the form).
    sheet = tmp_path / "主题团日签到表.pdf"
    sheet.write_bytes(PDF)
    form.find_element("css selector", "input[type=file]").send_keys(str(sheet))
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "每月主题团日均有签到表和照片" in browser.text("#self")
    link = browser.xpath("//section[@id='self']//a[text()='主题团日签到表.pdf']")
    assert fetch_bytes(browser, link.get_attribute("href")) == PDF, "the file comes back byte for byte"

    # 晋江 reviews that item: the reviewed score counts, the own score stands beside it.
    browser.sign_in("jinjiang")
    open_assessment(browser, RATING)
    form = browser.find("form#score-form")
    Select(form.find_element("name", "unit")).select_by_visible_text(unit.split("（")[0])
    Select(form.find_element("name", "indicator")).select_by_value("o4")
    form.find_element("name", "points").send_keys("17")
    form.find_element("name", "note").send_keys("签到表缺两个月")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "签到表缺两个月" in browser.text("#checked")
    assert "自评 18.5 分（每月主题团日均有签到表和照片）" in browser.driver.page_source
    assert "佐证材料：主题团日签到表.pdf" in browser.driver.page_source
