"""The self-contained HTML evaluation report (out/report.html): figures, per-tag tables, rules,
errors, and, without gold, what the tagger does on the corpus."""

from __future__ import annotations

from datetime import date

import numpy as np

from ..evaluation.metrics import figure
from ..model.artifacts import read_manifest
from ..model.manifest import model_fingerprint
from ..readers.gold import UNLABELLED
from ..tagging.tagger import held_back
from ..taxonomy.schema import Taxonomy
from .gold_errors import gold_errors
from .markdown import note_sentence


def html_report(taxonomy: Taxonomy, model_dir, evaluations, tagger, rule_table, corpus_tags=None) -> str:
    """The self-contained HTML report: summary, metrics with intervals, PR curves, rule analysis,
    errors on gold with their evidence, training-corpus counts, fingerprints and date. Without
    gold (no evaluations) it has no gold sections; instead, from `corpus_tags` (the corpus's
    documents and the predictions on them), each tag's count and share and example papers with
    their evidence."""
    import html

    from . import plots

    manifest = read_manifest(model_dir)
    tags = taxonomy.tag_ids
    esc = html.escape
    corpus = manifest.corpus
    parts = ["<h1>taxotag evaluation report</h1>",
             f"<p class='meta'>{esc(date.today().isoformat())} · taxonomy <code>{esc(taxonomy.path)}</code> "
             f"(fingerprint <code>{taxonomy.fingerprint()[:12]}</code>) · model <code>{esc(str(model_dir))}</code> "
             f"(fingerprint <code>{model_fingerprint(manifest)}</code>, trained {esc(manifest.created)} on "
             f"{corpus.documents:,} abstracts) · policy.model_adds "
             f"<code>{esc(taxonomy.policy.model_adds)}</code></p>"]
    if evaluations:
        parts.append(_summary_html(evaluations, tags))
    elif corpus_tags is not None:
        parts.append(_corpus_tags_html(tagger, *corpus_tags))
    for evaluation in evaluations:
        shared = [t for t in tags if t in evaluation.results["tag"].unique()]
        parts.append(f"<h2>{esc(evaluation.path)} ({len(evaluation.gold)} abstracts)</h2>")
        parts.append(_metrics_table_html(evaluation.results, shared))
        parts.append("<div class='figure'>" + plots.metrics_figure(
            evaluation.results, shared, f"{evaluation.path}: precision and recall with 95% intervals") + "</div>")
        parts += [f"<p>{esc(note_sentence(note))}</p>" for note in evaluation.column_notes()]
    truth, model_scores, combined_scores = {}, {}, {}
    for tag in tags:
        pairs = []
        for e in evaluations:
            if tag in e.gold.columns:
                labelled = e.gold[tag].to_numpy() != UNLABELLED  # (a blank cell is not labelled yet)
                pairs.append((e.gold[tag].to_numpy()[labelled], e.predictions.probabilities[labelled, tags.index(tag)],
                              e.predictions.scores[labelled, tags.index(tag)]))
        if pairs:
            truth[tag] = np.concatenate([p[0] for p in pairs]).astype(int)
            model_scores[tag] = np.concatenate([p[1] for p in pairs])
            combined_scores[tag] = np.concatenate([p[2] for p in pairs])
    if truth:
        parts.append("<h2>Precision-recall curves (all gold sets together)</h2>")
        parts.append("<p>The model curve ranks documents by the model's probability, the combined curve by "
                     "<code>score_&lt;tag&gt;</code>; dots mark the thresholds in use.</p>")
        thresholds = dict(zip(tags, map(float, tagger.thresholds)))
        parts.append("<div class='figure'>" + plots.pr_curves_figure(truth, model_scores, combined_scores,
                                                                      thresholds) + "</div>")
    parts.append("<h2>Rules</h2><p>On the training corpus: coverage (share of abstracts where the rule fired), "
                 "passing (matched without firing), overlaps (fired with another rule), conflicts (fired with a "
                 "rule of another tag) and sole voter (abstracts where it is the only rule of its tag that fired); "
                 "on the gold sets: correct, incorrect and empirical precision (95% Wilson interval).</p>")
    parts.append(_rule_table_html(rule_table))
    if evaluations:
        parts.append("<h2>Errors on gold (combined)</h2>")
        parts.append(_errors_html(evaluations, tagger, tags))
    counts, notes = corpus.weak_positives, manifest.notes
    if counts:
        parts.append("<h2>Training corpus</h2><div class='figure'>"
                     + plots.counts_figure(counts, corpus.documents) + "</div>")
    parts.append("<h2>Model</h2><ul>"
                 + "".join(f"<li><code>{esc(t)}</code>: threshold {v:.3f}"
                           + (f" ({esc(notes[t])})" if t in notes else "") + "</li>"
                           for t, v in manifest.thresholds.items())
                 + f"<li>training corpus sha256 <code>{esc(corpus.sha256[:16])}</code></li>"
                 + "".join(f"<li>{esc(k)} {esc(v)}</li>" for k, v in manifest.packages.items())
                 + "</ul>")
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>taxotag report</title><style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2em auto; max-width: 1150px;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.88em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.55em; text-align: right; vertical-align: top; }
th { background: #f4f4f4; } td.text, th.text { text-align: left; }
.ok { background: #e3f4e1; } .low { background: #fbe3e0; }
.figure svg { max-width: 100%; height: auto; }
details { margin: 0.3em 0; } summary { cursor: pointer; font-weight: 600; }
code { background: #f4f4f4; padding: 0 0.2em; }
"""


def _with_interval(row, name: str) -> str:
    """`0.85 [0.71, 0.93]`: a row's precision or recall with its 95% interval."""
    return f"{figure(row[name], 2)} [{figure(row[name + '_low'], 2)}, {figure(row[name + '_high'], 2)}]"


def _summary_html(evaluations, tags) -> str:
    """Combined precision / recall per tag and gold set, marked against the 0.90 / 0.80 targets."""
    import html

    header = "".join(f"<th colspan='2'>{html.escape(e.path)}</th>" for e in evaluations)
    rows = []
    for tag in tags:
        cells = []
        for evaluation in evaluations:
            row = evaluation.results[(evaluation.results["system"] == "combined") & (evaluation.results["tag"] == tag)]
            if row.empty:
                cells.append("<td colspan='2'>not in gold</td>")
                continue
            p, r = row.iloc[0]["precision"], row.iloc[0]["recall"]
            cells.append(f"<td class='{'ok' if p >= 0.9 else 'low'}'>{figure(p, 2)}</td>"
                         f"<td class='{'ok' if r >= 0.8 else 'low'}'>{figure(r, 2)}</td>")
        rows.append(f"<tr><th class='text'>{html.escape(tag)}</th>{''.join(cells)}</tr>")
    sub = "".join("<th>precision</th><th>recall</th>" for _ in evaluations)
    return ("<h2>Summary</h2><p>Combined system (rules, then the model where the policy lets it add). Green: "
            "precision &ge; 0.90 / recall &ge; 0.80.</p>"
            f"<table><tr><th class='text' rowspan='2'>tag</th>{header}</tr><tr>{sub}</tr>{''.join(rows)}</table>")


EXAMPLES_PER_TAG = 5


def _corpus_tags_html(tagger, documents, predictions) -> str:
    """Without gold: each tag's count and share of the corpus under the combined system, the
    documents the policy held back, and the first example papers with their evidence."""
    import html

    esc, total = html.escape, max(len(documents), 1)
    rows, examples = [], []
    held_counts = held_back(predictions).sum(axis=0)
    for j, tag in enumerate(tagger.taxonomy.tag_ids):
        given = np.flatnonzero(predictions.combined[:, j])
        held = int(held_counts[j])
        rows.append(f"<tr><td class='text'><code>{esc(tag)}</code></td><td>{len(given):,}</td>"
                    f"<td>{100 * len(given) / total:.1f}%</td><td>{held:,}</td></tr>")
        items = "".join(f"<li><code>{esc(str(documents['id'].iloc[i]))}</code> {esc(documents['title'].iloc[i])}"
                        f"<br><small>{esc(tagger.explain(predictions, i))}</small></li>"
                        for i in given[:EXAMPLES_PER_TAG])
        examples.append(f"<details><summary>{esc(tag)}: {len(given):,} papers</summary><ul>{items or '<li>none</li>'}"
                        "</ul></details>")
    return (f"<h2>Tags on the training corpus</h2><p>No gold set was given, so there are no precision or recall "
            f"figures; these are the combined system's tags on the {len(documents):,} corpus abstracts (held back: "
            "the model gave the tag, the policy did not let it add it). <code>taxotag sample</code> draws papers to "
            "label, and <code>taxotag report --gold FILE</code> scores them.</p>"
            "<table><tr><th class='text'>tag</th><th>papers</th><th>share</th><th>held back</th></tr>"
            + "".join(rows) + "</table>" + "".join(examples))


def _metrics_table_html(results, tags) -> str:
    import html

    rows = ["<tr><th class='text'>tag</th><th class='text'>system</th><th>precision [95%]</th>"
            "<th>recall [95%]</th><th>F1</th><th>support</th><th>TP</th><th>FP</th><th>FN</th></tr>"]
    for tag in tags:
        for _, row in results[results["tag"] == tag].iterrows():
            rows.append(
                f"<tr><td class='text'>{html.escape(tag)}</td><td class='text'>{row['system']}</td>"
                f"<td>{_with_interval(row, 'precision')}</td><td>{_with_interval(row, 'recall')}</td>"
                f"<td>{figure(row['f1'], 2)}</td><td>{int(row['support'])}</td><td>{int(row['tp'])}</td>"
                f"<td>{int(row['fp'])}</td><td>{int(row['fn'])}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _rule_table_html(table) -> str:
    import html

    columns = [c for c in ("rule", "tag", "kind", "coverage", "passing", "overlaps", "conflicts", "correct",
                           "incorrect", "precision") if c in table.columns]
    rows = ["<tr>" + "".join(f"<th class='{'text' if c in ('rule', 'tag', 'kind') else ''}'>{c}</th>"
                             for c in columns) + "</tr>"]
    for _, row in table.iterrows():
        cells = []
        for column in columns:
            value = row[column]
            if column in ("coverage", "passing", "overlaps", "conflicts"):
                text = f"{100 * value:.2f}%"
            elif column == "precision":
                text = _with_interval(row, "precision")
            elif column in ("correct", "incorrect"):
                text = "" if value != value else str(int(value))
            else:
                text = html.escape(str(value))
            cells.append(f"<td class='{'text' if column in ('rule', 'tag', 'kind') else ''}'>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _errors_html(evaluations, tagger, tags) -> str:
    """False positives and false negatives per tag, each with what the rules and model saw."""
    import html

    parts = []
    head = ("<th class='text'>gold file</th><th class='text'>id</th><th class='text'>title</th><th>model</th>"
            "<th class='text'>given by</th><th class='text'>decision</th><th class='text'>rule mentions</th>")
    for tag in tags:
        rows = {"false positive": [], "false negative": []}
        for evaluation in evaluations:
            if tag in evaluation.gold.columns:
                for row in gold_errors(evaluation, tagger, tag):
                    cells = [html.escape(str(row[key])) for key in ("gold", "id", "title")]
                    rows[row["kind"]].append(
                        "<tr>" + "".join(f"<td class='text'>{cell}</td>" for cell in cells)
                        + f"<td>{row['model']:.2f}</td><td class='text'>{html.escape(row['given by'])}</td>"
                        f"<td class='text'>{html.escape(row['decision'])}</td>"
                        f"<td class='text'>{html.escape(row['mentions'])}</td></tr>")
        summary = (f"{html.escape(tag)}: {len(rows['false positive'])} false positives, "
                   f"{len(rows['false negative'])} false negatives")
        parts.append(f"<details><summary>{summary}</summary>"
                     f"<h4>False positives</h4><table><tr>{head}</tr>{''.join(rows['false positive'])}</table>"
                     f"<h4>False negatives</h4><table><tr>{head}</tr>{''.join(rows['false negative'])}</table>"
                     "</details>")
    return "".join(parts)
