"""Tests of taxotag.report.gold_errors."""

from taxotag.report.gold_errors import errors_text, gold_errors


def test_the_errors_of_a_tag_are_its_combined_false_positives_then_false_negatives(seed_evaluation, taxonomy):
    evaluation, tagger = seed_evaluation
    results = evaluation.results.set_index(["system", "tag"])
    for tag in taxonomy.tag_ids:
        rows = gold_errors(evaluation, tagger, tag)
        kinds = [row["kind"] for row in rows]
        assert kinds == sorted(kinds, key=lambda kind: kind != "false positive")
        assert kinds.count("false positive") == results.loc[("combined", tag), "fp"]
        assert kinds.count("false negative") == results.loc[("combined", tag), "fn"]
        gold = evaluation.gold.set_index("id")
        for row in rows:
            assert gold.loc[row["id"], tag] == (1 if row["kind"] == "false negative" else 0)
            assert 0.0 <= row["model"] <= 1.0
            assert row["given by"] in (("rules", "model", "implied") if row["kind"] == "false positive" else ("",))
            assert row["mentions"] and row["decision"]


def test_the_errors_text_has_a_heading_per_tag_and_a_line_per_error(seed_evaluation, taxonomy):
    evaluation, tagger = seed_evaluation
    lines = errors_text(evaluation, tagger).splitlines()
    headings = [line for line in lines if not line.startswith(" ")]
    assert [line.split(":")[0] for line in headings] == taxonomy.tag_ids
    errors = sum(len(gold_errors(evaluation, tagger, tag)) for tag in taxonomy.tag_ids)
    assert sum(line.startswith(("  FP ", "  FN ")) for line in lines) == errors
    assert sum(line.startswith("       not given: ") for line in lines) == sum(
        line.startswith("  FN ") for line in lines)
