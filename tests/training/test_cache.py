"""Tests of taxotag.training.cache."""

from taxotag.jobs.training import train
from taxotag.model.artifacts import read_manifest
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.training.cache import CorpusCache


def test_votes_cached_by_other_rule_matching_code_are_not_reused(workspace, small_corpus, monkeypatch):
    taxonomy_path, model_dir, cache = workspace
    taxonomy = load_taxonomy(taxonomy_path)
    again = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert again.corpus.rules_run == 0
    monkeypatch.setattr("taxotag.training.cache.matcher_version", lambda: "an upgraded rules.py")
    upgraded = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert upgraded.corpus.rules_run == sum(len(tag.rules) for tag in taxonomy.tags)
    assert (upgraded.corpus.votes.matrix == again.corpus.votes.matrix).all()


def test_model_and_features_of_other_feature_code_are_not_reused(workspace, small_corpus, monkeypatch):
    taxonomy_path, model_dir, cache = workspace
    taxonomy = load_taxonomy(taxonomy_path)
    again = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert again.refitted == []
    features = CorpusCache(cache, again.corpus.sha256)
    assert features.load_features(again.model.vocabulary_sha()) is not None
    monkeypatch.setattr("taxotag.training.cache.features_version", lambda: "an upgraded words.py")
    assert features.load_features(again.model.vocabulary_sha()) is None
    upgraded = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert upgraded.refitted == taxonomy.tag_ids
    assert read_manifest(model_dir).features_version == "an upgraded words.py"
