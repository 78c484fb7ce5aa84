"""Writing the record tables: CSV (UTF-8 with BOM, for Excel), JSON, Parquet."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from pipeline.schema import AMOUNT_COLUMNS, BOOL_COLUMNS, INT_COLUMNS, OBSERVATION_COLUMNS  # noqa: F401


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
