"""Tests of taxotag.model.words."""

from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.model.artifacts import load_model


def test_no_model_term_is_or_holds_a_function_word(trained_model_dir, taxonomy):
    """explain and the evidence column show model terms: never 'the', 'of the', 'between the' or 'e g'."""
    from taxotag.model.words import FUNCTION_WORDS

    model = load_model(trained_model_dir, taxonomy)
    assert len(model.vocabulary) > 1000
    words = {word for term in model.vocabulary for word in term.split()}
    assert not words & FUNCTION_WORDS and min(map(len, words)) == 2  # nor "teacher s" or "e g"
    assert {"not", "without", "unlike"} <= set(model.vocabulary)  # the words that mark passing mentions stay


def test_words_split_at_punctuation_and_symbols_but_not_hyphens():
    from taxotag.model.words import analyze, split_words

    assert split_words("Self-Supervised (SSL) pre-training, e.g. GPT-4o’s “CLIP”—features\u00a0+3.5%") == [
        "self-supervised", "ssl", "pre-training", "e", "g", "gpt-4o", "s", "clip", "features", "3", "5"]
    assert analyze("A bb, cc") == ["bb", "cc", "bb cc"]
    # and words of one character: the "s" of a possessive, "e.g.", a lone digit or letter
    assert analyze("The teacher's student, e.g. with 3 x labels") == [
        "teacher", "student", "labels", "teacher student", "student labels"]
    # function words are left out before bigrams are formed; negations and contrast words stay
    assert analyze("Unlike the teacher of a student: not labels") == [
        "unlike", "teacher", "student", "not", "labels",
        "unlike teacher", "teacher student", "student not", "not labels"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("aZ -\x00\n\t.é’ß\u00a0İ"), max_size=12), max_size=8))
def test_texts_normalised_together_are_each_normalised_alone(texts):
    from taxotag.model.words import normalise_words, normalised_bytes, normalised_texts

    assert normalised_texts(texts) == [normalise_words(text) for text in texts]
    assert normalised_bytes(texts) == "\n".join(normalise_words(text) for text in texts).encode("utf-8")
