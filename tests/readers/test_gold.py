"""Tests of taxotag.readers.gold."""

import pandas as pd
import pytest

from taxotag.errors import InputFileError
from taxotag.readers.gold import load_gold
from tests.conftest import ROOT


def test_load_gold_reports_ignored_columns_and_bad_values(tmp_path, taxonomy):
    path = tmp_path / "gold.csv"
    path.write_text("id,title,abstract,distillation,few_zero_shot\n1,T,A,1,0\n")
    gold, shared, ignored = load_gold(path, taxonomy.tag_ids)
    assert (shared, ignored) == (["distillation"], ["few_zero_shot"])
    path.write_text("id,title,abstract,distillation,clip_style\n1,T,A,yes,0\n2,T,A,1,\n3,T,A,0,1\n4,T,A,2,1\n")
    with pytest.raises(InputFileError) as error:
        load_gold(path, taxonomy.tag_ids)
    assert str(error.value) == (f"{path}: 2 gold label(s) are not 0 or 1 (or blank, not labelled yet): row 1, id '1', "
                                "column 'distillation': 'yes'; row 4, id '4', column 'distillation': '2'")


def test_load_gold_reads_labels_and_tag_columns_written_other_ways(tmp_path, taxonomy):
    path = tmp_path / "gold.tsv"
    path.write_text("ID\tTitle\tAbstract\tDistillation\tclip-style\tWeak To Strong\n"
                    "1\tT\tA\t1.0\tTrue\t 0 \n2\tT\tA\t0.0\tfalse\t1\n")
    gold, shared, ignored = load_gold(path, taxonomy.tag_ids)
    assert (shared, ignored) == (["weak_to_strong", "distillation", "clip_style"], [])
    assert gold[shared].values.tolist() == [[0, 1, 1], [1, 0, 0]]
    path.write_text("id\ttitle\tabstract\tclip-style\tClip_Style\n1\tT\tA\t1\t1\n")
    with pytest.raises(InputFileError, match=r"columns 'clip-style', 'Clip_Style' are all tag 'clip_style'"):
        load_gold(path, taxonomy.tag_ids)


def test_load_gold_reads_labels_as_numbers_and_booleans_in_json_lines_and_parquet(tmp_path, taxonomy):
    """Files that keep types give labels as 1, 1.0 or true rather than text; a null is still an error."""
    frame = pd.DataFrame({"id": ["1", "2"], "title": ["T", "U"], "abstract": ["A", "B"],
                          "distillation": [1, 0], "clip_style": [True, False], "weak_to_strong": [0.0, 1.0]})
    frame.to_json(tmp_path / "gold.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "gold.parquet")
    for name in ("gold.jsonl", "gold.parquet"):
        gold, shared, _ = load_gold(tmp_path / name, taxonomy.tag_ids)
        assert gold[shared].values.tolist() == [[0, 1, 1], [1, 0, 0]]
    frame.assign(distillation=[1, None]).to_json(tmp_path / "gap.jsonl", orient="records", lines=True)
    gold, shared, _ = load_gold(tmp_path / "gap.jsonl", taxonomy.tag_ids)  # (null: not labelled yet)
    assert gold["distillation"].tolist() == [1, -1]
    frame.assign(distillation=[1, "maybe"]).to_json(tmp_path / "bad.jsonl", orient="records", lines=True)
    with pytest.raises(InputFileError, match=r"1 gold label\(s\) are not 0 or 1 \(or blank, not labelled yet\): "
                                             r"row 2, id '2', column 'distillation'"):
        load_gold(tmp_path / "bad.jsonl", taxonomy.tag_ids)


def test_blank_cells_are_not_labelled_yet_and_left_out_of_their_tag_only(tmp_path, taxonomy, trained_model_dir):
    from taxotag.evaluation.gold_runs import evaluate_gold
    from taxotag.model.artifacts import load_model

    full = pd.read_csv(ROOT / "data" / "seed_gold.csv")
    partial = full.astype({"distillation": object, "clip_style": object})
    partial.loc[:4, "distillation"] = ""
    partial.loc[:1, "clip_style"] = None
    partial.to_csv(tmp_path / "partial.csv", index=False)
    full.iloc[5:].to_csv(tmp_path / "rest.csv", index=False)
    model = load_model(trained_model_dir, taxonomy)
    evaluation = evaluate_gold(taxonomy, model, tmp_path / "partial.csv")
    assert evaluation.unlabelled == {"distillation": 5, "clip_style": 2}
    assert "blank cells, not labelled yet, left out of their tag's figures: distillation 5, clip_style 2" in \
        evaluation.column_notes()
    rest = evaluate_gold(taxonomy, model, tmp_path / "rest.csv").results.set_index(["system", "tag"])
    results = evaluation.results.set_index(["system", "tag"])
    columns = ["tp", "fp", "fn"]
    assert results.loc[("combined", "distillation"), columns].tolist() == rest.loc[("combined", "distillation"), columns].tolist()
    whole = evaluate_gold(taxonomy, model, ROOT / "data" / "seed_gold.csv").results.set_index(["system", "tag"])
    assert results.loc[("combined", "semi_supervised"), columns].tolist() == \
        whole.loc[("combined", "semi_supervised"), columns].tolist()  # (its cells are all labelled)
