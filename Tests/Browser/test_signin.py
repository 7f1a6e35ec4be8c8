"""Signing in through the login form lands each user on their own dashboard."""

import pytest


@pytest.mark.parametrize("username, area", [("quanzhou", "泉州市"), ("anhai", "安海镇")])
def test_sign_in_lands_on_dashboard(browser, username, area):
    browser.get("/", shot=None)
    assert "/login" in browser.driver.current_url, "an anonymous visitor is sent to the login form"
    assert browser.h1() == "登录台账"
    browser.shots("login")

    browser.find("input[name=username]").send_keys(username)
    browser.find("input[name=password]").send_keys(browser.server.passwords[username])
    browser.click_and_wait(browser.xpath("//form[@action='/login']//button[@type='submit']"))

    assert browser.driver.current_url.rstrip("/") == browser.server.url, browser.error_messages()
    heading = browser.h1()
    assert heading.startswith(f"{area} · 建团进度"), heading
    assert "截至 2012年12月3日" in heading
    assert browser.find(".whoami").text.strip() != ""
    browser.shots(f"home-{username}")


def test_wrong_password_is_refused(browser):
    browser.get("/login")
    browser.find("input[name=username]").send_keys("quanzhou")
    browser.find("input[name=password]").send_keys("not-the-password")
    browser.click_and_wait(browser.xpath("//form[@action='/login']//button[@type='submit']"))
    assert browser.h1() == "登录台账"
    assert browser.error_messages(), "a refused sign-in says why"
