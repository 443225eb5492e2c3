"""Compile a taxonomy's rules (phrases and token patterns for spaCy's matchers, RE2 regexes) and
apply them to documents.

Each document gets, per rule, a vote in the label matrix (documents x rules): -1 abstain (no
match), 0 (matched, but only as a passing mention), 1 (fired), plus the mentions behind it.
Whether a mention is central or passing is pipeline.cues' job.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

import numpy as np
import re2
import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .cues import CueSet, MethodName, Sentences, normalise, phrases_regex, plural, title_name
from .taxonomy import Rule, Taxonomy, has_word
from .typography import plain_text, typographic_characters

ABSTAIN, PASSING, FIRED = -1, 0, 1

MODEL_ONLY_ATTRS = {"POS", "TAG", "LEMMA", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "MORPH", "HEAD",
                    "SENT_START", "IS_SENT_START", "ENT_KB_ID"}
"""Token attributes that only trained spaCy pipelines set (rules use a blank one), so a pattern
using them never matches."""

REGEX_MAX_MEM = 8 << 20
"""Memory cap for one compiled RE2 regex (RE2 matches in linear time, so no regex can hang)."""


MENTION_SHOWN = 120
"""Reports show a mention longer than this many characters by its start and end."""


@dataclass(frozen=True)
class Mention:
    """One match of one rule in one document (character offsets into `document_text`)."""

    rule: int
    start: int
    end: int
    text: str
    in_title: bool
    in_claim: bool
    passing: str | None = None

    def describe(self) -> str:
        """`'self-supervised' (body, passing: after 'unlike')`; a long match (a concept's stretch of a
        sentence) is shown by its start and end."""
        text = normalise(self.text)
        if len(text) > MENTION_SHOWN:
            half = (MENTION_SHOWN - 3) // 2
            text = f"{text[:half].rstrip()} … {text[-half:].lstrip()}"
        return f"'{text}' ({self.standing()})"

    def standing(self) -> str:
        """Where the mention stands and, if passing, why: `body, passing: after 'unlike'`."""
        where = "title" if self.in_title else ("claim" if self.in_claim else "body")
        return where + (f", passing: {self.passing}" if self.passing else "")


@dataclass(frozen=True)
class RuleInfo:
    """What the rest of the pipeline needs to know about a compiled rule."""

    id: str
    tag: str
    rule: Rule

    @property
    def voted_tags(self) -> tuple[str, ...]:
        """The tags this rule votes for: its own and the ones it implies."""
        return (self.tag, *self.rule.implies)


@dataclass
class RuleVotes:
    """The label matrix (documents x rules) and the mentions behind every non-abstain vote."""

    rules: list[RuleInfo]
    matrix: np.ndarray
    mentions: list[list[Mention]]

    @property
    def rule_ids(self) -> list[str]:
        return [info.id for info in self.rules]

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def tag_mentions(self, row: int, tag: str) -> list[Mention]:
        """The mentions in document `row` of the rules that vote for `tag`, central or passing."""
        return [m for m in self.mentions[row] if tag in self.rules[m.rule].voted_tags]

    def describe(self, mentions: list[Mention], limit: int) -> str:
        """`rule_id 'text' (where)` for the first `limit` mentions, joined by `; `, and how many
        there are when there are more."""
        shown = "; ".join(f"{self.rules[m.rule].id} {m.describe()}" for m in mentions[:limit])
        return shown + (f"; ... ({len(mentions)} mentions)" if len(mentions) > limit else "")


def document_text(title: str, abstract: str) -> str:
    """The text rules and model run on: title, a blank line, abstract (each in plain typography)."""
    return f"{plain_text(title)}\n\n{plain_text(abstract)}"


@functools.lru_cache(maxsize=1)
def blank_english():
    """spaCy's blank English pipeline (its vocabulary and lexical attributes; no model download)."""
    return spacy.blank("en")


TOKEN = re.compile(r"\w+|[^\w\s]")
"""A token: a run of letters, digits and underscores, or one other non-space character."""


def tokenize(vocab, text: str, start: int = 0, end: int | None = None) -> tuple[Doc, list[int], list[int]]:
    """`text[start:end]` as a spaCy Doc of TOKEN tokens, with each token's start and end offset in `text`.

    For the words, hyphens and brackets that rules match on this gives the same tokens as spaCy's
    English tokenizer ("self-supervised" -> self, -, supervised) at several times its speed on
    abstracts; it differs on what rules do not match: "e.g." or "3.5" become several tokens.
    """
    starts, ends, words = [], [], []
    for match in TOKEN.finditer(text, start, len(text) if end is None else end):
        starts.append(match.start())
        ends.append(match.end())
        words.append(match.group())
    spaces = [following > end for end, following in zip(ends, starts[1:])] + [False] * bool(words)
    return Doc(vocab, words=words, spaces=spaces), starts, ends


