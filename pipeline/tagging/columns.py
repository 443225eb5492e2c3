"""The columns of the tagged output: id, title, tags, a score per tag, model_tags, evidence, then
the input's other columns."""

from __future__ import annotations

from ..options import REQUIRED_COLUMNS

MODEL_TAGS = "model_tags"
"""The output column of the tags the model alone gives, whether or not the policy lets it add them."""


def output_columns(tag_ids: list[str], input_columns, with_abstract: bool = False) -> list[str]:
    """The columns of the tagged output: id, title (with `with_abstract`, the abstract), tags, a
    score per tag, model_tags, evidence, then the input's other columns (see passed_columns)."""
    own = _own_columns(tag_ids)
    if with_abstract:
        own.insert(2, "abstract")
    return own + list(passed_columns(tag_ids, input_columns).values())


def passed_columns(tag_ids: list[str], input_columns) -> dict[str, str]:
    """{input column: its name in the output} for the input's columns other than id, title and
    abstract. One that has the name of an output column (the input's own `tags`) is `input_tags`."""
    own = _own_columns(tag_ids)
    taken = set(own) | set(input_columns)
    names = {}
    for column in input_columns:
        if column in REQUIRED_COLUMNS:
            continue
        name = column
        if column in own:
            while name in taken:
                name = f"input_{name}"
            taken.add(name)
        names[column] = name
    return names


def _own_columns(tag_ids: list[str]) -> list[str]:
    return ["id", "title", "tags", *[f"score_{tag_id}" for tag_id in tag_ids], MODEL_TAGS, "evidence"]
