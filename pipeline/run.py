"""The extract job: input file -> output/<release>/ (all files or none)."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import INTERNAL, VALIDATION_FAILED, InputError, NoBudgetError, PipelineError, TimeBudgetError, UsageError
from pipeline.extract import Page, extract_pages, line_records
from pipeline.files import portable_path, release_dir, write_json, write_jsonl
from pipeline.guard import start_budget
from pipeline.release_folder import file_manifest
from pipeline.schema import SCHEMA_VERSION
from pipeline.sources import sha256_of


def release_id(path: Path) -> str:
    """The release id of an output is its input's file stem."""
    return Path(path).stem


def refused_input(path: Path, out: Path) -> UsageError | None:
    """Why an input cannot be extracted into ``out``, found before anything is
    touched, or None: a stem that names no folder of its own (``..txt`` is
    release ``.``; a leading dot hides the folder), or an input inside the
    output folder (replacing its release folder would delete it).

    >>> print(refused_input(Path("in/..txt"), Path("output")))
    in/..txt: release id '.' cannot name a folder; rename the file
    >>> print(refused_input(Path("output/x/x.txt"), Path("output")))
    output/x/x.txt: the input lies inside the output folder output; move it out first
    """
    rid = release_id(path)
    if rid in ("", ".", "..") or rid.startswith("."):
        return UsageError(f"{path}: release id {rid!r} cannot name a folder; rename the file", "usage.release-id")
    if Path(path).resolve().is_relative_to(Path(out).resolve()):
        return UsageError(f"{path}: the input lies inside the output folder {out}; move it out first",
                          "usage.input-in-output")
    return None


def pages_text(pages: list[Page], header: str) -> str:
    """A human-readable dump: one block per page, one line per extracted line."""
    out = [header, ""]
    for page in pages:
        out.append(f"=== page {page.number if page.number is not None else '(unpaged)'}"
                   + (" — needs OCR (no text layer)" if page.needs_ocr else "")
                   + (f" — extraction failures: {len(page.failures)}" if page.failures else ""))
        for line in page.lines:   # %-formatting: about twice as fast as f-strings with format specs here
            if line.bbox:
                out.append("%4d [%6.1f %6.1f %6.1f %6.1f %4.1fpt] %s" % (line.number, *line.bbox,
                                                                     line.font_size or 0, line.text))
            else:
                out.append("%4d %s" % (line.number, line.text))
        out.append("")
    return "\n".join(out)


def extract_release(path: Path, out: Path, backend: str = "pymupdf", max_pages: int | None = None,
                    password: str | None = None, pages_only: bool = False, use_ocr: bool = True) -> dict:
    """Extract one input into out/<release>/ and return its meta record.

    The cyclic garbage collector is paused meanwhile: a large deck allocates
    hundreds of thousands of small objects that form no cycles, and collecting
    over and over while they pile up costs more than a tenth of the run."""
    import gc
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _extract_release(path, out, backend, max_pages, password, pages_only, use_ocr)
    finally:
        if enabled:
            gc.enable()


