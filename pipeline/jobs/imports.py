"""The `import` job: papers from listing files, the same title in several merged (each source kept)."""

from __future__ import annotations

import re

import pandas as pd

from ..readers.decoding import TextSource
from ..readers.documents import no_records, require_file
from ..readers.listings import parse_listing
from ..readers.records import ReadReport


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
