"""`taxotag init` and the README's walkthrough for a taxonomy of one's own, run with no demo file."""

import gzip
import itertools
import json

import pandas as pd

from taxotag.taxonomy.loading import load_taxonomy
from tests.conftest import ROOT, run_cli


def test_init_to_a_tagged_csv_on_a_corpus_of_ones_own(capsys, tmp_path, monkeypatch):
    project = tmp_path / "mine"
    code, out, _ = run_cli(capsys, "init", project)
    assert code == 0 and out.startswith(f"made {project}/")
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "data", "models", "taxonomy.yaml"]
    starter = load_taxonomy(project / "taxonomy.yaml")
    assert starter.tag_ids == ["diffusion", "graph_neural_networks"]
    text = (project / "taxonomy.yaml").read_text("utf-8")
    for key in ("phrase:", "regex:", "pattern:", "concept:", "weight:", "where:", "min_count:", "unless:",
                "within:", "scoped:", "model_adds"):
        assert key in text  # (every key explained)

    with gzip.open(ROOT / "data" / "arxiv_sample.jsonl.gz", "rt", encoding="utf-8") as source:
        lines = list(itertools.islice(source, 3000))
    (project / "data" / "papers.jsonl").write_text("".join(lines[:2800]), "utf-8")
    pd.DataFrame([json.loads(line) for line in lines[2800:]])[["id", "title", "abstract"]].to_csv(
        project / "data" / "new_papers.csv", index=False)

    monkeypatch.chdir(project)  # (no demo file here: every path below is the project's own)
    assert run_cli(capsys, "validate")[:2] == (0, "taxonomy.yaml: OK (2 tags, 3 rules)\n")
    code, out, _ = run_cli(capsys, "rules", "--corpus", "data/papers.jsonl")
    assert code == 0 and "diffusion_names" in out and "gnn_names" in out
    code, out, err = run_cli(capsys, "train", "--corpus", "data/papers.jsonl")
    assert code == 0 and "-> models/default/" in out and "weak positives: diffusion " in out, err
    code, out, _ = run_cli(capsys, "tag", "data/new_papers.csv", "-o", "tagged.csv")
    assert code == 0 and "tagged 200 abstracts" in out
    tagged = pd.read_csv(project / "tagged.csv", keep_default_na=False)
    assert len(tagged) == 200 and {"score_diffusion", "score_graph_neural_networks", "model_tags"} <= set(tagged.columns)
    given = tagged[tagged["tags"] != ""]
    assert len(given) > 0 and set(";".join(given["tags"]).split(";")) <= {"diffusion", "graph_neural_networks"}
    code, out, _ = run_cli(capsys, "explain", given["id"].iloc[0], "--input", "data/new_papers.csv")
    assert code == 0 and out.startswith(f"{given['id'].iloc[0]}: ")


def test_init_keeps_an_existing_taxonomy(capsys, tmp_path):
    (tmp_path / "taxonomy.yaml").write_text("mine\n")
    code, _, err = run_cli(capsys, "init", tmp_path)
    assert code == 1 and "already there; init does not replace a taxonomy" in err
    assert (tmp_path / "taxonomy.yaml").read_text() == "mine\n"
    (tmp_path / "file").write_text("")
    assert run_cli(capsys, "init", tmp_path / "file")[2] == f"Error: {tmp_path / 'file'}: is a file, not a folder\n"