def _extract_release(path: Path, out: Path, backend: str, max_pages: int | None,
                     password: str | None, pages_only: bool, use_ocr: bool = True) -> dict:
    from pipeline.pictures import read_pictures, unread_pages
    path = Path(path)
    started = time.perf_counter()
    pages = extract_pages(path, backend, max_pages, password)
    ocr = read_pictures(path, pages, password, use_ocr)
    if pages and all(not p.lines for p in pages):
        images = [str(p.number) for p in pages if p.needs_ocr]
        if images and ocr.get("engine"):
            why = f"; OCR found no legible text on pages {images[0]}–{images[-1]} (images of no text, or noise)"
        elif images:
            why = f"; pages {images[0]}–{images[-1]} are images and need OCR ({ocr.get('skipped')})"
        else:
            why = ""
        raise InputError(f"{path}: no text on any page{why}", "input.no-text")
    release = release_id(path)
    digest = sha256_of(path)
    meta: dict[str, Any] = {
        "release": release,
        "input": portable_path(path, out),
        "input_sha256": digest,
        "backend": backend if path.suffix.lower() == ".pdf" else "text",
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "pages": len(pages) if pages and pages[0].number is not None else None,
        "lines": sum(len(p.lines) for p in pages),
        "pages_needing_ocr": unread_pages(pages),
        "ocr": ocr or None,
        "extraction_failures": {str(p.number): len(p.failures) for p in pages if p.failures},
        "warnings": [w for p in pages for w in p.warnings],
    }
    meta["warnings"] += ocr_warnings(meta)
    with release_dir(out, release) as tmp:
        write_jsonl(tmp / "pages.jsonl", line_records(pages, digest))
        (tmp / "pages.txt").write_text(
            pages_text(pages, f"# {release} — {path.name} — sha256 {digest} — backend {meta['backend']}"),
            encoding="utf-8")
        if not pages_only:
            meta.update(write_facts(pages, release, path, tmp, digest, out))
            meta["warnings"] += meta.pop("facts_warnings")
        meta["files"] = file_manifest(tmp)   # what the reader of the folder checks it against
        write_json(tmp / "meta.json", meta)   # no clock and no absolute path: the same input, the same bytes
        if not pages_only:
            from pipeline.validate import validate_folder
            meta["validation"] = validate_folder(tmp)["status"]
    meta["seconds"] = round(time.perf_counter() - started, 3)   # for the console, never in a file
    return meta


def write_facts(pages: list[Page], release: str, path: Path, folder: Path, digest: str, out: Path) -> dict:
    """Write amounts, programs and observations (CSV/JSON/Parquet) into folder
    — each fact with its check, against the input's golden when it has one —
    and return what meta.json should know about them."""
    import pipeline.rules
    from pipeline.facts import extract_facts
    from pipeline.files import write_table
    from pipeline.rules import load_rules
    from pipeline.schema import AMOUNT_COLUMNS, OBSERVATION_COLUMNS, PROGRAM_COLUMNS
    from pipeline.sources import golden_dir_for, input_kind, source_entry
    from pipeline.validate import mark_golden
    entry, _ = source_entry(path)
    try:
        rules = load_rules(pack=pipeline.rules.PACK or (entry or {}).get("rules"))
        facts = extract_facts(pages, release, rules)
    except PipelineError as e:
        raise type(e)(f"{path}: {e}", e.exit_code, e.code) from e
    if not facts.amounts and not _any_amount(pages, rules):
        raise NoBudgetError(f"{path}: no budget figure found (no amount such as 12億円 and no label "
                            "such as 令和N年度予算額/要求・要望額)", "no-budget.figure")
    golden = golden_dir_for(path)
    if golden:
        mark_golden(facts.amounts, golden, paged=bool(pages) and pages[0].number is not None)
    meta = {"release": release, "input": portable_path(path, out), "input_sha256": digest}
    write_table(folder, "amounts", facts.amounts, AMOUNT_COLUMNS, meta)
    write_table(folder, "programs", facts.programs, PROGRAM_COLUMNS, meta)
    write_table(folder, "observations", facts.observations, OBSERVATION_COLUMNS, meta)
    ctx = facts.context
    return {"release_group": (entry or {}).get("release", release), "kind": (entry or {}).get("kind") or input_kind(path),
            "rules": rules.name, "amounts": len(facts.amounts), "programs": len(facts.programs),
            "observations": len(facts.observations), "conflicts": len(facts.conflicts),
            "release_year": ctx.year, "release_stage": ctx.stage, "supplementary_year": ctx.supplementary_year,
            "golden": portable_path(golden, out) if golden else None, "facts_warnings": facts.warnings}


def _any_amount(pages: list[Page], rules) -> bool:
    """Does any line hold an amount (a budget or not) or a stage label?"""
    from pipeline.facts.lines import analyze
    return any(info.amounts or info.excluded or info.labels
               for page in pages for info in (analyze(line, rules) for line in page.lines))


