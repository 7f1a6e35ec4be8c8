"""At a phone's width (390 CSS px) the pages cadres open every day scroll vertically only: the
page body is never wider than the window (a wide table may scroll inside its own box)."""

from conftest import PHONE

SLUGS = {"首页（市）": "home-city", "团组织台账": "ledger", "新增团组织": "ledger-new", "团组织页面": "organization",
         "报送（市）": "reports-city", "核查": "verification", "市级确认队列": "review-queue-city",
         "签字确认": "sign-offs", "挂钩联系": "liaisons", "督办事项": "supervision", "首页（乡镇）": "home-township", "报送（乡镇填报表单）": "reports-township"}


def measure(browser, label, path, overflow):
    browser.get(path, shot="phone-" + SLUGS[label])
    overflow[label] = (path, browser.page_overflow(), browser.driver.execute_script("return document.documentElement.scrollWidth"),
                       browser.overflowing_elements())


def test_everyday_pages_fit_a_phone(browser):
    overflow = {}
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get("/ledger")
    organization = browser.find("main table a[href^='/organizations/']").get_attribute("href").removeprefix(browser.server.url)
    browser.resize(*PHONE)
    for label, path in {"首页（市）": "/", "团组织台账": "/ledger", "新增团组织": "/ledger/new",
                        "团组织页面": organization, "报送（市）": campaign + "/reports", "核查": "/verification",
                        "市级确认队列": "/verification/queue?level=city", "签字确认": "/verification/sign-offs",
                        "挂钩联系": "/liaisons", "督办事项": "/supervision"}.items():
        measure(browser, label, path, overflow)

    browser.sign_in("anhai")
    browser.resize(*PHONE)
    for label, path in {"首页（乡镇）": "/", "报送（乡镇填报表单）": campaign + "/reports"}.items():
        measure(browser, label, path, overflow)
    assert browser.xpath(f"//form[@action='{campaign}/reports' and @method='post']"), "the township's report form is on the page"

    wide = {label: v for label, v in overflow.items() if v[1] > 0}
    assert not wide, "pages wider than the 390 px window:\n" + "\n".join(
        f"  {label} {path}: scrollWidth {width} px, {px} px too wide; widest: {'; '.join(culprits)}"
        for label, (path, px, width, culprits) in wide.items())
