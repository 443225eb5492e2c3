"""Compile a taxonomy's rules (a table of phrases, token patterns for spaCy's Matcher, RE2
regexes, concepts) and apply them to documents: each gets, per rule, a vote in the label matrix and the
mentions behind it. Whether a mention is central or passing is pipeline.rules.cues' job."""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

import numpy as np

from ..display import normalise
from ..readers.typography import plain_text
from ..taxonomy.language import compile_regex, phrase_variants
from ..taxonomy.schema import Rule, Taxonomy
from .concepts import concept_group_regex, smallest_window, word_count
from .cues import CueSet, MethodName, Sentences, phrases_regex, title_name
from .phrases import PhraseIndex
from .prefilter import (compiled_set, key_spans, match_spans, pattern_keys, phrase_key, re2_subject, scan_hits,
                        set_matches, spans_by_text)
from .tokens import PATTERN_CONTEXT, SUSPENDED_CUE, space_after, space_before, suspended_compounds, tokenize
from .votes import ABSTAIN, FIRED, PASSING, Mention, RuleInfo, RuleVotes, joined_text, rule_infos


class Scans(NamedTuple):
    """What the RE2 Sets found in a document: its text as RE2 reads it (re2_subject), the (rules,
    regex) pairs whose regex matches in it, and the concept groups that do."""

    subject: object
    regexes: list
    concept_groups: set[int]