SUSPENDED_LIST = re.compile(
    r"(?<![\w-])(?:[^\W_]+-[ \t]*,[ \t]*)*[^\W_]+-,?\s+(?i:and/or|and|or|nor|&)\s+[^\W_]+-(?=[^\W_])")
"""A list of compounds whose first parts share the last one's head: "self- and semi-supervised",
"self-, semi- and weakly-supervised" (the match ends where "supervised" starts)."""

SUSPENDED_CUE = re.compile(r"-,?\s+(?i:and/or|and|or|nor|&)\s")
"""What every SUSPENDED_LIST holds (searched first: a literal start makes it fast)."""

SUSPENDED_PART = re.compile(r"([^\W_]+)-")

SUSPENDED_READ_TOKENS = 8
"""How many tokens from the shared head on a suspended compound is read with (enough for any phrase)."""


def suspended_compounds(vocab, text: str) -> list[tuple[Doc, list[int], list[int]]]:
    """Each suspended compound of `text` read whole, as a Doc with each token's offsets in `text`:
    "self- and semi-supervised learning" gives "self - supervised learning" (the head and the next
    few tokens), so that phrase and pattern rules find "self-supervised" there; a match spans from
    "self" to the end of what it matched ("self- and semi-supervised")."""
    if not SUSPENDED_CUE.search(text):
        return []
    windows = []
    for found in SUSPENDED_LIST.finditer(text):
        if "\n\n" in found.group():  # (not across the title's end)
            continue
        head = [match for match, _ in zip(TOKEN.finditer(text, found.end()), range(SUSPENDED_READ_TOKENS))]
        for part in list(SUSPENDED_PART.finditer(found.group()))[:-1]:  # (the last is the complete compound)
            start = found.start() + part.start()
            words = [part.group(1), "-"] + [match.group() for match in head]
            starts = [start, start + len(part.group(1))] + [match.start() for match in head]
            ends = [start + len(part.group(1)), start + len(part.group())] + [match.end() for match in head]
            spaces = [False, False] + [following > end for end, following in zip(ends[2:], starts[3:])] + [False]
            windows.append((Doc(vocab, words=words, spaces=spaces[:len(words)]), starts, ends))
    return windows


PATTERN_CONTEXT = 160
"""With token pattern rules, the characters tokenized on either side of a pre-filter hit: a
pattern can reach this far before or after its key word. (A phrase match lies inside its hit.)"""


def _space_before(text: str, position: int) -> int:
    """Where the word that holds `position` (or the next one) starts: after a space or a newline."""
    if position <= 0:
        return 0
    space = text.rfind(" ", 0, position)
    return max(space, text.rfind("\n", space + 1, position)) + 1  # (never scans past the space)


def _space_after(text: str, position: int) -> int:
    """Where the word that holds `position` ends: at a space or a newline, or the end of the text."""
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    space = len(text) if space < 0 else space
    newline = text.find("\n", position, space)  # (never scans past the space)
    return space if newline < 0 else newline


def phrase_variants(phrase: str) -> list[list[str]]:
    """Token sequences for a phrase: hyphen and spacing variants, each also in plural form."""
    tokens = TOKEN.findall(phrase)
    words = [token for token in tokens if token != "-"]
    if not words:
        return []
    joined: list[str] = []  # the words on either side of a hyphen written as one
    for index, token in enumerate(tokens):
        if token == "-":
            continue
        if index > 0 and tokens[index - 1] == "-" and joined:
            joined[-1] += token
        else:
            joined.append(token)
    variants = [tokens, words, joined]
    if len(words) > 1:
        hyphenated = [words[0]]
        for word in words[1:]:
            hyphenated += ["-", word]
        variants.append(hyphenated)
    plurals = [variant[:-1] + [plural(variant[-1])] for variant in variants if variant[-1].isalpha()]
    unique = []
    for variant in variants + plurals:
        if variant not in unique:
            unique.append(variant)
    return unique


