"""The extract job: input file -> output/<release>/ (all files or none)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.extract import Page, extract_pages, sha256_of
from pipeline.outputs import release_dir, write_json, write_jsonl


def release_id(path: Path) -> str:
    """The release id of an output is its input's file stem."""
    return Path(path).stem


def pages_text(pages: list[Page], header: str) -> str:
    """A human-readable dump: one block per page, one line per extracted line."""
    out = [header, ""]
    for page in pages:
        out.append(f"=== page {page.number if page.number is not None else '(unpaged)'}"
                   + (" — needs OCR (no text layer)" if page.needs_ocr else "")
                   + (f" — extraction failures: {len(page.failures)}" if page.failures else ""))
        for line in page.lines:
            where = ""
            if line.bbox:
                x0, y0, x1, y1 = line.bbox
                where = f"[{x0:6.1f} {y0:6.1f} {x1:6.1f} {y1:6.1f} {line.font_size or 0:4.1f}pt] "
            out.append(f"{line.number:4d} {where}{line.text}")
        out.append("")
    return "\n".join(out)


def extract_release(path: Path, out: Path, backend: str = "pymupdf", max_pages: int | None = None,
                    password: str | None = None, pages_only: bool = False) -> dict:
    """Extract one input into out/<release>/ and return its meta record."""
    path = Path(path)
    started = time.perf_counter()
    pages = extract_pages(path, backend, max_pages, password)
    if pages and all(not p.lines for p in pages):
        ocr = [str(p.number) for p in pages if p.needs_ocr]
        raise PipelineError(f"{path}: no text on any page" + (
            f"; pages {ocr[0]}–{ocr[-1]} are images and need OCR" if ocr else ""), 3)
    release = release_id(path)
    digest = sha256_of(path)
    meta = {
        "release": release,
        "input": str(path),
        "input_sha256": digest,
        "backend": backend if path.suffix.lower() == ".pdf" else "text",
        "pipeline_version": __version__,
        "pages": len(pages) if pages and pages[0].number is not None else None,
        "lines": sum(len(p.lines) for p in pages),
        "pages_needing_ocr": [p.number for p in pages if p.needs_ocr],
        "extraction_failures": {str(p.number): len(p.failures) for p in pages if p.failures},
        "warnings": [w for p in pages for w in p.warnings],
    }
    with release_dir(out, release) as tmp:
        write_jsonl(tmp / "pages.jsonl",
                    ({**line.as_record(), "input_sha256": digest} for p in pages for line in p.lines))
        (tmp / "pages.txt").write_text(
            pages_text(pages, f"# {release} — {path.name} — sha256 {digest} — backend {meta['backend']}"),
            encoding="utf-8")
        if not pages_only:
            from pipeline.facts import write_facts
            meta.update(write_facts(pages, release, path, tmp, digest))
        meta["seconds"] = round(time.perf_counter() - started, 3)
        write_json(tmp / "meta.json", meta)
        if not pages_only:
            from pipeline.validate import validate_folder
            meta["validation"] = validate_folder(tmp)["status"]
    return meta


def run_extract(args) -> int:
    if not args.pages_only:
        from pipeline.rules import load_rules
        load_rules()   # a broken rule stops the run before any output is touched
    failures: list[tuple[str, int]] = []
    seen: dict[str, Path] = {}
    for path in args.inputs:
        rid = release_id(path)
        if rid in seen:
            msg = f"{path}: release id {rid!r} is also {seen[rid]}'s; rename one of them"
            failures.append((msg, 2))
            print(f"error: {msg}", file=sys.stderr)
            continue
        seen[rid] = Path(path)
        try:
            meta = extract_release(path, args.out, args.backend, args.max_pages, args.password,
                                   args.pages_only)
        except PipelineError as e:
            if args.debug:
                raise
            failures.append((str(e), e.exit_code))
            print(f"error: {e}", file=sys.stderr)
            continue
        except Exception as e:  # a bug or an input nobody foresaw: one line, not a traceback
            if args.debug:
                raise
            msg = f"{path}: internal error ({type(e).__name__}: {e}); rerun with --debug and report it"
            failures.append((msg, 70))
            print(f"error: {msg}", file=sys.stderr)
            continue
        for w in meta["warnings"]:
            print(f"warning: {path}: {w}", file=sys.stderr)
        for page, n in meta["extraction_failures"].items():
            print(f"warning: {path}: page {page}: {n} characters failed to extract "
                  "((cid:N), NUL or U+FFFD)", file=sys.stderr)
        if meta["pages_needing_ocr"]:
            print(f"warning: {path}: pages needing OCR (no text layer): "
                  f"{', '.join(map(str, meta['pages_needing_ocr']))}", file=sys.stderr)
        pages = f"{meta['pages']} pages" if meta["pages"] is not None else "unpaged"
        summary = f"{meta['release']}: {pages}, {meta['lines']} lines"
        if "amounts" in meta:
            summary += f", {meta['amounts']} facts, validation {meta['validation']}"
            if meta["validation"] != "passed":
                summary += f" (see {Path(args.out) / meta['release'] / 'validation.md'})"
        print(f"{summary} -> {Path(args.out) / meta['release']}/")
    if failures and len(args.inputs) > 1:
        print(f"{len(failures)} of {len(args.inputs)} inputs failed:", file=sys.stderr)
        for msg, _ in failures:
            print(f"  {msg}", file=sys.stderr)
        return 1
    return failures[0][1] if failures else 0


def run_validate(args) -> int:
    """Validate output folders; non-zero exit on any golden mismatch or error."""
    from pipeline.validate import validate_folder
    failed = 0
    for folder in args.folders:
        report = validate_folder(folder)
        g = report["golden"]
        golden = "no golden" if not g else ("golden: match" if g["ok"] else "golden: MISMATCH")
        errors = sum(c["status"] == "error" for c in report["checks"])
        print(f"{report['release']}: {report['status']} ({golden}; {report['facts']} facts; "
              f"{errors} self-consistency errors) -> {Path(folder) / 'validation.md'}")
        failed += report["status"] != "passed"
    return 1 if failed else 0
