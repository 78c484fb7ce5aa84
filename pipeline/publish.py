"""Downstream outputs over every release in an output folder:

- ``budget.duckdb``: all releases' amounts, programs and observations, and a
  ``program_series`` view giving each program's figures across releases,
  following renames (rules/aliases.yaml and the releases' own predecessor
  notes). Rebuilt from scratch each time, so re-running is idempotent.
- ``datapackage.json``: a Frictionless data package describing every
  release's amounts.csv and programs.csv (types, enums, keys).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import schema
from pipeline.errors import InputError, OutputError
from pipeline.files import folder_lock, frame, recorded_path, write_json
from pipeline.release_folder import ReleaseFolder, is_release_folder, read_release_folder
from pipeline.schema import AMOUNT_COLUMNS, AMOUNT_KEY, OBSERVATION_COLUMNS, PROGRAM_COLUMNS, PROGRAM_KEY

_COLUMNS = {c.name: c for table in (schema.AMOUNTS, schema.PROGRAMS, schema.OBSERVATIONS) for c in table}
TYPES = {name: c.type for name, c in _COLUMNS.items() if c.type != "string"}
# budget.duckdb's releases table: one row per release folder, from its meta.json and validation.json
RELEASE_COLUMNS = {"release": "string", "release_group": "string", "kind": "string", "input": "string",
                   "input_sha256": "string", "pages": "integer", "release_year": "integer", "release_stage": "string",
                   "supplementary_year": "integer", "validation": "string"}


def release_folders(out: Path) -> list[Path]:
    """Every release folder of out (one holding any file extract writes; not hidden)."""
    out = Path(out)
    if not out.is_dir():
        raise InputError(f"{out}: no such output folder", "input.output-folder")
    return sorted(f for f in out.iterdir() if f.is_dir() and not f.name.startswith(".") and is_release_folder(f))


def input_gone(read: ReleaseFolder) -> bool:
    """Has the input a release folder was extracted from been removed (so the
    release no longer belongs to what is published)?"""
    return not recorded_path(read.meta["input"], read.path).exists()


def read_releases(out: Path, warn=None) -> list[ReleaseFolder]:
    """Every release folder of out, read whole. A damaged one stops publish before
    the database is touched: each is reported on stderr, then one InputError (exit 3).
    A folder whose input is gone is left out, with a warning (``warn``, default stderr)."""
    releases, problems = [], []
    for f in release_folders(out):
        try:
            read = read_release_folder(f)
        except InputError as e:
            problems.append(e)
            continue
        if input_gone(read):
            (warn or _warn)(f"{f}: its input {read.meta['input']} is gone: left out of what is published "
                            f"(delete the folder, or put the input back)")
        else:
            releases.append(read)
    for problem in problems[:-1]:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        last = problems[-1]
        more = f" ({len(problems)} damaged release folders; nothing published)" if len(problems) > 1 else \
            "; nothing published"
        raise InputError(f"{last}{more}", last.exit_code, last.code)
    return releases


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# ------------------------------------------------------------------ database

def lineage(programs: list[dict], aliases: list[dict]) -> dict[str, str]:
    """program -> the latest name of its line (old -> new through aliases and
    predecessor notes). A program continued by two successors (a split) keeps
    its own name.

    >>> lineage([{"program": "B", "predecessor": "A"}, {"program": "C", "predecessor": ""}],
    ...         [{"old": "C0", "new": "C"}])
    {'A': 'B', 'C0': 'C'}
    """
    successors: dict[str, set[str]] = {}
    for p in programs:
        if p.get("predecessor"):
            successors.setdefault(p["predecessor"], set()).add(p["program"])
    for a in aliases:
        successors.setdefault(a["old"], set()).add(a["new"])
    out = {}
    for name in successors:
        current, seen = name, {name}
        while len(successors.get(current, ())) == 1:
            nxt = next(iter(successors[current]))
            if nxt in seen:
                break
            seen.add(nxt)
            current = nxt
        if current != name:
            out[name] = current
    return out


def _aliases() -> list[dict]:
    from pipeline.lineage import load_aliases
    return [{"old": a.old, "new": a.new} for a in load_aliases()[0]]


SERIES_VIEW = """
CREATE VIEW program_series AS
SELECT coalesce(l.series, a.program) AS series, a.program, a.parent, r.release_group, a.release,
       a.budget, a.stage, a.fiscal_year, a.amount_yen, a.amount_yen / 1e8 AS amount_oku,
       a."new", a.portion, a.approx
