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
def release_dir(out: Path, release: str):
    """Yield a temporary folder; on success it replaces ``out/release``."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        target, old = out / release, out / f".{release}.old"
        if old.exists() and not target.exists():   # a run died between its two renames
            os.replace(old, target)
        for stale in out.glob(f".{release}.tmp-*"):   # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{release}.tmp-", dir=out))
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


def write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_jsonl(path: Path, records) -> None:
    """One JSON object per line, UTF-8 (orjson: a large deck has tens of thousands of lines)."""
    import orjson
    with open(path, "wb") as f:
        f.write(b"".join(orjson.dumps(r) + b"\n" for r in records))
