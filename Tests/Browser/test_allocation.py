"""Allocating the campaign's target from the city down to the townships: what the preview showed
is what gets saved, at every level, with the reason in the history."""

import time


def level_figures(browser):
    """(本级指标, 下级合计, {child name: 现指标}) of the targets page shown."""
    strong = browser.find_all("main > p strong")
    own, children_sum = strong[0].text, strong[1].text
    current = {}
    for cells in browser.cells("form#allocation table.data"):
        current[cells[0]] = cells[1]
    return own, children_sum, current


def test_cascaded_allocation_saves_what_was_previewed(browser):
    browser.sign_in("quanzhou")
    campaign = browser.campaign_href()
    browser.get(campaign + "/targets", shot="targets-city")
    assert browser.h1() == "泉州市 · 指标分配"
    city_target, _, before = level_figures(browser)
    assert len(before) >= 10, before

    form = browser.find("form#allocation")
    form.find_element("css selector", "input[name=method][value=equal]").click()
    cascade = form.find_element("css selector", "input[name=cascade]")
    if not cascade.is_selected():
        cascade.click()
    reason = f"浏览器测试：平均分配并逐级分到乡镇 {int(time.time())}"
    form.find_element("name", "reason").send_keys(reason)
    browser.click_and_wait(form.find_element("css selector", "button[value=preview]"))
    assert not browser.error_messages(), browser.error_messages()
    browser.shots("targets-preview")

    preview, previous = {}, {}
    for parent, name, old, new in browser.cells("section.preview table"):
        preview[(parent, name)] = int(new)
        previous[(parent, name)] = old
    counties = {name: target for (parent, name), target in preview.items() if parent == "泉州市"}
    assert counties.keys() <= before.keys() and len(counties) >= 10, counties
    assert sum(counties.values()) == int(city_target)
    townships = {key: target for key, target in preview.items() if key[0] in counties}
    assert len(townships) >= 150, "the preview of a cascaded allocation lists the townships too"
    assert any(str(preview[key]) != previous[key] for key in preview), "the equal split changes some targets"

    # What the user sees before saving: the choices they made are still made.
    mismatches = []
    form = browser.find("form#allocation")
    if not form.find_element("css selector", "input[name=method][value=equal]").is_selected():
        mismatches.append("the preview page no longer has 平均分配 chosen")
    if not form.find_element("css selector", "input[name=cascade]").is_selected():
        mismatches.append("the preview page lost the 同时逐级分到乡镇 tick")
    if form.find_element("name", "reason").get_attribute("value") != reason:
        mismatches.append("the preview page lost the reason typed")
    browser.click_and_wait(form.find_element("css selector", "button[value=apply]"))
    assert not browser.error_messages(), browser.error_messages()

    browser.get(campaign + "/targets")
    _, children_sum, after = level_figures(browser)
    assert {name: int(after[name]) for name in counties} == counties, "the counties' saved targets differ from the preview"
    assert int(children_sum) == int(city_target)
    history = browser.find_all("main table.data")[-1].text
    if reason not in history:
        mismatches.append(f"the reason「{reason}」typed before the preview is not in 指标变更记录")

    # Every county: its own target equals the sum of its townships, each township as previewed.
    for link in [a.get_attribute("href") for a in browser.find_all("form#allocation tbody a")]:
        browser.get(link.removeprefix(browser.server.url))
        county = browser.h1().removesuffix(" · 指标分配")
        own, children_sum, shares = level_figures(browser)
        if county not in counties:
            continue
        if own != children_sum:
            mismatches.append(f"{county}: 本级指标 {own} ≠ 下级合计 {children_sum}")
        for name, target in shares.items():
            expected = preview.get((county, name))
            if expected is not None and int(target or 0) != expected:
                mismatches.append(f"{county} {name}: 保存 {target}, 预览 {expected}")
    browser.shots("targets-county")
    assert not mismatches, "saved ≠ previewed:\n" + "\n".join(mismatches[:20]) + f"\n({len(mismatches)} in all)"