FROM amounts a
JOIN preferred_inputs r USING (release)
LEFT JOIN lineage l ON l.program = a.program
ORDER BY series, a.fiscal_year, a.budget, a.stage, r.release_group
"""

PREFERRED_VIEW = """
CREATE VIEW preferred_inputs AS
SELECT * FROM releases
QUALIFY row_number() OVER (PARTITION BY release_group ORDER BY (kind = 'pdf') DESC, release) = 1
"""


def collected(folders: list[ReleaseFolder]) -> dict[str, tuple[list[dict], list[str], dict[str, str]]]:
    """Every table over all releases, typed: name -> (rows, columns, column
    types) — amounts, programs, observations, and releases (one row per
    release folder, from its meta.json and validation.json)."""
    tables: dict[str, tuple[list[dict], list[str], dict[str, str]]] = {
        "amounts": ([], AMOUNT_COLUMNS, schema.COLUMN_TYPES), "programs": ([], PROGRAM_COLUMNS, schema.COLUMN_TYPES),
        "observations": ([], OBSERVATION_COLUMNS, schema.COLUMN_TYPES)}
    releases = []
    for read in folders:
        meta = read.meta
        releases.append({"release": meta["release"], "release_group": meta.get("release_group") or meta["release"],
                         "kind": meta.get("kind") or "", "input": meta["input"], "input_sha256": meta["input_sha256"],
                         "pages": meta.get("pages"), "release_year": meta.get("release_year"),
                         "release_stage": meta.get("release_stage"),
                         "supplementary_year": meta.get("supplementary_year"),
                         "validation": validation_status(read.path)})
        for name, (rows, _, _) in tables.items():
            rows.extend(_typed(read.tables[name]))
    tables["releases"] = (releases, list(RELEASE_COLUMNS), RELEASE_COLUMNS)
    return tables


def build_database(out: Path, folders: list[ReleaseFolder] | None = None) -> Path:
    """Rebuild out/budget.duckdb from every release folder in out/."""
    import duckdb
    tables = collected(read_releases(out) if folders is None else folders)
    frames = {name: frame(rows, cols, types) for name, (rows, cols, types) in tables.items()}
    line = lineage(tables["programs"][0], _aliases())
    frames["lineage"] = pd.DataFrame(sorted(line.items()), columns=["program", "series"])
    db = Path(out) / "budget.duckdb"
    try:
        with tempfile.TemporaryDirectory(prefix=".budget.duckdb.tmp-", dir=out) as work:
            tmp = Path(work) / "budget.duckdb"
            con = duckdb.connect(str(tmp))
            try:
                for name, df in frames.items():
                    con.register("df", df)
                    con.execute(f"CREATE TABLE {name} AS SELECT * FROM df")
                    con.unregister("df")
                con.execute(PREFERRED_VIEW)
                con.execute(SERIES_VIEW)
                con.execute("CHECKPOINT")   # everything in the file, no write-ahead log left beside it
            finally:
                con.close()
            _check_database(tmp, {name: len(df) for name, df in frames.items()})
            os.replace(tmp, db)
    except (OSError, duckdb.Error) as e:
        raise OutputError(f"{db}: cannot write the database ({_reason(e)}); the earlier one is kept",
                          "output.database") from e
    return db


def _reason(e: Exception) -> str:
    """What an OSError or a DuckDB error says, on one line ("No space left on device")."""
    return getattr(e, "strerror", None) or (str(e).splitlines() or [type(e).__name__])[0][:300]


def _check_database(path: Path, rows: dict[str, int]) -> None:
    """The new database, opened again read-only, holds every table with its
    rows and no write-ahead log: else it must not replace the old one."""
    import duckdb
    if Path(f"{path}.wal").exists():
        raise OSError(f"{path}.wal is left after the checkpoint")
    with duckdb.connect(str(path), read_only=True) as con:
        for name, n in rows.items():
            got = con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            if got != n:
                raise OSError(f"table {name} holds {got} rows, not {n}")


def _typed(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        t = dict(r)
        for k, v in r.items():
            if TYPES.get(k) == "integer" or k == "line":
                t[k] = int(v) if v not in ("", None) else None
            elif TYPES.get(k) == "decimal":
                t[k] = Decimal(v) if v not in ("", None) else None
            elif TYPES.get(k) == "boolean":
                t[k] = v == "true"
        out.append(t)
    return out


def validation_status(folder: Path) -> str:
    """passed / failed, as validation.json of the release folder says; empty
    when the folder was never validated (extract --pages-only)."""
    try:
        status = json.loads((Path(folder) / "validation.json").read_text(encoding="utf-8")).get("status", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return status if status in ("passed", "failed") else ""


# --------------------------------------------------------------- datapackage

def table_schema(columns: list[str], key: list[str]):
    """The frictionless Schema of a record table, from pipeline.schema: each
    column's type, description and enum; key columns and the ones every row
    has are required."""
    from frictionless import Schema, fields

    field_class = {"string": fields.StringField, "integer": fields.IntegerField, "boolean": fields.BooleanField,
                   "decimal": fields.NumberField}
    out = []
    for c in columns:
        col = _COLUMNS[c]
        cons: dict[str, Any] = {}
        if col.enum:
            cons["enum"] = list(col.enum)
        if c in key or col.required or (c in ("stage", "fiscal_year") and key):
            cons["required"] = True
        extra: dict[str, Any] = {"true_values": ["true"], "false_values": ["false"]} if col.type == "boolean" else {}
        out.append(field_class[col.type](name=c, description=col.description, constraints=cons, **extra))
    return Schema(fields=out, primary_key=key, missing_values=[""])


def _resource(name: str, path: str, title: str, schema, description: str | None = None):
    from frictionless import Dialect, Resource, formats
    return Resource(name=name, path=path, title=title, description=description, format="csv",
                    mediatype="text/csv", encoding="utf-8-sig",
                    dialect=Dialect(header=True, controls=[formats.CsvControl(delimiter=",")]), schema=schema)


def write_datapackage(out: Path, folders: list[ReleaseFolder] | None = None) -> Path:
    """out/datapackage.json describing every release's amounts.csv and programs.csv,
    built with frictionless' own Package, Resource and Schema."""
    from frictionless import Package

    resources = []
    for read in read_releases(out) if folders is None else folders:
        rel = read.path.name
        prog_name = f"{rel}-programs".lower()
        # figures whose owner, stage or year could not be determined (check=conflict) have no key
        undetermined = sum(not (r["program"] and r["stage"] and r["fiscal_year"]) for r in read.amounts)
        # the key without parent and round (often empty, and a key field may not be): unique unless a
        # name stands under two parents (文部科学省's share of two budgets) or has two supplementary
        # budgets of one year (R2補①, R2補②), which then leaves no key
        named_key = [k for k in AMOUNT_KEY if k not in ("parent", "supplementary_round")]
        named = [tuple(r[k] for k in named_key) for r in read.amounts]
        repeated = len(named) - len(set(named))
        keyless = undetermined or repeated
        amounts = table_schema(AMOUNT_COLUMNS, [] if keyless else ["release", *named_key])
        if not keyless:
            amounts.foreign_keys = [{"fields": ["release", "program"],
                                     "reference": {"resource": prog_name, "fields": ["release", "program"]}}]
        note = (f"{undetermined} figure(s) without a determined owner, stage or year (check=conflict): no primary key"
                if undetermined else
                f"{repeated} name(s) stand under two parents or have two supplementary rounds: no primary key"
                if repeated else None)
        resources.append(_resource(f"{rel}-amounts".lower(), f"{rel}/amounts.csv", f"Budget facts of {rel}", amounts, note))
        resources.append(_resource(prog_name, f"{rel}/programs.csv", f"Programs of {rel}",
                                   table_schema(PROGRAM_COLUMNS, ["release", *PROGRAM_KEY])))
    package = Package(
        name="japanese-ministry-budget-records",
        title="Budget figures of Japanese ministry budget releases, with provenance",
        description="Written by `python -m pipeline extract` (budget-pipeline). Every amount carries "
                    "its page, exact source text and rule; see README.md for the semantics.",
        resources=resources)
    path = Path(out) / "datapackage.json"
    schemas = write_json_schemas(out)
    described = {**package.to_dict(), "schema_version": schema.SCHEMA_VERSION,
                 "json_schemas": {table: rel for table, rel in schemas.items()}}
    name = Path(out) / f".datapackage.json.{os.getpid()}.tmp"   # (not mkstemp: its file is private, mode 600)
    try:
        write_json(Path(name), described)
        os.replace(name, path)
    except OSError as e:
        raise OutputError(f"{path}: cannot write the data package ({e.strerror or e})", "output.datapackage") from e
    finally:
        Path(name).unlink(missing_ok=True)
    return path


