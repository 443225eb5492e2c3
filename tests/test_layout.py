"""The package's layout: subpackages in the order data passes through them, each module short,
with a test file of its own, and imports that only point back up the stream."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
STAGES = ["errors", "fingerprints", "formats", "options", "files", "processes", "display",  # (shared by all)
          "readers", "taxonomy", "rules", "model", "training", "tagging", "writers", "evaluation", "report",
          "jobs", "cli", "__init__", "__main__"]
"""Top-level modules and subpackages, in data-flow order: each may import only from those before it."""
LAZY_IMPORTS = {
    ("writers.outputs", "writers.parquet"),  # pyarrow, loaded only for a Parquet output
    ("report.html", "report.plots"),  # matplotlib, loaded only when a report is drawn
    ("cli.entry", "cli.parser"),  # the libraries, loaded with Ctrl-C held back
    ("rules.matching", "taxonomy.token_patterns"),  # spaCy, loaded only for a token pattern rule
    ("taxonomy.rule_checks", "taxonomy.token_patterns"),  # (the same, to check one)
}
"""Imports inside a function, each to load a heavy library only when needed (not to dodge a cycle)."""
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    return {".".join(path.relative_to(PACKAGE).with_suffix("").parts): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether at module level, a top-level try included) for each relative import of a module."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")[:-1]
    found = []
    top_level = tree.body + [inner for node in tree.body if isinstance(node, ast.Try) for inner in node.body]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            if node.module:
                targets = [".".join(base + node.module.split("."))]
            else:
                targets = [".".join(base + [alias.name]) for alias in node.names]
            found += [(target, node in top_level) for target in targets]
    return found


def _stage(name: str) -> int:
    return STAGES.index(name.split(".")[0])


def test_every_module_has_its_own_test_file_and_stays_short():
    for name, path in _modules().items():
        if path.name in ("__init__.py", "__main__.py"):
            continue
        *folders, module = name.split(".")
        assert ROOT.joinpath("tests", *folders, f"test_{module}.py").is_file(), f"no tests for {name}"
        assert len(path.read_text("utf-8").splitlines()) <= MAX_LINES, f"{name} is over {MAX_LINES} lines"


def test_every_top_level_name_has_a_stage():
    assert {name.split(".")[0] for name in _modules()} == set(STAGES)


def test_no_module_imports_from_a_later_stage_or_inside_a_function_but_to_load_a_library_late():
    for name, path in _modules().items():
        for target, at_top in _imports(name, path):
            assert _stage(target) <= _stage(name), f"{name} imports {target}, of a later stage"
            assert at_top or (name, target) in LAZY_IMPORTS, f"{name} imports {target} inside a function"


def test_there_is_no_import_cycle():
    modules = _modules()
    graph = {name: {target for target, _ in _imports(name, path) if target in modules}
             for name, path in modules.items()}
    done, path = set(), []

    def visit(name):
        if name in path:
            pytest.fail("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        path.append(name)
        for target in sorted(graph[name]):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