def _extract_job(job: dict) -> tuple:
    """One input, in a worker process: ("ok", meta) or ("error", message, exit code)."""
    import pipeline.rules
    if job["rules_dir"]:
        pipeline.rules.RULES_DIR = Path(job["rules_dir"])
    pipeline.rules.PACK = job["pack"]
    path = job["path"]
    start_budget(job.get("timeout"))
    try:
        return ("ok", extract_release(path, job["out"], job["backend"], job["max_pages"], job["password"],
                                      job["pages_only"], job.get("ocr", True)))
    except TimeBudgetError as e:
        if job["debug"]:
            raise
        message = str(e) if str(e).startswith(f"{path}: ") else f"{path}: {e}"   # (facts name the input already)
        return ("error", message, e.exit_code)
    except PipelineError as e:
        if job["debug"]:
            raise
        return ("error", str(e), e.exit_code)
    except Exception as e:  # a bug or an input nobody foresaw: one line, not a traceback
        if job["debug"]:
            raise
        return ("error", f"{path}: internal error ({type(e).__name__}: {e}); rerun with --debug and report it", INTERNAL)
    finally:
        start_budget(None)


def _report(path: Path, meta: dict, out: Path, say) -> None:
    for w in meta["warnings"]:
        say(f"warning: {path}: {w}", err=True)
    for page, n in meta["extraction_failures"].items():
        say(f"warning: {path}: page {page}: {n} characters failed to extract ((cid:N), NUL or U+FFFD)", err=True)
    pages = f"{meta['pages']} pages" if meta["pages"] is not None else "unpaged"
    summary = f"{meta['release']}: {pages}, {meta['lines']} lines"
    if "amounts" in meta:
        summary += f", {meta['amounts']} facts, validation {meta['validation']}"
        if meta["validation"] != "passed":
            summary += f" (see {Path(out) / meta['release'] / 'validation.md'})"
    say(f"{summary} -> {Path(out) / meta['release']}/")


def ocr_warnings(meta: dict) -> list[str]:
    """What a reader must know about pictures: pages read by OCR (their
    figures are as good as the engine's reading), pages and image regions
    left unread (their figures are missing)."""
    ocr = meta.get("ocr") or {}
    out = []
    if ocr.get("pages_read"):
        out.append(f"no text layer on pages {', '.join(map(str, ocr['pages_read']))}: read by OCR "
                   f"({ocr['engine']}); check their figures")
    if meta["pages_needing_ocr"]:
        out.append(f"pages needing OCR (no text layer): {', '.join(map(str, meta['pages_needing_ocr']))}"
                   + (f" — OCR off ({ocr['skipped']})" if ocr.get("skipped") else " — OCR found no legible text"))
    if ocr.get("pictures_unread"):
        out.append(f"pictures on pages {', '.join(map(str, ocr['pictures_unread']))} not read ({ocr['skipped']}): "
                   "figures drawn as pictures are missing")
    return out


def stop_pool(pool) -> None:
    """End a process pool at once: queued jobs are cancelled and running workers
    terminated. A worker stopped half-way has not replaced its release folder
    (that is one rename at its very end); its temporary folder is removed by the
    next run of that release."""
    workers = list((getattr(pool, "_processes", None) or {}).values())   # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)                        # (which forgets them)
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(timeout=5)


def release_files(paths: list[Path]) -> list[Path]:
    """The inputs of a command line: a file as given, a folder as the release
    files in it (.pdf, .txt, .md; not hidden, not in subfolders), by name. A
    folder with none stays as given, and extract says so.

    >>> release_files([Path("/nonexistent/r9.pdf")])
    [PosixPath('/nonexistent/r9.pdf')]
    """
    from pipeline.sources import input_kind
    out: list[Path] = []
    for path in map(Path, paths):
        inside = sorted(p for p in path.iterdir() if p.is_file() and input_kind(p) and not p.name.startswith(".")) \
            if path.is_dir() else []
        out.extend(inside or [path])
    return out