def write_json_schemas(out: Path) -> dict[str, str]:
    """out/schemas/<table>.schema.json, the JSON Schema of each release's
    <table>.json (pipeline.schema.json_schema); table -> its path in out."""
    from pipeline.release_folder import TABLES
    folder = Path(out) / "schemas"
    written = {}
    try:
        folder.mkdir(exist_ok=True)
        for table, columns in TABLES.items():
            target = folder / f"{table}.schema.json"
            tmp = folder / f".{target.name}.tmp"
            write_json(tmp, schema.json_schema(table, columns))
            os.replace(tmp, target)
            written[table] = f"schemas/{target.name}"
    except OSError as e:
        raise OutputError(f"{folder}: cannot write the JSON Schemas ({e.strerror or e})", "output.datapackage") from e
    return written


def publish(out: Path) -> tuple[Path, Path, Path]:
    """The database, the data package (with its JSON Schemas) and the
    workbook from the release folders of out, each read once and whole,
    under the folder's publish lock (``.budget.duckdb.lock``): two publishes
    take turns, and each leaves a complete database or the earlier one."""
    from pipeline.workbook import write_workbook
    folders = read_releases(out)
    with folder_lock(Path(out) / "budget.duckdb"):
        db, package = build_database(out, folders), write_datapackage(out, folders)
        return db, package, write_workbook(Path(out) / "budget.xlsx", collected(folders))
