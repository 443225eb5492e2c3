"""Tests of taxotag.rules.votes."""

from taxotag.rules.votes import Mention


def test_a_mention_across_lines_is_described_on_one_line():
    mention = Mention(rule=0, start=0, end=30, text="Prompt Tuning\n\nVision-language  models",
                      in_title=True, in_claim=True)
    assert mention.describe() == "'Prompt Tuning Vision-language models' (title)"


def test_mentions_carry_evidence_spans(small_rules):
    title = "Self-supervised learning at scale"
    votes = small_rules.apply([title], ["We train models."])
    (mention,) = [m for m in votes.mentions[0] if votes.rule_ids[m.rule] == "ssl_phrase"]
    text = f"{title}\n\nWe train models."
    assert text[mention.start:mention.end] == "Self-supervised learning"
    assert mention.in_title and mention.passing is None


def test_a_long_mention_is_shown_by_its_start_and_end():
    text = "image " + "word " * 40 + "caption"
    shown = Mention(rule=0, start=0, end=len(text), text=text, in_title=False, in_claim=False).describe()
    assert shown.startswith("'image word") and shown.endswith("word caption' (body)") and " … " in shown
    assert len(shown) < len(text)