def run_extract(args) -> int:
    """Extract every input (a folder: every release file in it); several inputs
    run in a process pool (--jobs), with a progress bar once the run takes more
    than a few seconds. An input that the sources.json beside it does not list
    is added to it first, with a warning."""
    import os

    import pipeline.rules
    from pipeline.sources import register_new_input, source_entry
    if not args.pages_only:   # a broken rule stops the run before any output is touched
        pipeline.rules.load_rules(pack=pipeline.rules.PACK)
    failures: list[tuple[str, int, int]] = []   # (message, exit code, input position)
    jobs: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    inputs = release_files(args.inputs)
    for path in inputs:
        rid = release_id(path)
        refused = refused_input(Path(path), Path(args.out))
        if refused:
            failures.append((str(refused), refused.exit_code, len(jobs) + len(failures)))
            print(f"error: {refused}", file=sys.stderr)
            continue
        if rid in seen:
            failures.append((f"{path}: release id {rid!r} is also {seen[rid]}'s; rename one of them", 2,
                             len(jobs) + len(failures)))
            print(f"error: {failures[-1][0]}", file=sys.stderr)
            continue
        seen[rid] = Path(path)
        if path.is_file() and source_entry(path)[0] is None:
            added = register_new_input(path, sha256_of(path))
            if added:
                print(f"warning: {path}: {added}", file=sys.stderr)
        jobs.append({"index": len(jobs) + len(failures), "path": Path(path), "out": args.out, "backend": args.backend,
                     "max_pages": args.max_pages, "timeout": getattr(args, "timeout", None),
                     "password": args.password, "pages_only": args.pages_only, "debug": args.debug,
                     "ocr": not getattr(args, "no_ocr", False),
                     "rules_dir": str(pipeline.rules.RULES_DIR) if args.rules else None,
                     "pack": pipeline.rules.PACK})
    workers = max(1, min(args.jobs or os.cpu_count() or 1, len(jobs)))
    import pipeline.progress
    pipeline.progress.ON = len(jobs) == 1   # one input: a bar of its pages (on a terminal, after a few seconds)
    from tqdm import tqdm
    bar = tqdm(total=len(jobs), unit="release", delay=3, file=sys.stderr,
               disable=len(jobs) < 2 or not sys.stderr.isatty())

    def say(msg: str, err: bool = False) -> None:
        stream = sys.stderr if err else sys.stdout
        if bar.disable:
            print(msg, file=stream)
        else:
            bar.write(msg, file=stream)

    invalid: list[str] = []   # releases whose validation failed

    def done(job: dict, result: tuple) -> None:
        if result[0] == "ok":
            _report(job["path"], result[1], args.out, say)
            if result[1].get("validation") == "failed":
                invalid.append(result[1]["release"])
        else:
            failures.append((result[1], result[2], job["index"]))
            say(f"error: {result[1]}", err=True)
        bar.update(1)

    if workers == 1 or args.debug:
        for job in jobs:
            done(job, _extract_job(job))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed
        # largest inputs first: the workers then finish close together (no long job left for one at the end)
        by_size = sorted(jobs, key=lambda job: -job["path"].stat().st_size if job["path"].is_file() else 0)
        pool = ProcessPoolExecutor(max_workers=workers)
        futures: dict = {}
        reported: set = set()
        try:
            futures = {pool.submit(_extract_job, job): job for job in by_size}
            for fut in as_completed(futures):
                reported.add(fut)
                done(futures[fut], fut.result())
        except BaseException:   # Ctrl-C: end now — no queued input starts, running ones are stopped
            stop_pool(pool)
            for fut, job in futures.items():   # those that finished meanwhile are reported all the same
                if fut not in reported and fut.done() and not fut.cancelled() and fut.exception() is None:
                    done(job, fut.result())
            raise
        pool.shutdown()
    bar.close()
    failures.sort(key=lambda f: f[2])   # in the order the inputs were given
    if failures and len(inputs) > 1:
        print(f"{len(failures)} of {len(inputs)} inputs failed:", file=sys.stderr)
        for msg, *_ in failures:
            print(f"  {msg}", file=sys.stderr)
        return 1
    if failures:
        return failures[0][1]
    if invalid and not getattr(args, "lenient", False):
        print(f"validation failed for {len(invalid)} of {len(jobs)} release(s): {', '.join(sorted(invalid))} "
              f"(outputs written; see validation.md; --lenient to exit 0)", file=sys.stderr)
        return VALIDATION_FAILED
    return 0


def run_publish(args) -> int:
    from pipeline.publish import publish
    db, package, workbook = publish(args.out)
    print(f"{db}, {package} and {workbook} rebuilt from {args.out}/*/")
    return 0


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