def check_rule(rule: Rule) -> list[str]:
    """Problems that keep a rule from compiling or from ever matching (empty list when fine)."""
    if rule.kind == "phrase":
        if not rule.phrases:
            return ["the phrase list is empty, so the rule can never match"]
        return [f"phrase {phrase!r} has no words" for phrase in rule.phrases if not phrase_variants(phrase)]
    if rule.kind == "regex":
        try:
            compiled = _compile_regex(rule.regex, rule.case_sensitive)
        except re2.error as exc:
            return [f"invalid regex: {_re2_message(exc)}"]
        if compiled.fullmatch(""):
            return ["regex matches the empty string, so it would fire on every document"]
        return [f"regex has {_character_name(c)}, which rules read in plain typography ({plain_text(c)!r}); "
                "write that instead" for c in typographic_characters(rule.regex)]
    if rule.kind == "concept":
        return check_concept(rule.concept)
    return _check_pattern(rule.pattern)


CONCEPT_STEM_MIN = 3
"""A concept term ending in `*` needs this many letters before it (a shorter stem matches most words)."""


def check_concept(groups: list[list[str]]) -> list[str]:
    """Problems that keep a concept (groups of terms that must share a sentence) from meaning anything."""
    if len(groups) < 2:
        return [f"a concept needs two or more groups of terms (found {len(groups)}); one group is a phrase rule"]
    problems = []
    for number, group in enumerate(groups, start=1):
        if not group:
            problems.append(f"group {number} is empty, so the concept can never match")
        for term in group:
            stem = term.strip()
            if "*" in stem[:-1]:
                problems.append(f"group {number}: term {term!r} has a `*` before its end; `*` may only end a term")
            elif not any(token != "-" for token in TOKEN.findall(stem.rstrip("*"))):
                problems.append(f"group {number}: term {term!r} has no words, so it can never match")
            elif stem.endswith("*") and len(TOKEN.findall(stem.rstrip("*"))[-1]) < CONCEPT_STEM_MIN:
                problems.append(f"group {number}: term {term!r} needs {CONCEPT_STEM_MIN} or more letters "
                                "before its `*`; a shorter stem matches most words")
    return problems


def concept_group_regex(terms: list[str]) -> str:
    """One RE2 regex (used case-insensitively) for a concept group's terms: whole words, hyphens and
    spaces between words alike (or none: "selfsupervised"), the last word also in plural form; a
    term ending in `*` matches any word that starts with it."""
    parts = []
    for term in terms:
        term = term.strip()
        prefix = term.endswith("*")
        words = [token for token in TOKEN.findall(term.rstrip("*").lower()) if token != "-"]
        if not words:
            continue
        body = (SEPARATOR + "*").join(re.escape(word) for word in words[:-1])
        last = words[-1]
        if prefix:
            last_part = re.escape(last) + r"\w*"
        elif last[-1].isalpha() and plural(last) != last:
            last_part = "(?:" + re.escape(plural(last)) + "|" + re.escape(last) + ")"
        else:
            last_part = re.escape(last)
        parts.append((body + SEPARATOR + "*" if body else "") + last_part)
    return r"\b(?:" + "|".join(sorted(set(parts), key=len, reverse=True)) + r")\b"


WORD_RUN = re.compile(r"[^\W_]+")
"""A word for a concept's `within`: a run of letters and digits (a hyphen splits)."""


def _word_count(text: str, start: int, end: int) -> int:
    """How many words (WORD_RUN) text[start:end] holds."""
    return len(WORD_RUN.findall(text, start, end))


def _smallest_window(hits: list[tuple[int, int, int]], groups: int) -> tuple[int, int] | None:
    """The shortest (start, end) holding a hit of each of `groups` groups; hits are (start, end, group)."""
    hits = sorted(hits)
    best = None
    for first in range(len(hits)):
        seen, end = set(), 0
        for start, stop, group in hits[first:]:
            seen.add(group)
            end = max(end, stop)
            if len(seen) == groups:
                if best is None or end - hits[first][0] < best[1] - best[0]:
                    best = (hits[first][0], end)
                break
    return best


def _character_name(character: str) -> str:
    return f"U+{ord(character):04X} ({character!r})"


def check_unless(rule: Rule) -> list[str]:
    """`unless` phrases that cannot mean anything (an empty one, or punctuation alone)."""
    return [f"unless phrase {phrase!r} has no words" for phrase in rule.unless if not has_word(phrase)]


