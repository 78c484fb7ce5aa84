"""raw/sources.json (and the sources.json beside any input): what an input
is, which release it belongs to, its rule pack and its hand-verified golden."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import UsageError

PROJECT = Path(__file__).resolve().parent.parent


def source_entry(input_path: Path) -> tuple[dict | None, Path | None]:
    """(entry, manifest path) of an input in the sources.json beside it."""
    input_path = Path(input_path)
    manifest = input_path.parent / "sources.json"
    if not manifest.exists():
        return None, None
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8")).get("inputs", [])
    except (OSError, ValueError) as e:
        raise UsageError(f"{manifest}: not a readable source manifest ({e})", "usage.sources") from e
    return next((e for e in entries if e.get("file") == input_path.name), None), manifest


def golden_dir_for(input_path: Path) -> Path | None:
    """The hand-verified golden of an input, from the sources.json beside it:
    ``golden`` of its entry (a folder with amounts.csv and programs.csv),
    ``expected`` (an amounts file alone), else tests/golden/<release>."""
    entry, manifest = source_entry(input_path)
    if not entry:
        return None
    assert manifest is not None   # an entry comes from a manifest
    if entry.get("expected"):
        path = (manifest.parent / entry["expected"]).resolve()
        return path if path.is_file() else None
    if entry.get("golden"):
        path = (manifest.parent / entry["golden"]).resolve()
    else:
        path = PROJECT / "tests" / "golden" / entry.get("release", Path(input_path).stem)
    return path if path.is_dir() else None


def golden_files(golden: Path) -> tuple[Path, Path | None]:
    """(amounts file, programs file or None) of a golden folder or file."""
    golden = Path(golden)
    if golden.is_file():
        return golden, None
    return golden / "amounts.csv", golden / "programs.csv"
