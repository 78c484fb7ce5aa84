"""output/budget.xlsx: every release's tables in one workbook, for Excel.

One sheet per table (amounts, programs, observations, releases) over all
releases, in the order publish reads them. Row 1 holds the column names of
the contract, row 2 their Japanese headers (schema.JAPANESE); both stay in
view (frozen) and row 2 carries the autofilter. Integers and 億円 are
numbers (amount_oku shown as 852億円), booleans TRUE/FALSE, text as text
(never read as a formula or a link). Written with XlsxWriter, whose zip
entries carry a fixed date, and with a fixed creation date: the same
releases give the same bytes.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from pipeline.errors import OutputError
from pipeline.schema import JAPANESE

CREATED = datetime.datetime(2026, 1, 1)   # a fixed document date: no clock in any output
FORMATS = {"amount_oku": {"num_format": 'General"億円"'}, "amount_yen": {"num_format": "#,##0"}}
WIDTHS = {"program": 40, "parent": 30, "source": 40, "category": 30, "release": 28}


def write_workbook(path: Path, sheets: dict[str, tuple[list[dict], list[str], dict[str, str]]]) -> Path:
    """Write ``sheets`` (name -> (typed rows, columns, column types)) to
    ``path`` through a temporary file beside it (an earlier workbook stays
    whole if the write fails)."""
    import xlsxwriter
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        book.set_properties({"title": "Budget figures of Japanese ministry budget releases", "created": CREATED})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        formats = {c: book.add_format(f) for c, f in FORMATS.items()}
        for name, (rows, columns, types) in sheets.items():
            sheet = book.add_worksheet(name)
            for k, c in enumerate(columns):
                sheet.write_string(0, k, c, header)
                sheet.write_string(1, k, JAPANESE.get(c, c), header)
                sheet.set_column(k, k, WIDTHS.get(c, 14), formats.get(c))
            for r, row in enumerate(rows, start=2):
                for k, c in enumerate(columns):
                    cell(sheet, r, k, row.get(c), types.get(c, "string"), formats.get(c))
            sheet.freeze_panes(2, 0)
            sheet.autofilter(1, 0, max(1, len(rows) + 1), max(0, len(columns) - 1))
        book.close()
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(f"{path}: cannot write the workbook ({e.strerror or e})", "output.workbook") from e
    finally:
        tmp.unlink(missing_ok=True)
    return path


def cell(sheet, r: int, k: int, value, kind: str, fmt) -> None:
    """One cell: empty for None or "", a number, a boolean, else text."""
    if value is None or value == "":
        return
    if kind in ("integer", "decimal"):
        sheet.write_number(r, k, float(value) if kind == "decimal" else int(value), fmt)
    elif kind == "boolean":
        sheet.write_boolean(r, k, bool(value))
    else:
        sheet.write_string(r, k, str(value))
