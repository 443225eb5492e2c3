"""Which of a file's columns are the id, title and abstract: the names given (--columns), the same
names in another case, OpenReview's nested notes, OpenAlex's inverted-index abstracts, and the
names exports use, suggested when a column is missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import MissingColumnsError

JSON_KINDS = ("jsonl", "json")
"""The formats whose records each name their own keys."""


SELF_NAMED_KINDS = ("listing", "bibtex", "ris", "wos", "feed")
"""The formats whose readers name id, title and abstract themselves (--columns does not apply)."""


def shown_keys(names: list, limit: int = 12) -> str:
    shown = ", ".join(map(str, names[:limit]))
    return shown + (f", ... ({len(names)} keys)" if len(names) > limit else "")


def renamed_records(records, source: dict[str, str], inverted_index: bool = False,
             notes: bool = False) -> Iterator[tuple[int, dict]]:
    """Records with the file's columns named in `source` ({ours: theirs}) renamed to ours.

    A column is found by `column_in`; one of our names that the file uses for another column
    (an `abstract` column when `summary` is named the abstract) is left out. With `inverted_index`,
    a record without an abstract takes OpenAlex's `abstract_inverted_index` for it; with `notes`,
    an OpenReview note's `content` fields are read as the record's own (openreview_fields).
    """
    as_named = all(ours == theirs for ours, theirs in source.items())
    names = set(source)
    for line, record in records:
        if as_named and type(record) is dict and record.keys() >= names:
            yield line, record  # (what the code below gives a record in which every column has our name)
            continue
        if isinstance(record, dict):
            if notes:
                record = openreview_fields(record)
            found = {ours: column_in(record, theirs) for ours, theirs in source.items()}
            if inverted_index and found["abstract"] is None and INVERTED_INDEX in record:
                found["abstract"] = INVERTED_INDEX
            if any(ours != theirs for ours, theirs in found.items()):
                ours_of = {theirs: ours for ours, theirs in found.items() if theirs is not None}
                record = {ours_of.get(key, key): value for key, value in record.items()
                          if key in ours_of or key not in source}
        yield line, record


def column_in(names, wanted: str) -> str | None:
    """The name among `names` that is `wanted`: the same, or else the only one that differs just in case."""
    if wanted in names:
        return wanted
    matches = [name for name in names if isinstance(name, str) and name.casefold() == wanted.casefold()]
    return matches[0] if len(matches) == 1 else None


OPENREVIEW_CONTENT = "content"


def openreview_fields(record: dict) -> dict:
    """An OpenReview note ({"id": ..., "content": {"title": {"value": ...}, "abstract": ...}}, as
    its API and openreview-py give them; API v1 without the {"value": ...}) with its content
    fields beside its id, venue and keywords included; other records as they are. A field the
    note itself has (its id) is not replaced."""
    content = record.get(OPENREVIEW_CONTENT)
    if not isinstance(content, dict) or "title" in record or "abstract" in record:
        return record
    if "title" not in content and "abstract" not in content:
        return record
    lifted = {key: value for key, value in record.items() if key != OPENREVIEW_CONTENT}
    for key, value in content.items():
        if key not in lifted:
            lifted[key] = value["value"] if isinstance(value, dict) and "value" in value else value
    return lifted


INVERTED_INDEX = "abstract_inverted_index"
"""OpenAlex's abstract: each word with the positions where it stands."""


def inverted_index_text(index: dict) -> str | None:
    """The text of an abstract given as an inverted index ({"word": [0, 5], ...}), or None when
    `index` is not one."""
    placed = []
    for word, positions in index.items():
        if not isinstance(positions, list):
            return None
        for position in positions:
            if not isinstance(position, int) or isinstance(position, bool):
                return None
            placed.append((position, word))
    placed.sort()
    return " ".join(word for _, word in placed)


ROW_NUMBER_ID = "(row number)"
"""The id `source` of a CSV without an id column: its records are numbered from 1."""


def check_columns(where: str, source: dict[str, str], names) -> None:
    """A MissingColumnsError (`where: ...`) when a `source` column ({ours: theirs}) is not among the
    file's `names`, suggesting the file's own names for those it knows."""
    missing = _missing_columns(source, names)
    if missing:
        lacking = [ours for ours, theirs in source.items() if ours == theirs and column_in(names, theirs) is None]
        raise MissingColumnsError(f"{where}: {missing}", suggested_columns(lacking, names))


EXPORT_COLUMNS = {
    "id": ("paperId", "EID", "UT", "DOI", "Key", "PMID", "arxiv_id", "corpusId", "Accession Number"),
    "title": ("Document Title", "Article Title", "TI", "display_name"),
    "abstract": ("summary", "Abstract Note", "AB", "paperAbstract", "abstract_text", "description"),
}
"""Names that exports give the id, title and abstract (Semantic Scholar, Scopus, Web of Science,
Zotero's and IEEE Xplore's CSV, PubMed, arXiv's API), in the order they are suggested."""


def suggested_columns(lacking, names) -> dict[str, str]:
    """{ours: the file's}: for each of the `lacking` columns, the first of the file's `names` that
    exports use for it ({"id": "EID", "abstract": "Abstract Note"}); empty when there is none."""
    picks = {}
    for ours in lacking:
        found = next(filter(None, (column_in(names, name) for name in EXPORT_COLUMNS[ours])), None)
        if found is not None:
            picks[ours] = found
    return picks


def _missing_columns(source: dict[str, str], names) -> str:
    """What is wrong when a `source` column ({ours: theirs}) is not among the file's `names`, or ''."""
    missing = [ours if ours == theirs else f"{theirs} (for {ours})" for ours, theirs in source.items()
               if column_in(names, theirs) is None]
    if not missing:
        return ""
    return f"missing required column(s) {', '.join(missing)}; found {', '.join(names)}"
