"""Reading a release output folder back: the one reader that validate,
review, diff and publish use.

A folder is read whole or refused (InputError, exit 3, one line): meta.json
must be a JSON object naming its release; every table must be UTF-8 CSV with
exactly the schema's columns, whole rows, integers and booleans where the
schema says so, and allowed values in enum columns; where meta.json records a
table's row count and sha256 (written by extract), the file must still have
them. So a file cut at a row boundary, re-saved by a spreadsheet or edited by
hand is caught, not read as a smaller release.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.schema import AMOUNTS, OBSERVATIONS, PROGRAMS, SCHEMA_VERSION, Column

TABLES: dict[str, tuple[Column, ...]] = {"amounts": AMOUNTS, "programs": PROGRAMS, "observations": OBSERVATIONS}
DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
MANIFEST_FILES = ("amounts.csv", "programs.csv", "observations.csv", "pages.jsonl")


@dataclass
class ReleaseFolder:
    path: Path
    meta: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)   # name -> rows as CSV strings (like csv.DictReader)

    @property
    def amounts(self) -> list[dict]:
        return self.tables["amounts"]

    @property
    def programs(self) -> list[dict]:
        return self.tables["programs"]

    @property
    def observations(self) -> list[dict]:
        return self.tables["observations"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_manifest(folder: Path) -> dict[str, dict]:
    """What meta.json records of each table file written so far: its sha256 and,
    for a table, its row count (the reader checks both)."""
    out = {}
    for name in MANIFEST_FILES:
        path = Path(folder) / name
        if path.exists():
            data = path.read_bytes()
            entry: dict = {"sha256": _sha256(data)}
            if name.endswith(".csv"):
                entry["rows"] = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))) - 1
            out[name] = entry
    return out


def damaged(folder: Path, what: str) -> InputError:
    return InputError(f"{folder}: damaged release folder ({what}); extract it again", "input.damaged-output")


def read_meta(folder: Path) -> dict:
    """meta.json of a release folder, checked: a JSON object with a release id."""
    folder = Path(folder)
    path = folder / "meta.json"
    if not folder.is_dir():
        raise InputError(f"{folder}: no such release folder", "input.not-release-folder")
    if not path.is_file():
        raise InputError(f"{folder}: not a release output folder (no meta.json; run extract first)",
                         "input.not-release-folder")
    try:
        meta = json.loads(path.read_bytes().decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise damaged(folder, f"meta.json is not valid JSON: {e}") from None
    if not isinstance(meta, dict):
        raise damaged(folder, f"meta.json holds a {type(meta).__name__}, not an object")
    for key in ("release", "input", "input_sha256"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise damaged(folder, f"meta.json has no {key}")
    if meta.get("schema_version", 1) != SCHEMA_VERSION:
        raise InputError(f"{folder}: written with record schema version {meta.get('schema_version', 1)}, this "
                         f"pipeline reads version {SCHEMA_VERSION} (CHANGELOG.md); extract it again",
                         "input.schema-version")
    return meta


def _no_constant(name: str):
    raise ValueError(f"{name} is no JSON value")


def _cell_error(column: Column, value: str) -> str | None:
    """What is wrong with one CSV cell of a schema column, or None.

    >>> yen, oku = (next(c for c in AMOUNTS if c.name == n) for n in ("amount_yen", "amount_oku"))
    >>> _cell_error(yen, "8.52e10"), _cell_error(yen, "8520000000"), _cell_error(oku, "85.2"), _cell_error(oku, "1E-8")
    ("amount_yen '8.52e10' is not an integer", None, None, "amount_oku '1E-8' is not a decimal number")
    """
    if value == "":
        return f"{column.name} is empty" if column.required else None
    if column.type == "integer" and not (value.lstrip("-").isdecimal() and value.isascii()):
        return f"{column.name} {value!r} is not an integer"
    if column.type == "decimal" and not DECIMAL.fullmatch(value):
        return f"{column.name} {value!r} is not a decimal number"
    if column.type == "boolean" and value not in ("true", "false"):
        return f"{column.name} {value!r} is not true or false"
    if column.enum and value not in column.enum:
        return f"{column.name} {value!r} is not one of {', '.join(column.enum)}"
    return None


def _can_be_wrong(column: Column) -> bool:
    """Can _cell_error find anything wrong in a cell of this column? Not in a
    text column that may be empty and takes any value.

    >>> program, release, year = (next(c for c in AMOUNTS if c.name == n) for n in ("program", "release", "fiscal_year"))
    >>> _can_be_wrong(program), _can_be_wrong(release), _can_be_wrong(year)
    (False, True, True)
    """
    return column.required or column.type != "string" or bool(column.enum)


def read_table(folder: Path, name: str, meta: dict) -> list[dict]:
    """One table of the folder (name.csv) as rows of strings, checked against
    the schema and against meta.json's record of it."""
    columns = TABLES[name]
    path = Path(folder) / f"{name}.csv"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise damaged(folder, f"no {name}.csv") from None
    recorded = _recorded(meta, f"{name}.csv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise damaged(folder, f"{name}.csv is not UTF-8 at byte {e.start}") from None
    if not text:
        raise damaged(folder, f"{name}.csv is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    want = [c.name for c in columns]
    if header != want:
        missing = [c for c in want if c not in header]
        unknown = [c for c in header if c not in want]
        detail = "; ".join(p for p in (f"missing {', '.join(missing)}" if missing else "",
                                       f"unknown {', '.join(unknown)}" if unknown else "") if p) or "another order"
        raise damaged(folder, f"{name}.csv has not the schema's columns ({detail})")
    rows = []
    checked = [(k, c) for k, c in enumerate(columns) if _can_be_wrong(c)]   # the others take any text
    for number, cells in enumerate(reader, start=2):
        if len(cells) != len(want):
            raise damaged(folder, f"{name}.csv row {number} has {len(cells)} of {len(want)} cells (cut short?)")
        for k, column in checked:
            problem = _cell_error(column, cells[k])
            if problem:
                raise damaged(folder, f"{name}.csv row {number}: {problem}")
        rows.append(dict(zip(want, cells)))
    if isinstance(recorded.get("rows"), int) and recorded["rows"] != len(rows):
        raise damaged(folder, f"{name}.csv has {len(rows)} rows, meta.json records {recorded['rows']}")
    if recorded.get("sha256") not in (None, _sha256(data)):
        raise damaged(folder, f"{name}.csv changed since extract (sha256 differs from meta.json)")
    return rows


def _recorded(meta: dict, name: str) -> dict:
    """What meta.json recorded of a file at extract ({} for a folder written before it did)."""
    files = meta.get("files")
    entry = files.get(name) if isinstance(files, dict) else None
    return entry if isinstance(entry, dict) else {}


def read_pages(folder: Path, meta: dict) -> list[dict]:
    """pages.jsonl of the folder, checked like the tables (whole JSON lines, the recorded sha256)."""
    path = Path(folder) / "pages.jsonl"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise damaged(folder, "no pages.jsonl") from None
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise damaged(folder, f"pages.jsonl is not UTF-8 at byte {e.start}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except ValueError:
            raise damaged(folder, f"pages.jsonl line {number} is not JSON (cut short?)") from None
    if _recorded(meta, "pages.jsonl").get("sha256") not in (None, _sha256(data)):
        raise damaged(folder, "pages.jsonl changed since extract (sha256 differs from meta.json)")
    return records


def is_release_folder(folder: Path) -> bool:
    """Does the folder hold any file extract writes (so it must read whole)?"""
    return any((Path(folder) / name).exists() for name in ("meta.json", *MANIFEST_FILES))


def read_release_folder(folder: Path, tables: tuple[str, ...] = tuple(TABLES)) -> ReleaseFolder:
    """meta.json and the named tables of a release folder, each checked (see the module)."""
    folder = Path(folder)
    meta = read_meta(folder)
    return ReleaseFolder(folder, meta, {name: read_table(folder, name, meta) for name in tables})
