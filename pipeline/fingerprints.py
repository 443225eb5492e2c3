"""Every sha256 taxotag takes: of a JSON value (keys sorted, UTF-8), of text, and of a file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def json_sha256(value) -> str:
    """The sha256 of a JSON value, written with sorted keys and encoded as UTF-8, so that the same
    value always has the same digest."""
    return text_sha256(json.dumps(value, sort_keys=True))


def text_sha256(text: str) -> str:
    """The sha256 of a text, encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
