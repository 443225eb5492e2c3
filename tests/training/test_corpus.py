"""Tests of taxotag.training.corpus."""

import numpy as np

from taxotag.fingerprints import file_sha256
from taxotag.rules.labels import weak_labels
from taxotag.rules.matching import RuleSet
from taxotag.training.corpus import CorpusFile, corpus_file, label_corpus
from tests.conftest import TRAINING_SLICE


def test_a_corpus_read_another_way_has_another_digest(small_corpus):
    plain = CorpusFile(small_corpus)
    assert corpus_file(small_corpus) == plain and plain.sha256() == file_sha256(small_corpus)
    renamed = CorpusFile(small_corpus, columns={"abstract": "summary"})
    decoded = CorpusFile(small_corpus, encoding="latin-1")
    assert len({plain.sha256(), renamed.sha256(), decoded.sha256()}) == 3
    assert decoded.describe() == {"path": str(small_corpus), "resolved": str(small_corpus.resolve()),
                                  "encoding": "latin-1"}


def test_labelling_votes_with_every_rule_and_a_second_run_takes_every_vote_from_the_cache(taxonomy, small_corpus,
                                                                                          tmp_path):
    first = label_corpus(taxonomy, small_corpus, cache_dir=tmp_path, progress=False)
    rules = sum(len(tag.rules) for tag in taxonomy.tags)
    assert (len(first.documents), first.rules_run, first.votes.matrix.shape) == (TRAINING_SLICE, rules,
                                                                                  (TRAINING_SLICE, rules))
    direct = RuleSet(taxonomy).apply(first.documents["title"].tolist()[:300], first.documents["abstract"].tolist()[:300])
    assert (first.votes.matrix[:300] == direct.matrix).all()
    assert (first.labels == weak_labels(taxonomy, first.votes)).all()
    assert first.positives(taxonomy.tag_ids) == dict(zip(taxonomy.tag_ids, first.labels.sum(axis=0).tolist()))
    again = label_corpus(taxonomy, small_corpus, cache_dir=tmp_path, progress=False)
    assert again.rules_run == 0
    assert (again.votes.matrix == first.votes.matrix).all() and again.votes.mentions == first.votes.mentions
    assert again.mask_keys() == first.mask_keys()


def test_masked_texts_hide_the_rules_trigger_words(taxonomy, small_corpus):
    corpus = label_corpus(taxonomy, small_corpus, progress=False)
    row = next(i for i, found in enumerate(corpus.votes.mentions) if found)
    mention = corpus.votes.mentions[row][0]
    masked = corpus.masked_texts([row])[0]
    assert mention.text in corpus.texts()[row] and mention.text not in masked
    assert len(corpus.masked_texts()) == TRAINING_SLICE
    assert np.array_equal(corpus.labels.shape, (TRAINING_SLICE, len(taxonomy.tag_ids)))
