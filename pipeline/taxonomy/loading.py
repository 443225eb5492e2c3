"""Load and validate `taxonomy.yaml`: every problem reported at once, each with its line, tag and rule."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputFileError, TaxonomyError
from .checks import check_semantics, rule_number_label
from .schema import Taxonomy, TaxonomyModel
from .yaml_lines import read_yaml, yaml_line


def load_taxonomy(path: str | Path = "taxonomy.yaml") -> Taxonomy:
    """Read and validate a taxonomy file; raise TaxonomyError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise TaxonomyError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    return parse_taxonomy(text, path)


def parse_taxonomy(text: str, path: str | Path = "<taxonomy>") -> Taxonomy:
    """Validate taxonomy YAML text; see load_taxonomy."""
    data, line_of = read_yaml(text, path)
    if not isinstance(data, dict):
        raise TaxonomyError(path, ["line 1: the taxonomy must be a mapping with a `tags:` list"])
    problems, model = [], None
    try:
        model = TaxonomyModel.model_validate(data)
    except ValidationError as exc:
        problems = _describe_validation_errors(exc, data, line_of)
    problems += check_semantics(data, line_of)
    if problems:
        raise TaxonomyError(path, sorted(problems, key=_line_number))
    return Taxonomy(model=model, path=str(path), line_of=line_of, text=text)


def _line_number(problem: str) -> int:
    digits = problem.removeprefix("line ").split(":", 1)[0].split(",", 1)[0]
    return int(digits) if digits.isdigit() else 0


def _where(data, loc: tuple) -> str:
    """`tag 'x', rule 2` for a location inside the tags list."""
    if len(loc) < 2 or loc[0] != "tags" or not isinstance(loc[1], int):
        return ""
    tags = data.get("tags") if isinstance(data, dict) else None
    raw = tags[loc[1]] if isinstance(tags, list) and loc[1] < len(tags) else None
    tag_id = raw.get("id") if isinstance(raw, dict) else None
    label = f"tag '{tag_id}'" if tag_id else f"tag #{loc[1] + 1}"
    if len(loc) >= 4 and loc[2] == "rules" and isinstance(loc[3], int):
        rules = raw.get("rules") if isinstance(raw, dict) else None
        raw_rule = rules[loc[3]] if isinstance(rules, list) and loc[3] < len(rules) else None
        label += ", " + rule_number_label(raw_rule, loc[3])
    return label + ": "


def _describe_validation_errors(exc: ValidationError, data, line_of: dict) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
        field = ".".join(str(part) for part in loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key '{loc[-1]}'"
        elif error["type"] == "too_short":
            message = "must not be empty"
        problems.append(f"line {yaml_line(line_of, loc)}: {_where(data, loc)}{field}: {message}")
    return problems
