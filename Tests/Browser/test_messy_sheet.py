"""A sheet as cadres make it, uploaded through the import form: a title merged across the
columns and a blank row above the header, a notes row under it, a totals row and a signature
under the data. The header is found, the organizations are read, and the rows that are not
organizations are listed as set aside — nothing rejected."""

import time

import openpyxl

from test_ledger_import import HEADER, summary, upload


def test_title_notes_and_totals_rows_are_set_aside(browser, downloads):
    browser.sign_in("jinjiang")
    stamp = int(time.time()) % 100000
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "安海镇"
    sheet.append([f"安海镇直属团组织台账（截至2012年12月3日）{stamp}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(["（填写说明：建设阶段填 青年组织、类团组织、筹建 或 已建立）"])
    for n in range(4):
        sheet.append(["", "晋江市", "安海镇", f"安海镇杂表测试（第{n}号）鞋业团支部{stamp}", "团支部", "非公企业", "单独建团",
                      "筹建", "2012-11-20", "", 5, 30, "否", "新建", "已核实，见附件"])
    sheet.append([])
    sheet.append(["合计", "4 个"])
    sheet.append(["填表人：王丽　审核人：陈峰　联系电话：0595-85000000"])
    path = downloads / f"安海镇台账-杂表-{stamp}.xlsx"
    book.save(path)

    upload(browser, path)
    assert not browser.error_messages(), browser.error_messages()
    assert summary(browser) == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    heading = browser.xpath("//h2[text()='未作为数据读取的行']")
    table = heading.find_element("xpath", "following-sibling::table[1]")
    set_aside = [(row[0], row[1]) for row in browser.cells(table)]
    assert set_aside == [("1", "表头之前的标题或说明"), ("4", "说明、合计或签名行"),
                         ("10", "说明、合计或签名行"), ("11", "说明、合计或签名行")], set_aside
    browser.shots("import-messy-sheet")

    browser.click_and_wait(browser.xpath("//form[contains(@action, '/commit')]//button"))
    assert not browser.error_messages(), browser.error_messages()
    browser.get(f"/ledger?q={stamp}")
    main = browser.text("main")
    # Names are kept as typed, full-width brackets included.
    assert main.count(f"鞋业团支部{stamp}") == 4 and f"安海镇杂表测试（第0号）鞋业团支部{stamp}" in main, main[:500]
