"""Writing a release's outputs: all files or none.

Files are written into a temporary folder next to the target and swapped into
place at the end, so a failed or killed run leaves the previous complete
output of the release untouched.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputError


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