class RuleSet:
    """The compiled rules of a taxonomy (or of a subset of its rules)."""

    def __init__(self, taxonomy: Taxonomy, only: set[str] | None = None):
        self.taxonomy = taxonomy
        self.context = taxonomy.context
        self.rules: list[RuleInfo] = []
        self._phrases = PhraseIndex()
        self._patterns = None  # (TokenPatterns, made when the first token pattern rule is added)
        self._regexes: dict[tuple[str, bool], tuple[list[int], object]] = {}  # one pass per distinct regex
        self._concepts: list[tuple[int, list[int], int | None]] = []  # (rule, its groups in _concept_groups, within)
        self._concept_groups: dict[str, int] = {}  # group regex -> index (rules may share a group)
        self._token_keys: set[str] | None = set()  # None: some rule needs every document tokenized
        for info in rule_infos(taxonomy):
            if only is None or info.id in only:
                self._add(len(self.rules), info.rule)
                self.rules.append(info)
        self._cues = CueSet(self.context)
        self._unless = [phrases_regex(info.rule.unless, plurals=True) for info in self.rules]
        self._tokenize_all = self._token_keys is None
        self._reads_tokens = self._tokenize_all or bool(self._token_keys)  # some phrase or pattern rule
        self._prefilter = (compile_regex("|".join(sorted(self._token_keys)), case_sensitive=True, longest_match=True)
                           if self._token_keys else None)  # None with no phrase or pattern rule
        self._regex_list = list(self._regexes.values())
        self._regex_set = compiled_set(list(self._regexes)) if len(self._regexes) > 1 else None
        self._concept_regexes = [compile_regex(pattern, case_sensitive=False) for pattern in self._concept_groups]
        self._concept_set = compiled_set([(pattern, False) for pattern in self._concept_groups]) \
            if self._concept_groups else None
        self._concept_members = np.zeros((len(self._concept_groups), len(self._concepts)), dtype=np.int32)
        for number, (_, groups, _) in enumerate(self._concepts):  # (which groups each concept rule needs)
            self._concept_members[sorted(set(groups)), number] = 1
        self._concept_sizes = self._concept_members.sum(axis=0)

    def _concept_spans(self, text: str, subject, title_length: int,
                       present: set[int]) -> tuple[set[tuple[int, int, int]], Sentences | None]:
        """(rule, start, end) for each sentence that holds a term of every group of a concept rule:
        the shortest stretch of it with one term of each; and the text's Sentences when they were
        needed. Only the rules all of whose groups are `present` (found anywhere in the text by
        the RE2 Set scan) are looked at."""
        spans, sentences = set(), None
        hits_of: dict[int, list[tuple[int, int]]] = {}
        for rule, groups, within in self._concepts:
            if not present.issuperset(groups):
                continue
            sentences = sentences or Sentences(text, title_length)
            for group in groups:
                if group not in hits_of:
                    hits_of[group] = match_spans(self._concept_regexes[group], subject)
            by_sentence: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
            for number, group in enumerate(groups):
                for start, end in hits_of[group]:
                    by_sentence.setdefault(sentences.of(start), []).append((start, end, number))
            for hits in by_sentence.values():
                window = smallest_window(hits, len(groups))
                if window is not None and (within is None or word_count(text, *window) <= within):
                    spans.add((rule, *window))
        return spans, sentences

    def token_windows(self, text: str, lowered: str, hits: list[tuple[int, int]] | None = None
                      ) -> list[tuple[int, int]]:
        """The parts of a text to tokenize: around each pre-filter hit (a place where a phrase or
        pattern rule could match; `hits`, when the chunk's scan found them), cut at white space,
        overlapping parts merged. Empty when no such rule could match anywhere; the whole text when
        a pattern rule has no key word to look for."""
        if self._tokenize_all or len(lowered) != len(text):  # (lowercasing changed some offsets)
            return [(0, len(text))]
        if hits is None:
            hits = key_spans(self._prefilter, re2_subject(lowered)) if self._prefilter is not None else []
        windows: list[tuple[int, int]] = []
        context = PATTERN_CONTEXT if self._patterns is not None else 0
        for hit_start, hit_end in hits:  # (every place a key starts, even inside another key's hit)
            start = space_before(lowered, hit_start - context)
            end = space_after(lowered, hit_end + context)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
        return windows

    def _add_keys(self, keys: set[str] | None) -> None:
        if keys is None or self._token_keys is None:
            self._token_keys = None
        else:
            self._token_keys |= keys

    def _add(self, index: int, rule: Rule) -> None:
        if rule.kind == "phrase":
            self._phrases.add(index, [variant for phrase in rule.phrases for variant in phrase_variants(phrase)],
                              rule.case_sensitive)
            self._add_keys({phrase_key(phrase) for phrase in rule.phrases})
        elif rule.kind == "pattern":
            if self._patterns is None:
                from ..taxonomy.token_patterns import TokenPatterns  # (spaCy, loaded only for such a rule)
                self._patterns = TokenPatterns()
            self._patterns.add(index, rule.pattern)
            self._add_keys(pattern_keys(rule.pattern))
        elif rule.kind == "concept":
            groups = []
            for terms in rule.concept:
                groups.append(self._concept_groups.setdefault(concept_group_regex(terms), len(self._concept_groups)))
            self._concepts.append((index, groups, rule.within))
        else:
            key = (rule.regex, rule.case_sensitive)
            if key not in self._regexes:
                self._regexes[key] = ([], compile_regex(rule.regex, rule.case_sensitive))
            self._regexes[key][0].append(index)

    def apply(self, titles, abstracts) -> RuleVotes:
        """Vote on every document; titles and abstracts are parallel sequences of strings."""
        plain_titles = [plain_text(title) for title in titles]
        texts = [joined_text(title, plain_text(abstract)) for title, abstract in zip(plain_titles, abstracts)]
        matrix = np.full((len(texts), len(self.rules)), ABSTAIN, dtype=np.int8)
        all_mentions: list[list[Mention]] = [[] for _ in texts]
        may_read_tokens, may_be_suspended, key_hits = self._chunk_scans(texts)
        subjects = [re2_subject(text) for text in texts]
        regex_hits = set_matches(self._regex_set, subjects) if self._regex_set is not None else None
        group_hits = set_matches(self._concept_set, subjects) if self._concept_set is not None else None
        may_match = may_read_tokens | self._concepts_complete(group_hits, len(texts))
        if regex_hits is None:
            may_match |= bool(self._regex_list)
        else:
            may_match |= np.array([bool(hits) for hits in regex_hits], dtype=bool)
        for row in np.flatnonzero(may_match).tolist():  # (the others: no rule can match, no mentions)
            text, title, subject = texts[row], plain_titles[row], subjects[row]
            regexes = (self._regex_list if regex_hits is None
                       else [self._regex_list[i] for i in sorted(regex_hits[row])])
            present = set(group_hits[row]) if group_hits is not None else set(range(len(self._concept_regexes)))
            lowered = text.lower()
            windows = itertools.chain(
                (tokenize(text, start, end) for start, end in self.token_windows(text, lowered, key_hits[row])),
                suspended_compounds(text) if may_be_suspended[row] else ())
            mentions = self.find_mentions(windows, text, len(title), lowered, Scans(subject, regexes, present))
            for mention in mentions:
                matrix[row, mention.rule] = max(matrix[row, mention.rule], PASSING)
            for rule_index in {mention.rule for mention in mentions}:
                if self._fires(rule_index, [m for m in mentions if m.rule == rule_index]):
                    matrix[row, rule_index] = FIRED
            all_mentions[row] = mentions
        return RuleVotes(rules=list(self.rules), matrix=matrix, mentions=all_mentions, texts=texts)

    def _chunk_scans(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
        """For each text, whether a phrase or pattern rule could match in it (a pre-filter hit or
        a suspended compound), whether it may hold a suspended compound, and its pre-filter hits
        (token_windows; None where its own scan must find them): found for all the ASCII texts in
        one scan each (the others, whose lowercase form may move offsets, may hold anything)."""
        unscanned = np.array([not text.isascii() for text in texts], dtype=bool)
        key_hits: list = [None] * len(texts)
        if not self._reads_tokens or self._tokenize_all:
            return unscanned | self._tokenize_all, unscanned & self._reads_tokens | self._tokenize_all, key_hits
        rows = np.flatnonzero(~unscanned).tolist()
        lowered = [texts[row].lower() for row in rows]
        may_read, suspended = unscanned.copy(), unscanned.copy()
        cues = scan_hits(lowered, [lambda joined: [found.span() for found in SUSPENDED_CUE.finditer(joined)]])
        suspended[rows] = cues[0]
        hits = spans_by_text(key_spans(self._prefilter, "\n".join(lowered).encode("ascii")), list(map(len, lowered)))
        for row, found in zip(rows, hits):
            key_hits[row] = found
            may_read[row] = suspended[row] or found != []
        return may_read, suspended, key_hits

    def _concepts_complete(self, group_hits: list[list[int]] | None, count: int) -> np.ndarray:
        """For each of `count` texts, whether every group of some concept rule is among the
        groups found in it (`group_hits`; None when RE2 could not build the Set: every group)."""
        if not self._concepts:
            return np.zeros(count, dtype=bool)
        if group_hits is None:
            return np.ones(count, dtype=bool)
        lengths = np.array([len(hits) for hits in group_hits], dtype=np.intp)
        found = np.zeros((count, len(self._concept_regexes)), dtype=np.int32)
        found[np.repeat(np.arange(count), lengths),
              np.fromiter(itertools.chain.from_iterable(group_hits), dtype=np.intp, count=int(lengths.sum()))] = 1
        return (found @ self._concept_members == self._concept_sizes).any(axis=1)

    def find_mentions(self, windows, text: str, title_length: int, lowered: str, scans: Scans) -> list[Mention]:
        """Every rule match in a document, each judged central or passing.

        `windows` are the tokenized parts of `text` (Tokens) where a phrase or pattern rule could
        match; `lowered` is the text in lowercase, and `scans` what the RE2 Sets found in it.
        """
        char_spans = set()
        for tokens in windows:
            starts, ends = tokens.starts, tokens.ends
            for rule, start, end in self._phrases.find(tokens.words):
                char_spans.add((rule, starts[start], ends[end - 1]))
            if self._patterns is not None:
                for rule, start, end in self._patterns.find(tokens.words, tokens.spaces):
                    char_spans.add((rule, starts[start], ends[end - 1]))
        subject = scans.subject
        for rules, regex in scans.regexes:
            spans = [(start, end) for start, end in match_spans(regex, subject) if end > start]
            char_spans.update((rule, start, end) for rule in rules for start, end in spans)
        if title_length and is_all_caps(text[:title_length]):
            char_spans = {(rule, start, end) for rule, start, end in char_spans
                          if start >= title_length or not self.rules[rule].rule.case_sensitive}
        sentences = None
        if self._concepts:
            concept_spans, sentences = self._concept_spans(text, subject, title_length, scans.concept_groups)
            char_spans |= concept_spans
        if not char_spans:
            return []
        sentences = sentences or Sentences(text, title_length)
        own_name = title_name(text[:title_length])
        method_name = own_name or self._cues.defined_name(text, lowered, sentences, title_length)
        name = MethodName(method_name) if method_name else None
        clashing_name = own_name.casefold() if own_name and self.context.own_name_passing else None
        first_claim: list[int | None] = []

        def background_end() -> int | None:  # (computed once, and only when a skip_background rule needs it)
            if not first_claim:
                first_claim.append(self._cues.first_claim_start(text, lowered, sentences, title_length, name))
            return first_claim[0]

        mentions, claim_of = [], {}  # (whether each sentence is a claim: a third of the mentions share one)
        for rule, start, end in _drop_nested(char_spans):
            sentence = sentences.of(start)
            in_title = start < title_length
            in_claim = in_title or claim_of.get(sentence)
            if in_claim is None:
                in_claim = claim_of[sentence] = self._cues.is_claim(text, lowered, sentence, name)
            passing = self._passing_reason(rule, text, lowered, start, end, sentence, clashing_name,
                                           None if in_claim else background_end)
            mentions.append(Mention(rule=rule, start=start, end=end, text=text[start:end],
                                    in_title=in_title, in_claim=in_claim, passing=passing))
        return mentions

    def _passing_reason(self, rule: int, text: str, lowered: str, start: int, end: int, sentence,
                        clashing_name: str | None, background_end=None):
        """Why a mention is passing, or None: a contrast cue, an `unless` phrase, the paper's own
        name (casefolded in `clashing_name`; regex matches are exempt, as a regex may match a new name
        built on a known one, "MultiCapCLIP", unless the name is a bare acronym in capitals, "CLIP:
        A Dataset for ..."), or, for a skip_background rule, standing before `background_end()`,
        the first claim sentence (`background_end` is None for a mention in the title or a claim
        sentence)."""
        if self.rules[rule].rule.scoped:
            reason = self._cues.passing_reason(lowered, start, end, sentence)
            if reason:
                return reason
        unless = self._unless[rule]
        if unless is not None:
            found = unless.search(lowered, sentence[0], sentence[1])
            if found:
                return f"unless '{normalise(found.group())}'"
        if clashing_name is not None and text[start:end].casefold() == clashing_name \
                and (self.rules[rule].rule.kind != "regex" or text[start:end].isalpha() and text[start:end].isupper()):
            return "the paper's own name"
        if background_end is not None and self.rules[rule].rule.skip_background:
            claims_start = background_end()
            if claims_start is not None and start < claims_start:
                return "background (before the first claim sentence)"
        return None

    def _fires(self, rule_index: int, mentions: list[Mention]) -> bool:
        rule = self.rules[rule_index].rule
        central = [mention for mention in mentions if mention.passing is None]
        if rule.min_count_anywhere is not None and len(central) >= rule.min_count_anywhere:
            return True
        if len(central) < rule.min_count:
            return False
        if rule.where == "title":
            return any(mention.in_title for mention in central)
        if rule.where == "title_or_claim":
            return any(mention.in_title or mention.in_claim for mention in central)
        return True


def is_all_caps(title: str) -> bool:
    """True for a title written in capitals ("LEARNING TO CLIP VIDEOS"): two or more words and
    no lower-case letter, so case-sensitive rules cannot tell "CLIP" from "clip" in it."""
    return not any(c.islower() for c in title) and len(re.findall(r"[^\W\d_]{2,}", title)) >= 2


def _drop_nested(spans: set[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Keep the longest of the overlapping matches of one rule (variants often overlap)."""
    kept: list[tuple[int, int, int]] = []
    for rule, start, end in sorted(spans, key=lambda s: (s[0], s[1], -(s[2] - s[1]))):
        if kept and kept[-1][0] == rule and start < kept[-1][2]:
            continue
        kept.append((rule, start, end))
    return kept
