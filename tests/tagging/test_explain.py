"""Tests of taxotag.tagging.explain."""




def test_explain_prints_each_tags_decision(capsys, trained_model_dir, taxonomy):
    from taxotag.cli.parser import main
    from tests.conftest import ROOT

    code = main(["explain", "s001", "--input", str(ROOT / "data" / "seed_papers.jsonl"),
                 "--model", str(trained_model_dir), "--taxonomy", str(taxonomy.path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "weakly_supervised: GIVEN (score 0.7" in out and "): by its rules (rule score " in out
    assert all(f"{tag}: " in out for tag in taxonomy.tag_ids)
