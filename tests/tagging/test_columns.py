"""Tests of taxotag.tagging.columns."""

import pandas as pd

from taxotag.model.artifacts import load_model
from taxotag.tagging.tagger import Tagger


def test_an_input_column_named_like_an_output_column_is_kept_as_input_name(trained_model_dir, taxonomy):
    """A file's own `tags` (a reading list's labels) or `evidence` column is not lost under ours."""
    from taxotag.tagging.columns import output_columns

    tagger = Tagger(taxonomy, load_model(trained_model_dir, taxonomy))
    frame = pd.DataFrame({"id": ["1"], "title": ["Self-supervised learning of speech"],
                          "abstract": ["We propose a self-supervised objective."], "tags": ["to read"],
                          "input_tags": ["x"], "evidence": ["mine"], "year": [2025]})
    out = tagger.tag_frame(frame)
    assert list(out.columns) == output_columns(taxonomy.tag_ids, frame.columns)
    assert list(out.columns)[-4:] == ["input_input_tags", "input_tags", "input_evidence", "year"]
    assert out.loc[0, "input_input_tags"] == "to read" and out.loc[0, "input_evidence"] == "mine"
    assert "self_supervised" in out.loc[0, "tags"].split(";")
