"""The output files: how each is written (and read back), and a folder
written all at once.

- Record tables: CSV (UTF-8 with BOM, for Excel), JSON (plain records:
  ``pd.read_json(path)`` reads it) and Parquet, their columns from
  pipeline.schema (:func:`write_table`, :func:`read_csv`).
- JSON and JSON Lines (:func:`write_json`, :func:`write_jsonl`).
- A folder is written into a temporary folder next to its target and swapped
  into place at the end (:func:`replaced_folder`), so a failed or killed run
  leaves the previous complete output untouched.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import OutputError
from pipeline.schema import COLUMN_TYPES

if TYPE_CHECKING:
    import pandas as pd


# ------------------------------------------------------------------ folders

@contextmanager
def folder_lock(target: Path):
    """Hold ``.NAME.lock`` beside ``target`` (an exclusive ``flock``) while the
    block runs: a second run writing the same folder waits for the first. The
    lock file stays (it is empty and hidden); the lock goes with the process,
    so a killed run never leaves it held."""
    import fcntl
    lock = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{target.parent}: cannot write output folder ({e.strerror})", "output.folder") from e
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _is_temp_of(entry: str, name: str) -> bool:
    """Is ``entry`` a temporary folder of ``name`` (``.NAME.tmp-XXXX``, as
    mkdtemp makes them)? An exact prefix, never a glob: ``r[1]`` is not ``r1``.

    >>> _is_temp_of(".r[1].tmp-ab_c9", "r[1]"), _is_temp_of(".r1.tmp-abc", "r[1]"), _is_temp_of(".r.tmp-a.tmp-x", "r")
    (True, False, False)
    """
    prefix = f".{name}.tmp-"
    rest = entry[len(prefix):]
    return entry.startswith(prefix) and rest != "" and all(c.isalnum() or c == "_" for c in rest)


@contextmanager
def replaced_folder(target: Path):
    """Yield a temporary folder beside ``target``; when the block ends without
    an error it replaces ``target`` whole, else it is removed and ``target``
    stays as it was. The whole write holds the folder's lock
    (:func:`folder_lock`), so two runs of one release take turns, and only the
    lock holder removes what killed runs left (``.NAME.tmp-*``; the previous
    ``target``, kept as ``.NAME.old`` until the new one is in place, is put
    back if a run died between the two renames). Any OSError of the file
    system — a full disk, an immutable folder — is an OutputError (exit 5)."""
    target = Path(target)
    out, name = target.parent, target.name
    if name in ("", ".", "..") or name.startswith("."):
        raise OutputError(f"{target}: not a usable folder name", "output.folder-name")
    with folder_lock(target):
        if target.is_symlink():
            raise OutputError(f"{target}: is a symbolic link; a release folder is replaced whole, "
                              "so remove the link or choose another --out", "output.symlink")
        old = out / f".{name}.old"
        tmp = None
        try:
            if old.exists() and not target.exists():   # a run died between its two renames
                os.replace(old, target)
            for entry in os.listdir(out):              # left by runs that were killed: we hold the lock
                if _is_temp_of(entry, name):
                    shutil.rmtree(out / entry, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=out))
        except OSError as e:
            raise OutputError(f"{out}: cannot write output folder ({e.strerror})", "output.folder") from e
        try:
            try:
                yield tmp
            except OSError as e:
                raise OutputError(f"{target}: cannot write the release folder ({e.strerror or e})",
                                  "output.write") from e
            try:
                tmp.chmod(0o755)
                if old.exists():
                    shutil.rmtree(old)
                if target.exists():
                    os.replace(target, old)
                try:
                    os.replace(tmp, target)
                except BaseException:
                    if old.exists() and not target.exists():   # put the earlier output back
                        os.replace(old, target)
                    raise
                if old.exists():
                    shutil.rmtree(old)
            except OSError as e:
                raise OutputError(f"{target}: cannot replace the release folder ({e.strerror or e})",
                                  "output.replace") from e
        finally:
            if tmp is not None and tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def release_dir(out: Path, release: str):
    """The release's output folder ``out/release``, written all at once (see :func:`replaced_folder`)."""
    return replaced_folder(Path(out) / release)


