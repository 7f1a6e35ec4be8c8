"""A new account's generated password is changed at its first sign-in: the county opens the
account, the newcomer signs in with the password shown once, is held on 我的账号 until the
password is changed through the form, then signs in with the new one and reaches the home page."""

import time

from selenium.webdriver.support.ui import Select


def sign_in_with(browser, username, password):
    browser.driver.delete_all_cookies()
    browser.get("/login")
    browser.find("input[name=username]").send_keys(username)
    browser.find("input[name=password]").send_keys(password)
    browser.click_and_wait(browser.xpath("//form[@action='/login']//button[@type='submit']"))


def test_a_handed_out_password_is_changed_first(browser):
    username = f"shenhu{int(time.time()) % 100000}"
    browser.sign_in("jinjiang")
    browser.get("/admin/users")
    form = browser.xpath("//form[@action='/admin/users']")
    form.find_element("name", "username").send_keys(username)
    form.find_element("name", "displayName").send_keys("深沪镇团委")
    Select(form.find_element("name", "role")).select_by_visible_text("乡镇填报员")
    division = form.find_element("name", "divisionCode")
    division.clear()
    division.send_keys("深沪镇")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    password = browser.find("span.secret").text
    assert "首次登录后须先修改密码" in browser.text("p.notice")

    sign_in_with(browser, username, password)
    assert browser.driver.current_url.endswith("/account?initial=1"), browser.driver.current_url
    assert "您正在使用管理员生成的初始密码" in browser.text("main")
    browser.get("/ledger")
    assert browser.driver.current_url.endswith("/account?initial=1"), "every page leads back until the password is changed"

    form = browser.xpath("//form[@action='/account/password']")
    form.find_element("name", "currentPassword").send_keys(password)
    form.find_element("name", "newPassword").send_keys("Shenhu2012x")
    form.find_element("name", "confirmPassword").send_keys("Shenhu2012x")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert "/login" in browser.driver.current_url

    sign_in_with(browser, username, "Shenhu2012x")
    assert "/account" not in browser.driver.current_url and "/login" not in browser.driver.current_url, browser.driver.current_url
    assert "深沪镇" in browser.h1(), browser.h1()
