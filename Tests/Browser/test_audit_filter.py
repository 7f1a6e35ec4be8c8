"""The audit page's 操作 filter: a list of the recorded actions by their Chinese names (issue 14)."""

from conftest import click_for_page
from selenium.webdriver.support.ui import Select


def test_filter_the_audit_trail_by_a_chosen_action(browser):
    browser.sign_in("admin")
    browser.get("/audit", shot="audit")
    form = browser.xpath("//form[@action='/audit']")
    action = Select(form.find_element("name", "action"))
    labels = [o.text for o in action.options]
    assert labels[0] == "全部操作"
    assert {"发布通报", "审核报送", "提交被退回", "访问被拒绝", "分解目标"} <= set(labels), labels
    assert not [label for label in labels if "." in label], "no action is offered by its internal code"

    action.select_by_visible_text("发布通报")
    click_for_page(browser, form.find_element("css selector", "button[type=submit]"))
    assert "action=bulletin.issue" in browser.driver.current_url
    rows = browser.cells("table.audit")
    assert rows, "the demo has issued bulletins"
    assert {row[3] for row in rows} == {"发布通报"}, rows[:3]
    # The choice is kept on the filtered page.
    chosen = Select(browser.find("form[action='/audit'] select[name=action]")).first_selected_option
    assert chosen.text == "发布通报"
