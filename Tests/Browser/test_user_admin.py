"""User administration (issue 14): a grant's 范围 typed by name, a namesake refused with its
candidates, a user's name and phone corrected, and 重置密码 / 停用账号 asked before they happen."""

from conftest import answer_confirm, click_for_page
from selenium.webdriver.support.ui import Select

USERNAME = "cizao-walk"


def test_open_an_account_by_division_name_correct_it_reset_and_deactivate(browser):
    browser.sign_in("quanzhou")
    browser.get("/admin/users", shot="users")

    # 官桥镇 is in 南安市 and in 安溪县: refused, each named with its code, the form kept.
    form = browser.xpath("//form[@action='/admin/users']")
    form.find_element("name", "username").send_keys(USERNAME)
    form.find_element("name", "displayName").send_keys("磁灶镇团委")
    Select(form.find_element("name", "role")).select_by_visible_text("乡镇填报员")
    division = form.find_element("name", "divisionCode")
    division.clear()
    division.send_keys("官桥镇")
    click_for_page(browser, form.find_element("css selector", "button[type=submit]"))
    message = " ".join(browser.error_messages())
    assert "同名" in message and "350583118" in message and "350524103" in message, message
    form = browser.xpath("//form[@action='/admin/users']")
    assert form.find_element("name", "username").get_attribute("value") == USERNAME

    # By the township's name it is opened on 磁灶镇.
    division = form.find_element("name", "divisionCode")
    division.clear()
    division.send_keys("磁灶镇")
    click_for_page(browser, form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "已创建用户" in browser.text(".notice")
    click_for_page(browser, browser.xpath(f"//table[contains(@class,'data')]//a[text()='{USERNAME}']"))
    assert "磁灶镇" in browser.text("main table.data")

    # A second grant by a county's name.
    grant = browser.xpath("//form[contains(@action,'/grants') and not(contains(@action,'/delete'))]")
    Select(grant.find_element("name", "role")).select_by_visible_text("核查员")
    grant.find_element("name", "divisionCode").send_keys("晋江市")
    click_for_page(browser, grant.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert "晋江市" in browser.text("main table.data")

    # Name and phone corrected.
    profile = browser.xpath("//form[contains(@action,'/profile')]")
    name = profile.find_element("name", "displayName")
    name.clear()
    name.send_keys("磁灶镇团委 林晓")
    profile.find_element("name", "phone").send_keys("13905951234")
    click_for_page(browser, profile.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    assert browser.h1().startswith("磁灶镇团委 林晓")
    assert "13905951234" in browser.text(".facts")
    browser.shots("user")

    # 重置密码: declining keeps the password; accepting shows the new one once.
    reset = browser.xpath("//form[contains(@action,'/password')]//button")
    question = answer_confirm(browser, reset, accept=False)
    assert "重置密码" in question and USERNAME in question, question
    assert not browser.find_all(".notice .secret")
    answer_confirm(browser, browser.xpath("//form[contains(@action,'/password')]//button"), accept=True)
    assert browser.find(".notice .secret").text.strip()

    # 停用账号: declining keeps it active; accepting deactivates it.
    question = answer_confirm(browser, browser.xpath("//button[text()='停用账号']"), accept=False)
    assert "停用" in question, question
    assert "已停用" not in browser.h1()
    answer_confirm(browser, browser.xpath("//button[text()='停用账号']"), accept=True)
    assert "已停用" in browser.h1()

    # Every change is on the trail, by its Chinese name.
    browser.get("/audit?entity=" + USERNAME)
    actions = {row[3] for row in browser.cells("table.audit")}
    assert {"开设账号", "授予角色", "修改账号信息", "修改密码", "停用账号"} <= actions, actions
