"""raw/sources.json (and the sources.json beside any input): what an input
is, which release it belongs to, its rule pack and its hand-verified golden."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import PipelineError, UsageError

PROJECT = Path(__file__).resolve().parent.parent


def sha256_of(path: Path) -> str:
    """The sha256 of a file (an input: sources.json and meta.json name it by it), read in 1 MiB chunks."""
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


INPUT_KINDS = {".pdf": "pdf", ".txt": "text", ".md": "markdown"}
NEW_ENTRY_NOTE = "added by extract when first seen: fill in title, publisher, date and origin"


def input_kind(path: Path) -> str:
    """What an input is, by its suffix, as sources.json's ``kind`` says it.

    >>> input_kind(Path("raw/r9.PDF")), input_kind(Path("raw/r9-text.md"))
    ('pdf', 'markdown')
    """
    return INPUT_KINDS.get(Path(path).suffix.lower(), "")


def register_new_input(input_path: Path, digest: str) -> str | None:
    """Add an input that the sources.json beside it does not list yet — its
    file, release (the stem), kind and sha256, and a note asking for the rest —
    and return the warning to show; None when it is listed, or when there is no
    sources.json beside it (nothing is created in a folder that has none).

    The manifest is rewritten under a lock and replaced in one rename, so two
    runs adding files at once both land and a full disk leaves it as it was;
    a manifest that cannot be written is a warning, never a failed extract."""
    import os

    from pipeline.files import folder_lock
    input_path = Path(input_path)
    manifest = input_path.parent / "sources.json"
    if not manifest.exists() or source_entry(input_path)[0] is not None:
        return None
    entry = {"file": input_path.name, "release": input_path.stem, "kind": input_kind(input_path),
             "sha256": digest, "note": NEW_ENTRY_NOTE}
    tmp = manifest.with_name(f".{manifest.name}.{os.getpid()}.tmp")
    try:
        with folder_lock(manifest):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if any(e.get("file") == input_path.name for e in data.get("inputs", [])):
                return None   # another run added it meanwhile
            data.setdefault("inputs", []).append(entry)
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, manifest)
    except (OSError, ValueError, PipelineError) as e:
        tmp.unlink(missing_ok=True)
        reason = e.strerror if isinstance(e, OSError) else str(e)
        return f"not listed in {manifest} and it cannot be added ({reason}); add its entry by hand"
    return f"not listed in {manifest}: added as release {input_path.stem!r} (kind {entry['kind']}, its sha256); " \
           "fill in its title, publisher, date and origin"