def portable_path(path: Path, out: Path) -> str:
    """A path as outputs write it: relative to the output folder ``out``, with
    / separators, so two checkouts in different places write the same bytes.

    >>> portable_path(Path("/w/raw/a.pdf"), Path("/w/output")), portable_path(Path("/w/output/x"), Path("/w/output"))
    ('../raw/a.pdf', 'x')
    """
    return Path(os.path.relpath(Path(path).resolve(), Path(out).resolve())).as_posix()


def recorded_path(text: str, release_folder: Path) -> Path:
    """The file a release folder's meta.json names (:func:`portable_path`:
    relative to the folder's output folder; an absolute path, as older
    folders wrote it, as it is).

    >>> recorded_path("../raw/a.pdf", Path("output/r")), recorded_path("/abs/a.pdf", Path("output/r"))
    (PosixPath('output/../raw/a.pdf'), PosixPath('/abs/a.pdf'))
    """
    path = Path(text)
    return path if path.is_absolute() else Path(release_folder).parent / path


def write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_jsonl(path: Path, records: list[dict]) -> None:
    """One JSON object per line, UTF-8. Flat records (no object inside one),
    all with the same first key: a large deck has tens of thousands, dumped in
    one orjson call and cut apart where ``},{"<first key>":`` stands (never
    inside a string, where orjson escapes the quote)."""
    import orjson
    with open(path, "wb") as f:
        if records:
            key = orjson.dumps(next(iter(records[0]))) + b":"
            f.write(orjson.dumps(records)[1:-1].replace(b"},{" + key, b"}\n{" + key) + b"\n")


# ------------------------------------------------------------------ record tables

DECIMAL_DIGITS, DECIMAL_PLACES = 24, 8   # a decimal column (億円): yen / 10^8 is exact in 8 places

def csv_value(value) -> str:
    """How a value is written in CSV: booleans as true/false, None as empty,
    a decimal in plain digits.

    >>> csv_value(True), csv_value(None), csv_value(2026), csv_value(Decimal("1E-8"))
    ('true', '', '2026', '0.00000001')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return "" if value is None else str(value)


def json_value(value):
    """What orjson cannot write itself: a decimal, as the JSON number of its digits.

    >>> json_value(Decimal("583.5")), json_value(Decimal("852"))
    (583.5, 852)
    """
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)   # ≤ 15 significant digits (yen / 10^8): the shortest float text is exact
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([csv_value(r.get(c)) for c in columns])


def frame(rows: list[dict], columns: list[str], types: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows as a DataFrame typed by the schema (or by ``types``, column ->
    schema type): nullable Int64, boolean, a 24.8 decimal, string (None
    becomes ""). Built column by column, each typed as it is made: a third of
    the time of a frame of row dicts retyped."""
    import pandas as pd
    types = types or COLUMN_TYPES
    data = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        kind = types.get(c, "string")
        if kind == "integer":
            data[c] = pd.array(values, dtype="Int64")
        elif kind == "decimal":
            import pyarrow as pa
            data[c] = pd.array([None if v in ("", None) else Decimal(v) for v in values],
                               dtype=pd.ArrowDtype(pa.decimal128(DECIMAL_DIGITS, DECIMAL_PLACES)))
        elif kind == "boolean":
            data[c] = pd.array(values, dtype="boolean")
        else:
            data[c] = pd.array(["" if v is None else v for v in values], dtype="string")
    return pd.DataFrame(data, columns=columns)


def write_table(folder: Path, name: str, rows: list[dict], columns: list[str], meta: dict) -> None:
    """name.csv, name.json (a list of records, nothing around it: the release,
    input and sha256 are in meta.json) and name.parquet (which carries them
    as its ``provenance`` metadata)."""
    write_csv(folder / f"{name}.csv", rows, columns)
    import orjson
    with open(folder / f"{name}.json", "wb") as f:
        f.write(orjson.dumps([{c: r.get(c) for c in columns} for r in rows], default=json_value,
                             option=orjson.OPT_INDENT_2) + b"\n")
    df = frame(rows, columns)
    df.attrs = {}
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"provenance": json.dumps(meta, ensure_ascii=False).encode()})
    pq.write_table(table, folder / f"{name}.parquet")


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
