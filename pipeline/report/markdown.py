"""The Markdown evaluation report (out/report.md)."""

from __future__ import annotations

from datetime import date

from ..evaluation.metrics import format_table
from ..model.artifacts import read_manifest
from ..taxonomy.schema import Taxonomy


def markdown_report(taxonomy: Taxonomy, model_dir, evaluations, weak_positives: dict, corpus_size: int) -> str:
    """Per-gold-set tables for rules, model and combined, plus what the model was trained on."""
    manifest = read_manifest(model_dir)
    lines = [
        "# taxotag evaluation report",
        "",
        f"- date: {date.today().isoformat()}",
        f"- taxonomy: `{taxonomy.path}` (fingerprint `{taxonomy.fingerprint()[:12]}`)",
        f"- model: `{model_dir}` (trained {manifest.created} on {corpus_size:,} abstracts)",
        "- weak positives in the training corpus: "
        + ", ".join(f"{tag} {count}" for tag, count in weak_positives.items()),
        "- model thresholds: " + ", ".join(f"{t} {v:.2f}" for t, v in manifest.thresholds.items()),
        *[f"- {tag}: {note}" for tag, note in manifest.notes.items()],
        "",
        "Systems: `rules` = the taxonomy's rules alone; `model` = the TF-IDF model alone (trained on the",
        "rules' weak labels with the trigger words masked); `combined` = the rules, plus what the",
        f"model may add under the taxonomy's `policy.model_adds` (`{taxonomy.policy.model_adds}`), then",
        "exclusions, implications and parents.",
    ]
    for evaluation in evaluations:
        lines += ["", f"## {evaluation.path} ({len(evaluation.gold)} abstracts)", "",
                  format_table(evaluation.results), "",
                  "What the model adds: its precision and recall on the documents where the rules did not",
                  "give the tag.", "", format_table(evaluation.model_where_rules_silent)]
        lines += [line for note in evaluation.column_notes() for line in ("", note_sentence(note))]
    return "\n".join(lines) + "\n"


def note_sentence(note: str) -> str:
    """A column note ("gold columns ... ignored: x") as a sentence in the report."""
    return note[0].upper() + note[1:] + "."
