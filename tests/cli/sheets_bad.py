#!/usr/bin/env python3
"""Write the defective and hostile spreadsheets test_sheets.sh feeds to
chengyu import: small workbooks with one mistake each (openpyxl), the same
as CSV folders, and hand-built .xlsx packages that attack the reader (zip
bomb, 10^6 columns, entity expansion, a truncated zip, a sheet that is not
XML).

usage: sheets_bad.py OUTDIR
"""
import csv
import os
import sys
import zipfile

ENTERPRISES = [
    ["id", "name", "kind", "tier", "output_value"],
    ["oem", "Carmaker", "oem", 0, 1000],
    ["sup", "Supplier", "supplier", 1, 500],
    ["mat", "Material", "material", 2, 100],
]
LINKS = [
    ["from", "to", "part", "volume", "share"],
    ["sup", "oem", "seat", 300, 1],
    ["mat", "sup", "foam", 50, 0.5],
]


def good():
    return [r[:] for r in ENTERPRISES], [r[:] for r in LINKS]


def cases():
    """(name, enterprises rows, links rows, sheet names) with one mistake each."""
    e, l = good()
    e[2][2] = "suplier"                      # enterprises!C3: unknown kind
    yield "unknown-kind", e, l, None
    e, l = good()
    e[3][0] = None                           # enterprises!A4: missing id
    yield "missing-id", e, l, None
    e, l = good()
    l[2][0] = "nobody"                       # links!A3: unknown supplier
    yield "unknown-supplier", e, l, None
    e, l = good()
    l[1][3] = "12x4"                         # links!D2: bad number
    yield "bad-number", e, l, None
    e, l = good()
    e[3][0] = "sup"                          # enterprises!A4: duplicate of A3
    yield "duplicate-id", e, l, None
    e, l = good()
    e[0][1] = "nmae"                         # enterprises!B1: wrong header
    yield "wrong-header", e, l, None
    e, l = good()
    e[2][2] = True                           # enterprises!C3: a TRUE cell as kind
    yield "true-kind", e, l, None
    e, l = good()
    l[1][1] = "Carmaker"                     # links!B2: a name where the id goes
    yield "name-for-id", e, l, None
    e, l = good()
    l[2][0] = "MAT"                          # links!A3: an id in the wrong case
    yield "id-case", e, l, None
    e, l = good()
    yield "missing-sheet", e, l, ["enterprises", "link"]
    e, l = good()
    l[1][4] = "1,5"                          # links!E2: not thousands grouping
    yield "bad-grouping", e, l, None


def write_xlsx(path, e, l, names):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = names or ["enterprises", "links"]
    for name, rows in zip(names, [e, l]):
        ws = book.create_sheet(name)
        for r in rows:
            ws.append(r)
    book.save(path)


def write_csv(path, e, l, names):
    os.makedirs(path, exist_ok=True)
    names = names or ["enterprises", "links"]
    for name, rows in zip(names, [e, l]):
        with open(os.path.join(path, name + ".csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            for r in rows:
                w.writerow(["" if v is None else v for v in r])


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/content-types"/>')
WORKBOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets>'
            '<sheet name="enterprises" sheetId="1" r:id="rId1"/>'
            '<sheet name="links" sheetId="2" r:id="rId2"/></sheets></workbook>')
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships">'
        '<Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/>'
        '<Relationship Id="rId3" Type="x/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>')
HEAD = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>')
TAIL = '</sheetData></worksheet>'
LINKS_SHEET = (HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>from</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>to</t></is></c>'
               '<c r="C1" t="inlineStr"><is><t>part</t></is></c></row>' + TAIL)
ENT_SHEET = (HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>' + TAIL)
STRINGS = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><si><t>id</t></si><si><t>kind</t></si>'
           '<si><t>solo</t></si><si><r><t>o</t></r><r><t>em</t></r>'
           '<rPh><t>ignored</t></rPh></si></sst>')


def package(path, enterprises=ENT_SHEET, strings=STRINGS, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/worksheets/sheet1.xml", enterprises)
        z.writestr("xl/worksheets/sheet2.xml", LINKS_SHEET)


def hostile(out):
    # A valid hand-built package: shared strings with rich text and phonetic
    # runs, inline strings; imports as one enterprise "solo" of kind "oem".
    package(os.path.join(out, "handmade.xlsx"))
    # Zip bomb: 64 MB of blanks inside sheetData compress to about 64 KB.
    with zipfile.ZipFile(os.path.join(out, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet2.xml", LINKS_SHEET)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(HEAD.encode())
            block = b" " * (1 << 20)
            for _ in range(64):
                f.write(block)
            f.write(TAIL.encode())
    # 10^6 columns: one row of a million cells without references, and a
    # reference past XFD.
    wide = HEAD + '<row r="1">' + '<c><v>1</v></c>' * 1000000 + '</row>' + TAIL
    package(os.path.join(out, "wide.xlsx"), enterprises=wide)
    package(os.path.join(out, "far.xlsx"),
            enterprises=HEAD + '<row r="1"><c r="XFE1"><v>1</v></c></row>' + TAIL)
    # Entity expansion ("billion laughs") in the shared strings.
    lol = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + k)} "' + f"&{chr(97 + k)};" * 10 + '">'
                     for k in range(9))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<si><t>&j;</t></si></sst>')
    package(os.path.join(out, "laughs.xlsx"), strings=lol)
    # An external entity, which a careless reader would fetch.
    xxe = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<si><t>&x;</t></si></sst>')
    package(os.path.join(out, "xxe.xlsx"), strings=xxe)
    # A truncated zip: the first 60% of a good package.
    good_path = os.path.join(out, "handmade.xlsx")
    data = open(good_path, "rb").read()
    open(os.path.join(out, "truncated.xlsx"), "wb").write(data[: len(data) * 6 // 10])
    # A sheet that is not XML.
    package(os.path.join(out, "notxml.xlsx"), enterprises="id,kind\nsolo,oem\n")
    # A shared-string index that does not exist.
    package(os.path.join(out, "badindex.xlsx"),
            enterprises=HEAD + '<row r="1"><c r="A1" t="s"><v>99</v></c></row>' + TAIL)
    # A formula with no stored result (what a program that does not
    # calculate writes): read as empty it would drop the value silently.
    package(os.path.join(out, "formula.xlsx"),
            enterprises=HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1'
            '</v></c><c r="C1" t="inlineStr"><is><t>output_value</t></is></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c>'
            '<c r="C2"><f>SUM(D2:D9)</f></c></row>' + TAIL)
    # An empty cell that still says its type is a shared string: empty.
    package(os.path.join(out, "typedempty.xlsx"),
            enterprises=HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1'
            '</v></c><c r="C1" t="inlineStr"><is><t>name</t></is></c></row>'
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c>'
            '<c r="C2" t="s"/></row>' + TAIL)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, e, l, names in cases():
        write_xlsx(os.path.join(out, name + ".xlsx"), e, l, names)
        write_csv(os.path.join(out, name), e, l, names)
    hostile(out)


if __name__ == "__main__":
    main()
