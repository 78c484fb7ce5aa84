"""The output files: how each is written (and read back), and a folder
written all at once.

- Record tables: CSV (UTF-8 with BOM, for Excel), JSON and Parquet, their
  columns from pipeline.schema (:func:`write_table`, :func:`read_csv`).
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
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import OutputError
from pipeline.schema import BOOL_COLUMNS, INT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


# ------------------------------------------------------------------ folders

@contextmanager
def replaced_folder(target: Path):
    """Yield a temporary folder beside ``target``; when the block ends without
    an error it replaces ``target`` whole, else it is removed and ``target``
    stays as it was. The previous ``target`` is kept as ``.NAME.old`` until the
    new one is in place (a run that died between the two renames is mended
    by the next)."""
    target = Path(target)
    out, name = target.parent, target.name
    try:
        out.mkdir(parents=True, exist_ok=True)
        old = out / f".{name}.old"
        if old.exists() and not target.exists():   # a run died between its two renames
            os.replace(old, target)
        for stale in out.glob(f".{name}.tmp-*"):   # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=out))
    except OSError as e:
        raise OutputError(f"{out}: cannot write output folder ({e.strerror})", "output.folder") from e
    try:
        yield tmp
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
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def release_dir(out: Path, release: str):
    """The release's output folder ``out/release``, written all at once (see :func:`replaced_folder`)."""
    return replaced_folder(Path(out) / release)


def write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_jsonl(path: Path, records) -> None:
    """One JSON object per line, UTF-8 (orjson: a large deck has tens of thousands of lines)."""
    import orjson
    with open(path, "wb") as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in records))


# ------------------------------------------------------------------ record tables

def csv_value(value) -> str:
    """How a value is written in CSV: booleans as true/false, None as empty.

    >>> csv_value(True), csv_value(None), csv_value(2026)
    ('true', '', '2026')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([csv_value(r.get(c)) for c in columns])


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """The rows as a DataFrame typed by the schema (nullable Int64, boolean, string)."""
    import pandas as pd
    df = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    for c in columns:
        if c in INT_COLUMNS:
            df[c] = df[c].astype("Int64")
        elif c in BOOL_COLUMNS:
            df[c] = df[c].astype("boolean")
        else:
            df[c] = df[c].fillna("").astype("string")
    return df


def write_table(folder: Path, name: str, rows: list[dict], columns: list[str], meta: dict) -> None:
    """name.csv, name.json and name.parquet; JSON and Parquet carry the provenance meta."""
    write_csv(folder / f"{name}.csv", rows, columns)
    import orjson
    with open(folder / f"{name}.json", "wb") as f:
        f.write(orjson.dumps({**meta, "columns": columns, "records": [{c: r.get(c) for c in columns} for r in rows]},
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
