"""Importing the ledger through the form at /ledger/import: a real multipart upload from the
browser of an export several hundred rows long, its preview and commit; and a file with bad
rows, every one of which the page names."""

import csv
import io
import re
import time
import zipfile

HEADER = ["组织编码", "县（市、区）", "乡镇（街道）", "团组织名称", "组织类型", "单位类别", "建团方式",
          "建设阶段", "筹建批复日期", "成立日期", "团员数", "青年数", "是否双重管理", "新建或联系指导", "备注"]


def xlsx_row_count(path):
    with zipfile.ZipFile(path) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        return len(re.findall(rb"<row[ >]", z.read(sheet))) - 1


def upload(browser, path):
    browser.get("/ledger/import")
    assert browser.h1() == "从 Excel 导入团组织"
    form = browser.xpath("//form[@action='/ledger/import']")
    form.find_element("css selector", "input[type=file]").send_keys(str(path))
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    heading = browser.h1()
    assert heading == "从 Excel 导入团组织", \
        f"uploading {path.name} ({path.stat().st_size} bytes) answered「{heading}」: {browser.error_messages()}"


def summary(browser):
    text = browser.find("section.card strong").text
    m = re.search(r"共 (\d+) 行：新增 (\d+)，更新 (\d+)，无变化 (\d+)，退回 (\d+)", text)
    assert m, text
    return dict(zip(["rows", "new", "updated", "unchanged", "rejected"], map(int, m.groups())))


def rejected_rows(browser):
    heading = browser.xpath("//h2[text()='退回的行']")
    table = heading.find_element("xpath", "following-sibling::table[1]")
    return browser.cells(table)


def test_export_then_reimport_then_commit_an_edit(browser, downloads):
    browser.sign_in("jinjiang")
    browser.get("/ledger", shot="ledger")
    assert browser.h1().startswith("团组织台账")
    xlsx = browser.download(browser.xpath("//a[text()='导出 Excel']"), ".xlsx")
    rows = xlsx_row_count(xlsx)
    assert rows >= 300, f"the county's export has {rows} rows; several hundred expected"

    # An unchanged export re-imports as 无变化, row for row.
    upload(browser, xlsx)
    assert not browser.error_messages(), f"uploading {xlsx.name} ({xlsx.stat().st_size} bytes): {browser.error_messages()}"
    assert summary(browser) == {"rows": rows, "new": 0, "updated": 0, "unchanged": rows, "rejected": 0}
    assert "文件中没有需要新增或更新的团组织" in browser.text("main")
    browser.shots("import-unchanged")

    # The CSV export, edited: 备注 on five rows, three new organizations; then committed.
    browser.get("/ledger")
    exported = browser.download(browser.xpath("//a[text()='导出 CSV']"), ".csv")
    records = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    header, body = records[0], records[1:]
    assert len(body) == rows
    note = header.index("备注")
    stamp = int(time.time()) % 100000
    for record in body[:5]:
        record[note] = f"浏览器测试备注 {stamp}"
    by_name = {h: i for i, h in enumerate(header)}
    for n in range(3):
        new = [""] * len(header)
        for column, value in {"县（市、区）": "晋江市", "乡镇（街道）": "安海", "团组织名称": f"安海镇导入测试团支部{stamp}-{n}",
                              "组织类型": "团支部", "单位类别": "非公企业", "建团方式": "单独建团", "建设阶段": "筹建",
                              "筹建批复日期": "2012年11月28日", "团员数": "６", "青年数": "40", "是否双重管理": "否",
                              "新建或联系指导": "新建"}.items():
            new[by_name[column]] = value
        body.append(new)
    edited = downloads / f"edited-{stamp}.csv"
    with open(edited, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header] + body)

    upload(browser, edited)
    assert not browser.error_messages(), f"uploading {edited.name} ({edited.stat().st_size} bytes): {browser.error_messages()}"
    assert summary(browser) == {"rows": rows + 3, "new": 3, "updated": 5, "unchanged": rows - 5, "rejected": 0}
    browser.shots("import-preview")
    commit = browser.xpath("//form[contains(@action, '/commit')]//button")
    assert commit.text.startswith("确认导入（新增 3，更新 5）")
    browser.click_and_wait(commit)
    assert not browser.error_messages(), browser.error_messages()
    notice = browser.find("p.notice").text
    assert notice.startswith(f"已导入 {edited.name}：共 {rows + 3} 行：新增 3，更新 5"), notice
    browser.shots("import-committed")

    browser.get(f"/ledger?q=安海镇导入测试团支部{stamp}")
    assert browser.text("main").count(f"安海镇导入测试团支部{stamp}-") == 3


def test_bad_rows_are_each_named(browser, downloads):
    """A file of about 4 KB: good rows around bad ones; the page names every bad row and imports nothing."""
    browser.sign_in("jinjiang")
    stamp = int(time.time()) % 100000

    def good(n):
        return ["", "晋江市", "安海镇", f"安海镇退回测试团支部{stamp}-{n}", "团支部", "非公企业", "单独建团", "筹建",
                "2012-11-20", "", "5", "30", "否", "新建", ""]

    bad = {
        "成立日期不是日期": lambda r: r.__setitem__(9, "2012-13-45") or r.__setitem__(7, "已建立"),
        "乡镇不存在": lambda r: r.__setitem__(2, "不存在镇"),
        "名称为空": lambda r: r.__setitem__(3, ""),
        "阶段不认识": lambda r: r.__setitem__(7, "快建好了"),
        "已建立没有成立日期": lambda r: r.__setitem__(7, "已建立"),
        "成立日期在将来": lambda r: (r.__setitem__(7, "已建立"), r.__setitem__(9, "2013-01-05")),
        "编码不存在": lambda r: r.__setitem__(0, "350582101-9999"),
        "组织类型不认识": lambda r: r.__setitem__(4, "团小组"),
        "团员数不是数字": lambda r: r.__setitem__(10, "很多"),
        "乡镇为空": lambda r: r.__setitem__(2, ""),
    }
    records = [HEADER]
    bad_rows = {}
    for n in range(40):
        records.append(good(n))
    positions = [3, 7, 11, 15, 19, 23, 27, 31, 35, 39]   # indices into the data rows
    for index, (why, spoil) in zip(positions, bad.items()):
        spoil(records[index + 1])
        bad_rows[index + 2] = why                       # the header is row 1
    path = downloads / f"bad-rows-{stamp}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(records)
    assert path.stat().st_size > 2048

    upload(browser, path)
    problems = [m for m in browser.error_messages() if not m.startswith("有退回的行")]
    assert not problems, f"uploading {path.name} ({path.stat().st_size} bytes): {problems}"
    browser.shots("import-rejected")
    assert summary(browser)["rejected"] == len(bad_rows)
    named = {int(cells[0]) for cells in rejected_rows(browser)}
    missing = {row: why for row, why in bad_rows.items() if row not in named}
    assert not missing, f"bad rows not named in 退回的行: {missing}"
    assert named == set(bad_rows), f"good rows named as rejected: {sorted(named - set(bad_rows))}"
    assert "有退回的行，整个文件不会导入" in browser.text("main")
    assert not browser.find_all("form[action*='/commit']"), "no commit button when rows are rejected"
