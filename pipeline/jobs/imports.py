"""The `import` job: papers from any input files into one CSV or JSON Lines file; from listing
files, the same title in several merged (each source kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..files import refuse_overwriting, write_text
from ..formats import input_format_of, streamed_format_of
from ..readers.decoding import TextSource
from ..readers.documents import no_records, read_all, require_file
from ..readers.listings import parse_listing
from ..readers.records import ReadReport
from ..writers.rows import write_csv, write_jsonl_text


@dataclass
class Imported:
    """What `import_papers` wrote: the papers, where, and the records it skipped (in `report`)."""

    papers: pd.DataFrame
    path: Path
    report: ReadReport


def import_papers(inputs, output, id_prefix: str = "s") -> Imported:
    """The papers of the input files in one file, CSV or JSON Lines as its name says: listing files
    through import_listings, any other files read as `tag` reads them (by their names)."""
    refuse_overwriting(inputs, [output])
    written_as = streamed_format_of(output)  # (a bad name is refused before any reading)
    if all(input_format_of(path) == "listing" for path in inputs):
        papers, report = import_listings(inputs, id_prefix=id_prefix)
    else:
        report = ReadReport()
        papers = read_all(inputs, report=report, id_prefix=id_prefix)
    path = write_csv(output, papers) if written_as == "csv" else write_text(output, write_jsonl_text(papers))
    return Imported(papers, Path(path), report)


def title_key(title: str) -> str:
    """A title reduced to lowercase letters and digits, for finding the same paper twice."""
    return re.sub(r"[^a-z0-9]+", "", title.lower())


def import_listings(paths, id_prefix: str = "s") -> tuple[pd.DataFrame, ReadReport]:
    """Papers from listing files, duplicates (same title) merged, ids numbered in reading order."""
    report = ReadReport()
    papers, seen = [], {}
    for path in paths:
        path = require_file(path)
        found = 0
        for line, title, abstract in parse_listing(TextSource(path, report).lines(), path, report):
            found += 1
            key = title_key(title)
            if key in seen:
                seen[key]["sources"] += f";{path.name}:{line}"
                continue
            paper = {"title": title, "abstract": abstract, "sources": f"{path.name}:{line}"}
            seen[key] = paper
            papers.append(paper)
        if not found:
            no_records(path, "listing", {}, None, [p for p in report.problems if p.path == str(path)])
    width = max(3, len(str(max(len(papers) - 1, 0))))
    frame = pd.DataFrame(papers, columns=["title", "abstract", "sources"])
    frame.insert(0, "id", [f"{id_prefix}{i:0{width}d}" for i in range(len(frame))])
    report.records = len(frame)
    return frame, report
