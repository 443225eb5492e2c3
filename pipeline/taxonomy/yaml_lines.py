"""Read taxonomy YAML safely (libyaml's safe loader, no alias bombs, no duplicate keys) and keep
the line of every key, so that each problem can name its line."""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import TaxonomyError

MAX_EXPANDED_NODES = 100_000
"""A taxonomy whose YAML aliases expand to more nodes than this is refused (alias bomb)."""


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C (libyaml) when it is installed: the same safe subset as
yaml.safe_load, which never builds Python objects from tags, ten times faster."""


def read_yaml(text: str, path) -> tuple[Any, dict]:
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(path, [f"{where}YAML syntax error: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(path, [f"YAML error: {exc}"]) from None
    if root is None:
        raise TaxonomyError(path, ["line 1: the file is empty"])
    _check_expansion(root, path)
    line_of: dict = {}
    duplicates: list[str] = []
    _record_lines(root, (), line_of, duplicates)
    if duplicates:
        raise TaxonomyError(path, duplicates)
    try:
        return yaml.load(text, Loader=SAFE_LOADER), line_of  # (safe: SAFE_LOADER is a SafeLoader)
    except yaml.MarkedYAMLError as exc:  # e.g. a !!python/object tag, which safe_load refuses
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(path, [f"{where}YAML error: {exc.problem or exc.context}"]) from None


def _check_expansion(root, path) -> None:
    """Refuse recursive aliases and alias bombs before anything walks the expanded tree."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise TaxonomyError(path, [f"line {node.start_mark.line + 1}: recursive YAML alias"])
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        in_progress.discard(key)
        if total > MAX_EXPANDED_NODES:
            raise TaxonomyError(
                path,
                [f"line {node.start_mark.line + 1}: YAML aliases expand to more than "
                 f"{MAX_EXPANDED_NODES:,} nodes; refusing a possible alias bomb"],
            )
        sizes[key] = total
        return total

    size(root)


def _record_lines(node, path: tuple, line_of: dict, duplicates: list[str]) -> None:
    """Map every key path to its YAML line; note keys given twice in one mapping (YAML would
    silently keep the last)."""
    line_of.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                first = seen[key_node.value]
                duplicates.append(f"line {line}: duplicate key '{key_node.value}' (first on line {first})")
            seen.setdefault(key_node.value, line)
            line_of[child] = line
            _record_lines(value_node, child, line_of, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), line_of, duplicates)


def yaml_line(line_of: dict, loc: tuple) -> int:
    """The YAML line of the deepest known prefix of a location."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in line_of:
            return line_of[tuple(loc[:end])]
    return 1
