#!/usr/bin/env python3
"""Write a chengyu/1 JSON network as spreadsheet tables, independently of
chengyu: an .xlsx workbook through openpyxl, or a folder of CSV files
through Python's csv module (UTF-8 with a byte-order mark, or GB18030 as
Excel on Chinese Windows writes it).

usage: sheets_write.py xlsx|csv IN.json OUT [--chinese] [--encoding ENC]
                       [--text-numbers] [--shuffle-columns]

--chinese         Chinese headers (编号, 名称, ...), Chinese sheet/file names and,
                  on every other row, Chinese kinds (整车厂, 供应商, ...)
--text-numbers    amounts as text with thousands separators ("1,234,567"),
                  shares as percentages ("60%") where exact
--shuffle-columns columns in reverse order (the header decides, not the position)
"""
import csv
import json
import os
import sys

SHEETS = ["regions", "clusters", "parks", "enterprises", "links"]
SHEET_ZH = {"regions": "地区", "clusters": "产业集群", "parks": "园区",
            "enterprises": "企业", "links": "供应关系", "network": "网络"}
COLUMNS = {
    "regions": ["id", "name", "inside", "source", "meta"],
    "clusters": ["id", "name", "sector", "region", "source", "meta"],
    "parks": ["id", "name", "region", "demonstration", "longitude", "latitude",
              "source", "meta"],
    "enterprises": ["id", "name", "name_zh", "uscc", "kind", "tier", "region", "park",
                    "clusters", "output_value", "capacity", "inventory_days",
                    "recovery_days", "produces", "requires", "longitude",
                    "latitude", "source", "meta"],
    "links": ["from", "to", "part", "volume", "share", "source", "meta"],
    "network": ["name", "description", "meta"],
}
ZH = {"id": "编号", "name": "名称", "name_zh": "中文名称", "uscc": "统一社会信用代码",
      "kind": "类型", "tier": "层级", "region": "地区", "park": "园区",
      "clusters": "产业集群", "output_value": "产值", "capacity": "产能",
      "inventory_days": "库存天数", "recovery_days": "恢复天数", "produces": "产品",
      "requires": "需求", "from": "供应方", "to": "采购方", "part": "零部件",
      "volume": "金额", "share": "份额", "source": "来源", "longitude": "经度",
      "latitude": "纬度", "sector": "行业", "demonstration": "示范园区", "inside": "成渝圈内",
      "description": "描述", "meta": "元数据"}
SEPARATORS = ["; ", "；", "、"]
KIND_ZH = {"oem": "整车厂", "supplier": "供应商", "material": "原材料", "service": "服务"}
CHINESE = False


def join_list(values, row):
    if not values:
        return "[]"
    escaped = []
    for v in values:
        for sep in [";", "；", "、"]:
            v = v.replace(sep, "\\" + sep)
        escaped.append(v)
    return SEPARATORS[row % 3].join(escaped)


def grouped(x):
    """An amount as text with thousands separators, when that is exact."""
    if float(x) == int(x) and abs(x) < 2 ** 53:
        return f"{int(x):,}"
    return repr(float(x))


def cell(record, key, row, text_numbers, for_csv):
    if key in ("longitude", "latitude"):
        loc = record.get("location")
        return None if loc is None else loc[0 if key == "longitude" else 1]
    if key not in record:
        return None
    v = record[key]
    if key in ("clusters", "produces", "requires"):
        return join_list(v, row)
    if key == "meta":
        if isinstance(v, str):
            try:
                json.loads(v)
            except ValueError:
                return v
        return json.dumps(v, ensure_ascii=False)
    if key == "kind" and CHINESE and row % 2:
        return KIND_ZH[v]
    if key in ("demonstration", "inside"):
        if for_csv:
            return ["否", "是"][v] if row % 2 else ["false", "true"][v]
        return v
    if text_numbers and key in ("output_value", "capacity", "volume") and row % 2 == 0:
        return grouped(v)
    if text_numbers and key == "share" and row % 2 == 1 and v * 100 == round(v * 100, 6) \
            and float(repr(v * 100)) / 100 == v:
        return repr(v * 100) + "%"
    if for_csv and isinstance(v, float):
        return repr(v)
    return v


def tables(doc, text_numbers, for_csv):
    """(sheet name, header keys, rows) for each table, network first."""
    top = {k: doc[k] for k in ("name", "description", "meta") if k in doc}
    yield "network", COLUMNS["network"], [[cell(top, k, 0, False, for_csv)
                                           for k in COLUMNS["network"]]]
    for sheet in SHEETS:
        if sheet not in doc:
            continue
        keys = COLUMNS[sheet]
        rows = [[cell(r, k, i, text_numbers, for_csv) for k in keys]
                for i, r in enumerate(doc[sheet])]
        yield sheet, keys, rows


def arrange(keys, rows, chinese, shuffle):
    header = [ZH[k] if chinese else k for k in keys]
    if shuffle:
        header = header[::-1]
        rows = [r[::-1] for r in rows]
    return header, rows


def write_xlsx(doc, out, chinese, text_numbers, shuffle):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    readme = book.create_sheet("notes")
    readme.append(["a sheet chengyu does not know: ignored"])
    for sheet, keys, rows in tables(doc, text_numbers, False):
        ws = book.create_sheet(SHEET_ZH[sheet] if chinese else sheet)
        header, rows = arrange(keys, rows, chinese, shuffle)
        ws.append(header)
        for r in rows:
            ws.append(r)
    book.save(out)


def write_csv(doc, out, chinese, text_numbers, shuffle, encoding):
    os.makedirs(out, exist_ok=True)
    for sheet, keys, rows in tables(doc, text_numbers, True):
        name = (SHEET_ZH[sheet] if chinese else sheet) + ".csv"
        header, rows = arrange(keys, rows, chinese, shuffle)
        with open(os.path.join(out, name), "w", encoding=encoding, newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for r in rows:
                w.writerow(["" if v is None else v for v in r])


def main():
    args = sys.argv[1:]
    kind, src, out = args[0], args[1], args[2]
    chinese = "--chinese" in args
    global CHINESE
    CHINESE = chinese
    text_numbers = "--text-numbers" in args
    shuffle = "--shuffle-columns" in args
    encoding = "utf-8-sig"
    if "--encoding" in args:
        encoding = args[args.index("--encoding") + 1]
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    if kind == "xlsx":
        write_xlsx(doc, out, chinese, text_numbers, shuffle)
    else:
        write_csv(doc, out, chinese, text_numbers, shuffle, encoding)


if __name__ == "__main__":
    main()
