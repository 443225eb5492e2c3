"""taxotag: tag research abstracts with the topics of an editable taxonomy.

    import taxotag

    tagger = taxotag.Tagger.load("models/default")        # a model folder keeps its taxonomy
    tagged = tagger.tag(frame)                             # id, title, tags, score_<tag>, evidence, ...
    taxotag.train("corpus.jsonl", taxonomy="taxonomy.yaml", model="models/mine")  # or a DataFrame
    table = taxotag.evaluate("gold.csv", model="models/mine")

The names below load their libraries when first used, so `import taxotag` (and `taxotag --help`)
stays quick.
"""

from importlib import import_module

__all__ = ["Tagger", "train", "evaluate", "load_taxonomy", "Taxonomy", "TaxotagError", "TaxonomyError",
           "InputFileError", "ModelError", "StaleModelError"]

_HOME = {"Tagger": "tagging.tagger", "train": "jobs.api", "evaluate": "jobs.api", "load_taxonomy": "taxonomy.loading",
         "Taxonomy": "taxonomy.schema", "TaxotagError": "errors", "TaxonomyError": "errors",
         "InputFileError": "errors", "ModelError": "errors", "StaleModelError": "errors"}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'taxotag' has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
