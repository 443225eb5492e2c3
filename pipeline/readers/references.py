"""Records from reference-manager and database exports (Zotero, Mendeley, EndNote, Google Scholar,
publishers, Web of Science): BibTeX (`.bib`), RIS (`.ris`) and Web of Science's plain text.

BibTeX is parsed by bibtexparser, with `@string` macros resolved, and the LaTeX of its fields is
read as text by `latex_text` (`Caf{\\'e}` is Café, `\\emph{x}` is x, `{BERT}` is BERT, `--` is an en
dash); an entry's key is its id. In RIS, `TI` (or `T1`) is the title and `AB` (or `N2`) the
abstract; `ID`, else the DOI (`DO`), is the id, and a record with neither is numbered like a
listing paper; Web of Science's are `TI`, `AB` and `UT` (else `DI`). Other fields pass through,
a repeated tag (`AU`, `KW`) as its values joined by `; `. An entry without an abstract is kept with its title.
A field's wrapped lines are read as one, a word broken across them by a hyphen joined again, as
for text copied from a PDF (pipeline.typography).

Both readers take the file's (line number, text) pairs and the set of line numbers that were not
in the file's encoding, which that iteration fills in as it goes.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..errors import InputFileError
from .typography import known_words, line_joint, unwrap_lines


@dataclass(frozen=True)
class TaggedFormat:
    """A field-tagged export format: one `TAG value` line per field, records from a start tag to `ER`."""

    name: str
    line: re.Pattern  # a tag line: the tag, then the value
    start: str
    titles: tuple[str, ...]
    abstracts: tuple[str, ...]
    ids: tuple[str, ...]
    lists: frozenset[str] = frozenset()  # tags whose continuation lines are further values, not wrapped text


RIS = TaggedFormat("RIS", re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*)|$)"), "TY", ("TI", "T1"), ("AB", "N2"),
                   ("ID", "DO"))
"""`TAG  - value` (one space before the hyphen is tolerated); a record runs from TY to ER."""
WEB_OF_SCIENCE = TaggedFormat("Web of Science", re.compile(r"([A-Z][A-Z0-9])(?: (.*)|$)"), "PT", ("TI",), ("AB",),
                              ("UT", "DI"), frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR", "C1", "C3"}))
"""Web of Science's plain-text export (`FN Clarivate Analytics Web of Science`, then records from
PT to ER): `TAG value`, and continuation lines indented by three spaces."""
REPEATED_JOIN = "; "
UNDECODABLE = "not in the file's encoding (in the {} that starts here)"


def bibtex_records(lines: Iterable[tuple[int, str]], bad: set[int], path, report) -> Iterator[tuple[int, dict]]:
    """(line, record) of each BibTeX entry. A block that is not valid BibTeX, an entry key or field
    given twice, and an entry holding a line that is not in the file's encoding are skipped and
    reported; a file with text but no entry is an InputFileError.

    The file is parsed a piece of about ENTRIES_PER_PIECE entries at a time (see _bibtex_pieces),
    so that its size does not matter; the `@string` macros of the pieces before come first in each,
    and a broken entry that ends a piece is parsed again with the next, so that it is reported as
    it would be in the whole file (where the next entry starts, not at the end of the file).
    """
    from bibtexparser.model import ParsingFailedBlock

    macros: list[str] = []
    found_blocks, has_text = False, False
    held_start, held = 0, ""
    with _quiet("bibtexparser"):  # (it logs each broken block, which is reported here)
        for (start, text), last in _with_last(_bibtex_pieces(lines)):
            if held:
                start, text = held_start, held + text
            has_text = has_text or bool(text.strip())
            blocks, strings, first = _parsed_blocks(text, start, macros)
            found_blocks = found_blocks or bool(blocks)
            held, held_from = "", math.inf
            if not last and blocks and isinstance(blocks[-1], ParsingFailedBlock):
                held_from = blocks.pop().start_line
                held_start = first + held_from
                held = "\n".join(text.split("\n")[held_start - start:])
            macros.extend(string.raw for string in strings if string.start_line < held_from)
            for block in blocks:
                yield from _bibtex_record(block, first + block.start_line, bad, path, report)
    if not found_blocks and has_text:
        raise InputFileError(f"{path}: not a BibTeX file: no entry (such as @article{{key, ...}}) in it")


def _parsed_blocks(text: str, start: int, macros: list[str]) -> tuple[list, list, int]:
    """The entries and failed blocks of a piece of BibTeX that starts at line `start`, in order, its
    own `@string` blocks, and the line number their start_line counts from; the `macros` (raw
    `@string` blocks of the pieces before) go before it."""
    import bibtexparser
    from bibtexparser.middlewares import NormalizeFieldKeys

    prefix = "".join(f"{macro}\n" for macro in macros)
    library = bibtexparser.parse_string(prefix + text,
                                        append_middleware=[NormalizeFieldKeys(allow_inplace_modification=True)])
    blocks = sorted([*library.entries, *library.failed_blocks], key=lambda block: block.start_line)
    return blocks, library.strings[len(macros):], start - prefix.count("\n")


@contextlib.contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _with_last(items: Iterable) -> Iterator[tuple[object, bool]]:
    """(item, whether it is the last one)."""
    iterator = iter(items)
    try:
        item = next(iterator)
    except StopIteration:
        return
    for following in iterator:
        yield item, False
        item = following
    yield item, True


ENTRIES_PER_PIECE = 500


def _bibtex_pieces(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """(number of its first line, text) of consecutive pieces of a BibTeX file, each of about
    ENTRIES_PER_PIECE entries: a piece ends before a line that starts with `@` outside braces."""
    piece: list[str] = []
    start, entries, depth = 1, 0, 0
    for number, line in lines:
        if depth == 0 and line.startswith("@"):
            if entries >= ENTRIES_PER_PIECE:
                yield start, "".join(piece)
                piece, entries = [], 0
            entries += 1
        if not piece:
            start = number
        piece.append(line)
        depth = max(0, depth + line.count("{") - line.count("}") - line.count("\\{") + line.count("\\}"))
    if piece:
        yield start, "".join(piece)


def _bibtex_record(block, line: int, bad: set[int], path, report) -> Iterator[tuple[int, dict]]:
    """The record of one parsed block starting at `line`, or nothing (reported) for a broken one."""
    problem = _failed_block_problem(block)
    if problem is not None:
        report.skip(path, line, problem)
        return
    if not bad.isdisjoint(range(line, line + block.raw.count("\n") + 1)):
        report.skip(path, line, UNDECODABLE.format("entry"), undecodable=True)
        return
    fields = {field.key: latex_text(field.value) if isinstance(field.value, str) else field.value
              for field in block.fields}
    yield line, {"id": block.key, "title": fields.pop("title", ""), "abstract": fields.pop("abstract", ""),
                 "entry_type": block.entry_type, **fields}


def _failed_block_problem(block) -> str | None:
    """Why bibtexparser could not use a block, or None for an entry it parsed."""
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock

    if isinstance(block, DuplicateBlockKeyBlock):
        return f"duplicate id {block.key!r} (the first one is kept)"
    if isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return f"entry {block.ignore_error_block.key!r} gives the field(s) {fields} twice"
    if isinstance(block, ParsingFailedBlock):
        reason = getattr(block.error, "abort_reason", "") or str(block.error) or type(block.error).__name__
        return f"not valid BibTeX ({reason.strip().splitlines()[0]})"
    return None


def tagged_records(lines: Iterable[tuple[int, str]], bad: set[int], path, report, next_number: Callable[[], str],
                   form: TaggedFormat = RIS) -> Iterator[tuple[int, dict]]:
    """(line, record) of each record of a field-tagged file (RIS, Web of Science), from its start
    tag to `ER` (or the next start, or the end of the file); `next_number()` gives the id of a
    record with none of the format's id tags. A line that does not start with a tag continues the
    field before it; lines outside records are ignored, but a file with text and no record is an
    InputFileError."""
    fields: dict[str, list[str]] | None = None
    start, last, broken, records, stray = 0, None, False, 0, None
    for number, text in lines:
        text = text.rstrip("\r\n")
        match = form.line.match(text)
        tag = match.group(1) if match else None
        if tag in (form.start, "ER") and fields is not None:
            yield from _tagged_record(fields, start, broken, path, report, next_number, form)
            fields, records = None, records + 1
        if tag == form.start:
            fields, start, last, broken = {tag: [(match.group(2) or "").strip()]}, number, None, number in bad
        elif fields is None:
            stray = stray or (number if text.strip() else None)
        elif tag is not None:
            fields.setdefault(tag, []).append((match.group(2) or "").strip())
            last, broken = tag, broken or number in bad
        elif last is not None and text.strip():  # a continuation line
            if last in form.lists:
                fields[last].append(text.strip())
            else:  # wrapped text, maybe with a word broken across the lines
                line = text.strip()
                before, joint = line_joint(fields[last][-1], line, known_words())
                fields[last][-1] = f"{before}{joint}{line}".strip()
            broken = broken or number in bad
    if fields is not None:
        yield from _tagged_record(fields, start, broken, path, report, next_number, form)
        records += 1
    if not records and stray is not None:
        raise InputFileError(f"{path}, line {stray}: not a {form.name} file: no record (which starts with a "
                             f"{form.start} line) in it")


def _tagged_record(fields: dict[str, list[str]], line: int, broken: bool, path, report,
                   next_number: Callable[[], str], form: TaggedFormat) -> Iterator[tuple[int, dict]]:
    if broken:
        report.skip(path, line, UNDECODABLE.format("record"), undecodable=True)
        return
    values = {tag: REPEATED_JOIN.join(value for value in found if value) for tag, found in fields.items()}
    title, abstract = (next((values.pop(tag) for tag in tags if values.get(tag)), "")
                       for tags in (form.titles, form.abstracts))
    record_id = next((values[tag] for tag in form.ids if values.get(tag)), "") or next_number()
    yield line, {"id": record_id, "title": title, "abstract": abstract, **values}


ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
           "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323"}
"""LaTeX accent commands and the combining characters they put on a letter."""
LETTERS = {"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø",
           "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "ldots": "…", "dots": "…", "textendash": "–",
           "textemdash": "—"}
"""Commands that stand for one character."""
ACCENTED = re.compile(r"""\\(['`^"~=.]|[uvHckrd](?![A-Za-z]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
LETTER = re.compile(r"\\(" + "|".join(sorted(LETTERS, key=len, reverse=True)) + r")(?![A-Za-z])(?:\{\}|\s?)")
ESCAPED = re.compile(r"\\([&%$#_{}]|[-/]|[ ,;:!])")
"""`\\%` and the like; `\\-` (a hyphenation point) and `\\/`, which print nothing; `\\,` and other spaces."""
COMMAND = re.compile(r"\\([A-Za-z]+)\*?(\{?)")
"""A command and the brace of its argument, if one follows."""
BRACES_AND_TIES = re.compile(r"[{}~]")
QUOTES_AND_DASHES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"))
PROTECTED = {"{": "\x01", "}": "\x02"}
LATEX_MARKUP = re.compile(r"[\\{}~`]|--|''")
"""What a field needs to hold for latex_text to change it."""


def latex_text(value: str) -> str:
    """A BibTeX field's LaTeX as plain text: accents and special letters as Unicode, escaped
    characters as themselves, a command with an argument as its argument (`\\emph{x}` is x) and
    one without as its name (`\\alpha` is alpha, in math too), braces removed, `--`/`---` as
    dashes, `~` and `\\\\` as spaces. Its lines are read as one first (unwrap_lines), as a field
    holding an abstract pasted from a PDF has them."""
    if "\n" in value or "\r" in value:
        value = unwrap_lines(value)
    if not LATEX_MARKUP.search(value):
        return value
    text = ACCENTED.sub(_accented, value.replace("\\\\", " "))
    text = LETTER.sub(lambda match: LETTERS[match.group(1)], text)
    text = ESCAPED.sub(lambda match: _escaped(match.group(1)), text)
    text = COMMAND.sub(lambda match: match.group(2) or match.group(1), text)  # (its argument's braces go next)
    text = BRACES_AND_TIES.sub(lambda match: " " if match.group() == "~" else "", text)
    for latex, character in QUOTES_AND_DASHES:
        text = text.replace(latex, character)
    text = text.replace(PROTECTED["{"], "{").replace(PROTECTED["}"], "}")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def _accented(match: re.Match) -> str:
    letter = match.group(2) or match.group(3)
    letter = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return letter.lstrip("\\") + ACCENTS[match.group(1)]


def _escaped(character: str) -> str:
    if character in "-/":
        return ""
    return " " if character in " ,;:!" else PROTECTED.get(character, character)
