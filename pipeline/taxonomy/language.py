"""How rule text reads, for the checks and for the matchers alike: tokens, the variants of a
phrase (hyphens, spacing, plurals), and RE2 regexes."""

from __future__ import annotations

import re

import re2

REGEX_MAX_MEM = 8 << 20
"""Memory cap for one compiled RE2 regex (RE2 matches in linear time, so no regex can hang)."""


TOKEN = re.compile(r"\w+|[^\w\s]")
"""A token: a run of letters, digits and underscores, or one other non-space character."""


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


def compile_regex(pattern: str, case_sensitive: bool, longest_match: bool = False):
    options = re2.Options()
    options.longest_match = longest_match
    options.log_errors = False
    options.max_mem = REGEX_MAX_MEM
    options.case_sensitive = case_sensitive
    return re2.compile(pattern, options)


def re2_message(exc: Exception) -> str:
    message = exc.args[0] if exc.args else str(exc)
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


SEPARATOR = r"[\s\v\x1c-\x1f\x85\p{Z}\-]"
"""RE2 for a hyphen or any character Python counts as white space (RE2's own \\s is ASCII only)."""


def plural(word: str) -> str:
    """An English plural by the regular rules ("label" -> "labels", "query" -> "queries")."""
    lower = word.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not lower.endswith("s") else word
    if lower.endswith("y") and len(word) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
