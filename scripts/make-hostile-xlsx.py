#!/usr/bin/env python3
"""Writes the two hostile uploads of issue 15 for scripts/bench-upload-memory.

inflating.xlsx: a real workbook whose one sheet inflates to SHEET_MB (default 1000) megabytes of
    repeated rows, about 1000:1 — within a naive zip check's ratio limits.
large.xlsx: the same rows inflating to 250 MB, inside the web upload's limits (256 MiB, 100,000 rows).
lying.xlsx: the same shape inflating to LYING_GB (default 2, at most just under 2 GiB) gigabytes, whose local header and
    central directory both claim the sheet is 10 MB.
Usage: scripts/make-hostile-xlsx.py OUTDIR [SHEET_MB] [LYING_GB]"""
import os, struct, sys, zipfile

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '</Relationships>')


def write(path, sheet_bytes, claim=None):
    # A real ledger header, then rows the importer reads: a township and a 1,000-character name,
    # so the sheet passes the header check and is read row after row until a limit stops it.
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c t="inlineStr"><is><t>乡镇（街道）</t></is></c>'
            '<c t="inlineStr"><is><t>团组织名称</t></is></c></row>').encode()
    row = ('<row><c t="inlineStr"><is><t>安海镇</t></is></c><c t="inlineStr"><is><t>'
           + "泉州某某有限公司团支部" * 91 + '</t></is></c></row>').encode() * 16
    tail = b'</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as sheet:
            sheet.write(head)
            written = len(head)
            while written < sheet_bytes:
                sheet.write(row)
                written += len(row)
            sheet.write(tail)
    if claim is not None:
        lie(path, "xl/worksheets/sheet1.xml", claim)


def lie(path, name, size):
    """Rewrites the uncompressed size of `name` in its local header and central directory entry."""
    data = bytearray(open(path, "rb").read())
    encoded = name.encode()
    patched = 0
    i = 0
    while True:
        i = data.find(encoded, i)
        if i < 0:
            break
        if data[i - 30:i - 26] == b"PK\x03\x04":   # local header: size at offset 22
            struct.pack_into("<I", data, i - 30 + 22, size)
            patched += 1
        elif data[i - 46:i - 42] == b"PK\x01\x02":  # central directory: size at offset 24
            struct.pack_into("<I", data, i - 46 + 24, size)
            patched += 1
        i += len(encoded)
    if patched != 2:
        raise SystemExit(f"patched {patched} size fields of {name}, expected 2 (zip64 sheets keep theirs in an extra field)")
    open(path, "wb").write(bytes(data))


def main():
    out = sys.argv[1]
    sheet_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    lying_gb = float(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "inflating.xlsx"), sheet_mb << 20)
    # Just inside the web's 256 MiB sheet limit and its 100,000 rows: read to the end.
    write(os.path.join(out, "large.xlsx"), 250 << 20)
    # Under 2 GiB, where Python's zipfile keeps the sizes in the classic fields the lie rewrites.
    write(os.path.join(out, "lying.xlsx"), min(int(lying_gb * (1 << 30)), (1 << 31) - (1 << 21)), claim=10 << 20)
    for name in ("inflating.xlsx", "large.xlsx", "lying.xlsx"):
        print(name, os.path.getsize(os.path.join(out, name)), "bytes")


if __name__ == "__main__":
    main()
