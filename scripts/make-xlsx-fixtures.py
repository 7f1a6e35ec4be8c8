#!/usr/bin/env python3
"""Regenerates the small .xlsx fixtures read by Tests/TaizhangFilesTests/SpreadsheetTests.swift.

    pip install openpyxl xlsxwriter && python3 scripts/make-xlsx-fixtures.py

openpyxl-ledger.xlsx    written by openpyxl (inline strings): rich text, dates, numbers,
                        a boolean, a skipped row and skipped columns, a second sheet.
xlsxwriter-shared.xlsx  written by XlsxWriter the way Excel writes: shared strings,
                        a rich string, a date, a formula with its cached value.
handmade-features.xlsx  hand-written XML for what openpyxl never writes: inline strings,
                        phonetic runs, formula strings, errors, cells without r="…",
                        namespace prefixes, _x000D_ escapes, CDATA, numeric character
                        references and a first sheet that is not sheet1.xml.
"""
import datetime
import os
import zipfile

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TaizhangFilesTests", "Fixtures")


def openpyxl_ledger(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "直属团组织"
    ws.append(["组织名称", "组织类型", "成立日期", "团员数", "联系电话", "备注"])
    ws.append([
        "安海镇商会团支部", "团支部", datetime.date(2012, 11, 5), 35, "13805951234",
        CellRichText(["红", TextBlock(InlineFont(b=True), "色"), "青年"]),
    ])
    # row 3 left out entirely; row 4 skips columns B and C
    ws["A4"] = "A&B <公司>"
    ws["D4"] = 3.5
    ws["F4"] = True
    ws["A5"] = "  前后空格  "
    ws["B5"] = "两\n行"
    ws["C5"] = datetime.date(2013, 2, 28)
    ws["D5"] = 0
    other = wb.create_sheet("其他")
    other["A1"] = "不应读到"
    wb.save(path)


def xlsxwriter_shared(path):
    import xlsxwriter
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("台账")
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["乡镇", "组织名称", "成立日期", "人数"], bold)
    ws.write_string(1, 0, "安海镇")
    ws.write_rich_string(1, 1, "安海", bold, "商会", "团支部")
    ws.write_datetime(1, 2, datetime.datetime(2012, 12, 15), date)
    ws.write_number(1, 3, 12)
    ws.write_string(3, 0, "安海镇")
    ws.write_string(3, 3, "0595")
    ws.write_formula(4, 3, "=D2*2", None, 24)
    wb.close()


HANDMADE_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:E3"/>
<!-- a comment with <c> inside -->
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t xml:space="preserve"> 行内 </x:t></x:is></x:c><x:c r="C1" t="str"><x:f>A1&amp;"x"</x:f><x:v>公式&amp;结果</x:v></x:c><x:c r="E1" t="e"><x:v>#N/A</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>文本</x:t></x:r><x:rPh sb="0" eb="1"><x:t>フ</x:t></x:rPh></x:is></x:c><x:c><x:v>3.2999999999999998</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>
<x:row r="7" spans="1:3"><x:c r="B7" t="inlineStr"><x:is><x:t>第一行_x000D_
第二行</x:t></x:is></x:c><x:c r="C7" t="inlineStr"><x:is><x:t><![CDATA[<原样> & 保留]]></x:t></x:is></x:c><x:c r="A7" t="inlineStr"><x:is><x:t>&#x4E2D;&#22269;&quot;&apos;</x:t></x:is></x:c></x:row>
<x:row r="8"/>
</x:sheetData>
</x:worksheet>
"""

HANDMADE_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><t>共享</t><rPh sb="0" eb="2"><t>きょうゆう</t></rPh></si>
<si><r><t>晋江</t></r><r><rPr><i/></rPr><t xml:space="preserve"> 安海</t></r></si>
</sst>
"""

HANDMADE_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="第一张" sheetId="2" rel:id="rIdB"/><sheet name="Sheet1" sheetId="1" rel:id="rIdA"/></sheets>
</workbook>
"""

HANDMADE_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rIdB" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>
"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>
"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>
"""


def handmade_features(path):
    decoy = HANDMADE_SHEET.split("<x:sheetData>")[0] + \
        '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>不应读到</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", HANDMADE_WORKBOOK),
            ("xl/_rels/workbook.xml.rels", HANDMADE_WORKBOOK_RELS),
            ("xl/sharedStrings.xml", HANDMADE_STRINGS),
            ("xl/worksheets/sheet1.xml", decoy),
            ("xl/worksheets/sheet2.xml", HANDMADE_SHEET),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2012, 12, 15, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    openpyxl_ledger(os.path.join(HERE, "openpyxl-ledger.xlsx"))
    xlsxwriter_shared(os.path.join(HERE, "xlsxwriter-shared.xlsx"))
    handmade_features(os.path.join(HERE, "handmade-features.xlsx"))
    print("wrote", sorted(os.listdir(HERE)))
