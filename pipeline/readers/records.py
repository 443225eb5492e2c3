"""What the readers make of one record, and the report of what they skipped: a record becomes a
document (id, title, abstract as clean text, other fields as the file gives them) or a RowProblem
with its line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..options import REQUIRED_COLUMNS
from .columns import inverted_index_text


@dataclass(frozen=True)
class RowProblem:
    """A record that was skipped, with where it was; `undecodable` when its line is not in the
    file's encoding."""

    path: str
    line: int
    message: str
    undecodable: bool = False

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


@dataclass
class ReadReport:
    """What the readers of one run skipped, across all its input files; filled in while they run.

    It also keeps the ids read so far, so that an id is kept once in the whole run, and how many
    papers without an id of their own (those of listing files, RIS records with no ID or DOI) it
    has numbered, so that they are numbered on from one file to the next instead of each file
    starting again at `p000`.
    """

    problems: list[RowProblem] = field(default_factory=list)
    records: int = 0
    title_only: int = 0  # records read whose abstract is missing or empty (tagged on the title alone)
    duplicates: int = 0  # records skipped because an earlier one (of any file) has their id
    notes: list[str] = field(default_factory=list)  # how a file was read that the user should know
    position: object = None  # a function: the bytes of the file being read so far (for a progress bar)
    file_of_id: dict[str, str] = field(default_factory=dict)
    numbered: int = 0

    def skip(self, path, line: int, message: str, undecodable: bool = False) -> None:
        self.problems.append(RowProblem(str(path), line, message, undecodable))

    @property
    def undecodable(self) -> bool:
        """Whether some line was skipped because it is not in its file's encoding."""
        return any(problem.undecodable for problem in self.problems)


_REQUIRED = frozenset(REQUIRED_COLUMNS)


def clean_record(record, path: str, line: int, report: ReadReport) -> dict | None:
    if not isinstance(record, dict):
        report.skip(path, line, "not a JSON object")
        return None
    if "abstract" not in record and "id" in record and "title" in record:
        record = {**record, "abstract": None}  # (as a null abstract is: the title alone is tagged)
    if not record.keys() >= _REQUIRED:
        missing = [column for column in REQUIRED_COLUMNS if column not in record]
        report.skip(path, line, f"missing {', '.join(missing)}")
        return None
    if isinstance(record["abstract"], dict):
        text = inverted_index_text(record["abstract"])
        if text is not None:
            record = {**record, "abstract": text}
    structured = [column for column in REQUIRED_COLUMNS if isinstance(record[column], (dict, list))]
    if structured:
        report.skip(path, line, f"{', '.join(structured)} is a JSON {_json_kind(record[structured[0]])}, not text")
        return None
    document = {key: clean_text(value) if key in REQUIRED_COLUMNS else passed_value(value)
                for key, value in record.items()}
    if not document["id"]:
        report.skip(path, line, "empty id")
        return None
    if not document["title"] and not document["abstract"]:
        report.skip(path, line, f"id {document['id']!r} has neither title nor abstract")
        return None
    first_file = report.file_of_id.get(document["id"])
    if first_file is not None:
        where = "" if first_file == path else f", in {first_file},"
        report.skip(path, line, f"duplicate id {document['id']!r} (the first one{where} is kept)")
        report.duplicates += 1
        return None
    report.file_of_id[document["id"]] = path
    if not document["abstract"]:
        report.title_only += 1
    return document


def _json_kind(value) -> str:
    return "object" if isinstance(value, dict) else "array"


def passed_value(value):
    """A column other than id, title and abstract, kept as the file gives it (a number, a list of
    categories, an object) for outputs that can hold it; text is cleaned as by clean_text."""
    if isinstance(value, str) or (isinstance(value, float) and value != value):
        return clean_text(value)
    return value


def clean_text(value) -> str:
    """A field as text: None/NaN as empty, a JSON array or object (a list of authors or
    categories) as JSON, NUL bytes dropped, outer white space trimmed."""
    if type(value) is str:  # (most fields: tested first)
        return (value.replace("\x00", "") if "\x00" in value else value).strip()
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list, tuple)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = value if isinstance(value, str) else str(value)
    return text.replace("\x00", "").strip()
