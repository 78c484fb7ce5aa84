"""The engine: Tesseract through pytesseract, and the cache of its readings."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from pipeline.ocr.settings import PACKAGES, SETTINGS, OcrSettings


@lru_cache(maxsize=1)
def engine() -> tuple[str | None, str | None]:
    """(engine, None) when Tesseract with a Japanese model can run here —
    engine is "tesseract VERSION MODEL" — else (None, why not)."""
    import subprocess
    try:
        import pytesseract
    except ImportError:
        return None, "pytesseract is not installed"
    try:
        version = str(pytesseract.get_tesseract_version()).split()[0]
        # (pytesseract.get_languages drops model names with capitals, such as Japanese)
        listed = subprocess.run([pytesseract.pytesseract.tesseract_cmd, "--list-langs"], capture_output=True,
                                text=True, timeout=30).stdout.split("\n")[1:]
    except Exception:   # TesseractNotFoundError, or a broken install
        return None, f"tesseract is not installed (make installs Debian's {', '.join(PACKAGES)})"
    model = next((m for m in SETTINGS.models if m in {line.strip() for line in listed}), None)
    if model is None:
        return None, f"tesseract has no Japanese model (make installs Debian's {', '.join(PACKAGES)})"
    return f"tesseract {version} {model}", None


def model() -> str:
    """The Tesseract model in use (engine() must have found one)."""
    name, _ = engine()
    return (name or "").rsplit(" ", 1)[-1] or SETTINGS.models[0]


def ocr_cache_dir() -> Path | None:
    """Where OCR results are kept, keyed by the rendered image and the
    engine: ``$BUDGET_OCR_CACHE``, else ``$XDG_CACHE_HOME`` or ``~/.cache``
    /budget-pipeline/ocr. ``BUDGET_OCR_CACHE=off`` reads every time."""
    chosen = os.environ.get("BUDGET_OCR_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budget-pipeline" / "ocr"


def _cached(key: str) -> dict | None:
    folder = ocr_cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(key: str, data: dict) -> None:
    """Best effort: a cache that cannot be written (read-only home, full
    disk) only costs the next run its time."""
    folder = ocr_cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass


def tesseract_words(image, settings: OcrSettings = SETTINGS) -> dict[str, list]:
    """Tesseract's word table for an image, from the cache when the same
    image was read with the same engine and settings before. One thread per
    call (OMP_THREAD_LIMIT=1): on a small machine pages read side by side
    go faster than one page on several threads."""
    import pytesseract
    name, _ = engine()
    key = hashlib.sha256(image.tobytes() + repr((image.size, name, asdict(settings))).encode()).hexdigest()
    hit = _cached(key)
    if hit is not None:
        return hit
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=model(), config=f"--psm {settings.psm}",
                                     output_type=pytesseract.Output.DICT)
    data = {k: data[k] for k in ("text", "conf", "block_num", "par_num", "line_num", "left", "top", "width", "height")}
    _store(key, data)
    return data
