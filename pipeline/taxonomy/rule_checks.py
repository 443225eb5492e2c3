"""Whether each rule can compile and ever match: phrases with words, valid RE2 regexes that do not
match the empty string, concepts of two or more groups, token patterns a blank pipeline can match."""

from __future__ import annotations

import re

import re2

from ..readers.typography import plain_text, typographic_characters
from .language import TOKEN, compile_regex, phrase_variants, re2_message
from .schema import Rule, has_word

MODEL_ONLY_ATTRS = {"POS", "TAG", "LEMMA", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "MORPH", "HEAD",
                    "SENT_START", "IS_SENT_START", "ENT_KB_ID"}
"""Token attributes that only trained spaCy pipelines set (rules use a blank one), so a pattern
using them never matches."""


def check_rule(rule: Rule) -> list[str]:
    """Problems that keep a rule from compiling or from ever matching (empty list when fine)."""
    if rule.kind == "phrase":
        if not rule.phrases:
            return ["the phrase list is empty, so the rule can never match"]
        return [f"phrase {phrase!r} has no words" for phrase in rule.phrases if not phrase_variants(phrase)]
    if rule.kind == "regex":
        try:
            compiled = compile_regex(rule.regex, rule.case_sensitive)
        except re2.error as exc:
            return [f"invalid regex: {re2_message(exc)}"]
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
    from .token_patterns import pattern_matcher  # (spaCy, loaded only for a token pattern rule)
    matcher = pattern_matcher()
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