def _check_pattern(pattern) -> list[str]:
    problems = []
    if not pattern:
        return ["token pattern is empty"]
    for position, token_spec in enumerate(pattern, start=1):
        for attr, value in token_spec.items():
            if attr.upper() in MODEL_ONLY_ATTRS:
                problems.append(f"token {position}: {attr} needs a trained spaCy pipeline; "
                                "rules use a blank pipeline that never sets it, so this rule can never match")
            if attr.upper() == "LOWER" and _has_upper(value):
                problems.append(f"token {position}: LOWER value {value!r} has capitals and can never match")
            if attr.upper() in ("LOWER", "ORTH", "TEXT"):
                problems += [f"token {position}: {attr} value {text!r} is not one token ({_token_note(text)}), "
                             "so it can never match" for text in _strings(value) if not TOKEN.fullmatch(text)]
    if problems:
        return problems
    matcher = Matcher(blank_english().vocab, validate=True)
    try:
        matcher.add("check", [pattern])
    except Exception as exc:  # spaCy raises ValueError or MatchPatternError with the schema problems
        detail = " ".join(str(exc).split())
        detail = re.sub(r"^.*?Pattern 0:\s*", "", detail)
        return ["invalid token pattern: " + detail]
    return []


def _strings(value) -> list[str]:
    """The strings a token attribute compares with: the value itself or the items of its IN list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return [item for item in value["IN"] if isinstance(item, str)]
    return []


def _token_note(text: str) -> str:
    tokens = TOKEN.findall(text)
    if not tokens:
        return "it has no characters but white space" if text else "it is empty"
    return "tokens are words and single punctuation marks: " + ", ".join(repr(t) for t in tokens)


def _has_upper(value) -> bool:
    if isinstance(value, str):
        return value != value.lower()
    if isinstance(value, dict):
        return any(_has_upper(item) for item in value.get("IN", []) if isinstance(item, str))
    return False


def _compile_regex(pattern: str, case_sensitive: bool, longest_match: bool = False):
    options = re2.Options()
    options.longest_match = longest_match
    options.log_errors = False
    options.max_mem = REGEX_MAX_MEM
    options.case_sensitive = case_sensitive
    return re2.compile(pattern, options)


def _regex_set(keys: list[tuple[str, bool]]):
    """An RE2 Set of the regexes (pattern, case_sensitive), for one scan that says which match;
    None when RE2 cannot build it (within REGEX_MAX_MEM), and each regex then scans on its own."""
    options = re2.Options()
    options.log_errors = False
    options.max_mem = REGEX_MAX_MEM
    regex_set = re2.Set.SearchSet(options)
    try:
        for pattern, case_sensitive in keys:
            regex_set.Add(pattern if case_sensitive else f"(?i:{pattern})")
        regex_set.Compile()
    except re2.error:
        return None
    return regex_set


def _re2_subject(text: str):
    """What to give an RE2 regex: ASCII text as bytes (the same offsets, and RE2 does not have to
    convert it to UTF-8 and back on every call), other text as it is."""
    return text.encode("ascii") if text.isascii() else text


def _re2_message(exc: Exception) -> str:
    message = exc.args[0] if exc.args else str(exc)
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def rule_infos(taxonomy: Taxonomy) -> list[RuleInfo]:
    """Every rule of the taxonomy in order, without compiling anything."""
    return [RuleInfo(id=taxonomy.rule_id(t, r), tag=tag.id, rule=rule)
            for t, tag in enumerate(taxonomy.tags) for r, rule in enumerate(tag.rules)]


class RuleSet:
    """The compiled rules of a taxonomy (or of a subset of its rules)."""

    def __init__(self, taxonomy: Taxonomy, only: set[str] | None = None):
        self.taxonomy = taxonomy
        self.context = taxonomy.context
        nlp = blank_english()
        self._vocab = nlp.vocab
        self.rules: list[RuleInfo] = []
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact_phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._patterns = Matcher(nlp.vocab, validate=True)
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
        self._prefilter = (_compile_regex("|".join(sorted(self._token_keys)), case_sensitive=True, longest_match=True)
                           if self._token_keys else None)  # None with no phrase or pattern rule
        self._regex_list = list(self._regexes.values())
        self._regex_set = _regex_set(list(self._regexes)) if len(self._regexes) > 1 else None
        self._concept_regexes = [_compile_regex(pattern, case_sensitive=False) for pattern in self._concept_groups]
        self._concept_set = _regex_set([(pattern, False) for pattern in self._concept_groups]) \
            if self._concept_groups else None

    def _concept_spans(self, text: str, subject, sentences) -> set[tuple[int, int, int]]:
        """(rule, start, end) for each sentence that holds a term of every group of a concept rule:
        the shortest stretch of it with one term of each. One RE2 Set scan says which groups match
        anywhere; only the rules all of whose groups do are looked at further."""
        if self._concept_set is not None:
            present = set(self._concept_set.Match(subject) or ())
        else:
            present = set(range(len(self._concept_regexes)))
        spans = set()
        hits_of: dict[int, list[tuple[int, int]]] = {}
        for rule, groups, within in self._concepts:
            if not present.issuperset(groups):
                continue
            for group in groups:
                if group not in hits_of:
                    hits_of[group] = [match.span() for match in self._concept_regexes[group].finditer(subject)]
            by_sentence: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
            for number, group in enumerate(groups):
                for start, end in hits_of[group]:
                    by_sentence.setdefault(sentences().of(start), []).append((start, end, number))
            for hits in by_sentence.values():
                window = _smallest_window(hits, len(groups))
                if window is not None and (within is None or _word_count(text, *window) <= within):
                    spans.add((rule, *window))
        return spans

    def _matching_regexes(self, subject) -> list[tuple[list[int], object]]:
        """The (rules, regex) pairs whose regex matches somewhere in the subject: one RE2 Set scan
        finds them, so that most documents, which no regex rule matches, are scanned once."""
        if self._regex_set is None:
            return self._regex_list
        return [self._regex_list[i] for i in sorted(self._regex_set.Match(subject) or ())]

    def token_windows(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """The parts of a text to tokenize: around each pre-filter hit (a place where a phrase or
        pattern rule could match), cut at white space, overlapping parts merged. Empty when no such
        rule could match anywhere; the whole text when a pattern rule has no key word to look for."""
        if self._tokenize_all or len(lowered) != len(text):  # (lowercasing changed some offsets)
            return [(0, len(text))]
        windows: list[tuple[int, int]] = []
        context = PATTERN_CONTEXT if len(self._patterns) else 0
        subject = _re2_subject(lowered)
        hit = self._prefilter.search(subject) if self._prefilter is not None else None
        while hit is not None:  # every place a key starts, even inside another key's hit
            start = _space_before(lowered, hit.start() - context)
            end = _space_after(lowered, hit.end() + context)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
            hit = self._prefilter.search(subject, hit.start() + 1)
        return windows

    def _add_keys(self, keys: set[str] | None) -> None:
        if keys is None or self._token_keys is None:
            self._token_keys = None
        else:
            self._token_keys |= keys

    def _add(self, index: int, rule: Rule) -> None:
        key = str(index)
        if rule.kind == "phrase":
            vocab = blank_english().vocab
            docs = [Doc(vocab, words=[w if rule.case_sensitive else w.lower() for w in variant])
                    for phrase in rule.phrases for variant in phrase_variants(phrase)]
            (self._exact_phrases if rule.case_sensitive else self._phrases).add(key, docs)
            self._add_keys({_phrase_key(phrase) for phrase in rule.phrases})
        elif rule.kind == "pattern":
            self._patterns.add(key, [rule.pattern])
            self._add_keys(_pattern_keys(rule.pattern))
        elif rule.kind == "concept":
            groups = []
            for terms in rule.concept:
                groups.append(self._concept_groups.setdefault(concept_group_regex(terms), len(self._concept_groups)))
            self._concepts.append((index, groups, rule.within))
        else:
            key = (rule.regex, rule.case_sensitive)
            if key not in self._regexes:
                self._regexes[key] = ([], _compile_regex(rule.regex, rule.case_sensitive))
            self._regexes[key][0].append(index)

    def apply(self, titles, abstracts) -> RuleVotes:
        """Vote on every document; titles and abstracts are parallel sequences of strings."""
        texts = [document_text(title, abstract) for title, abstract in zip(titles, abstracts)]
        matrix = np.full((len(texts), len(self.rules)), ABSTAIN, dtype=np.int8)
        all_mentions = []
        lowered = [text.lower() for text in texts]
        for row, (text, title) in enumerate(zip(texts, titles)):
            windows = itertools.chain(
                (tokenize(self._vocab, text, start, end) for start, end in self.token_windows(text, lowered[row])),
                suspended_compounds(self._vocab, text) if self._reads_tokens else ())
            mentions = self.find_mentions(windows, text, len(plain_text(title)), lowered[row])
            for mention in mentions:
                matrix[row, mention.rule] = max(matrix[row, mention.rule], PASSING)
            for rule_index in {mention.rule for mention in mentions}:
                if self._fires(rule_index, [m for m in mentions if m.rule == rule_index]):
                    matrix[row, rule_index] = FIRED
            all_mentions.append(mentions)
        return RuleVotes(rules=list(self.rules), matrix=matrix, mentions=all_mentions)

    def find_mentions(self, windows, text: str, title_length: int, lowered: str | None = None) -> list[Mention]:
        """Every rule match in a document, each judged central or passing.

        `windows` are the tokenized parts of `text` where a phrase or pattern rule could match.
        """
        char_spans = set()
        for doc, starts, ends in windows:
            for matcher in (self._phrases, self._exact_phrases, self._patterns):
                if len(matcher):
                    for match_id, start, end in matcher(doc):
                        char_spans.add((int(self._vocab.strings[match_id]), starts[start], ends[end - 1]))
        subject = _re2_subject(text) if self._regexes or self._concepts else text
        for rules, regex in self._matching_regexes(subject):
            spans = [(m.start(), m.end()) for m in regex.finditer(subject) if m.end() > m.start()]
            char_spans.update((rule, start, end) for rule in rules for start, end in spans)
        if title_length and is_all_caps(text[:title_length]):
            char_spans = {(rule, start, end) for rule, start, end in char_spans
                          if start >= title_length or not self.rules[rule].rule.case_sensitive}
        sentences = functools.cache(lambda: Sentences(text, title_length))  # (built once, when needed)
        if self._concepts:
            char_spans |= self._concept_spans(text, subject, sentences)
        if not char_spans:
            return []
        lowered = text.lower() if lowered is None else lowered
        sentences = sentences()
        own_name = title_name(text[:title_length])
        method_name = own_name or self._cues.defined_name(text, lowered, sentences, title_length)
        name = MethodName(method_name) if method_name else None
        clashing_name = own_name.casefold() if own_name and self.context.own_name_passing else None
        background_end = functools.cache(  # computed only when a skip_background rule needs it
            lambda: self._cues.first_claim_start(text, lowered, sentences, title_length, name))
        mentions = []
        for rule, start, end in _drop_nested(char_spans):
            sentence = sentences.of(start)
            in_title = start < title_length
            in_claim = in_title or self._cues.is_claim(text, lowered, sentence, name)
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


SEPARATOR = r"[\s\v\x1c-\x1f\x85\p{Z}\-]"
"""RE2 for a hyphen or any character Python counts as white space (RE2's own \\s is ASCII only)."""


def is_all_caps(title: str) -> bool:
    """True for a title written in capitals ("LEARNING TO CLIP VIDEOS"): two or more words and
    no lower-case letter, so case-sensitive rules cannot tell "CLIP" from "clip" in it."""
    return not any(c.islower() for c in title) and len(re.findall(r"[^\W\d_]{2,}", title)) >= 2


def _phrase_key(phrase: str) -> str:
    """A regex that every variant of a phrase matches (in lowercase text): its tokens, in order,
    with or without hyphens and spaces between them, the first one at a word start, the last one
    without a final y (so that "strategies" is found for "strategy")."""
    words = [word for word in TOKEN.findall(phrase.lower()) if word != "-"]
    if words and len(words[-1]) > 1 and words[-1].endswith("y"):
        words[-1] = words[-1][:-1]
    return "(?:^|[^a-z0-9])" + (SEPARATOR + "*").join(map(re.escape, words))


def _pattern_keys(pattern: list[dict]) -> set[str] | None:
    """Regexes of which a matching lowercase text must contain one, or None when there are none."""
    for token_spec in pattern:
        if token_spec.get("OP", "1") not in ("1", "+"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = token_spec.get(attr, token_spec.get(attr.lower()))
            if isinstance(value, str) and value:
                return {"(?:^|[^a-z0-9])" + re.escape(value.lower())}
            if isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
                if all(isinstance(item, str) and item for item in value["IN"]):
                    return {"(?:^|[^a-z0-9])" + re.escape(item.lower()) for item in value["IN"]}
    return None


def _drop_nested(spans: set[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Keep the longest of the overlapping matches of one rule (variants often overlap)."""
    kept: list[tuple[int, int, int]] = []
    for rule, start, end in sorted(spans, key=lambda s: (s[0], s[1], -(s[2] - s[1]))):
        if kept and kept[-1][0] == rule and start < kept[-1][2]:
            continue
        kept.append((rule, start, end))
    return kept
