"""Rule files in rules/: loaded safely, compiled with the regex module."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from pipeline.errors import PipelineError

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@functools.cache
def load_yaml(name: str, rules_dir: Path = RULES_DIR) -> dict:
    """Load one rule file with yaml.safe_load; a broken file is a PipelineError."""
    path = Path(rules_dir) / name
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise PipelineError(f"{path}: cannot read rule file ({e.strerror})") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise PipelineError(f"{path}:{where} rule file is not valid YAML") from e
    if not isinstance(data, dict):
        raise PipelineError(f"{path}: rule file must be a mapping")
    return data
