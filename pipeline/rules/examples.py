"""Show what one rule matches: corpus documents where it fired and where it matched without
firing, each mention in its context, and, with gold labels, where its firings were wrong."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..display import short_title
from ..errors import TaxotagError
from .votes import FIRED, PASSING, RuleVotes, document_text

CONTEXT_CHARS = 70
"""Characters of text shown on each side of a mention."""


def rule_index(rule_ids: list[str], rule_id: str) -> int:
    """Where a rule is in `rule_ids`; a TaxotagError listing the rule ids if it is not there."""
    if rule_id not in rule_ids:
        raise TaxotagError(f"no rule {rule_id!r}; the rules are: {', '.join(rule_ids)}")
    return rule_ids.index(rule_id)


def rule_examples(votes: RuleVotes, documents: pd.DataFrame, rule_id: str, count: int = 5,
                  gold: tuple[RuleVotes, pd.DataFrame] | None = None) -> str:
    """Up to `count` corpus documents where the rule fired and as many where it matched but did not
    fire (spread evenly over the corpus); with `gold` (its votes and labels), the gold documents
    where the rule fired against the gold label."""
    r = rule_index(votes.rule_ids, rule_id)
    info = votes.rules[r]
    fired = np.flatnonzero(votes.matrix[:, r] == FIRED)
    matched = np.flatnonzero(votes.matrix[:, r] == PASSING)
    lines = [f"rule {info.id} (tag {info.tag}, {info.rule.describe()}): fired in {len(fired):,} of "
             f"{len(votes):,} corpus abstracts; matched without firing in {len(matched):,}"]
    for heading, rows in (("fired", fired), ("matched, did not fire", matched)):
        shown = _spread(rows, count)
        lines += ["", f"{heading} ({len(shown)} of {len(rows):,}):"]
        lines += [line for row in shown for line in _document(votes, documents, row, r)]
    if gold is not None:
        gold_votes, gold_frame = gold
        if info.tag in gold_frame.columns:
            wrong = np.flatnonzero((gold_votes.matrix[:, r] == FIRED) & (gold_frame[info.tag].to_numpy() == 0))
            lines += ["", f"fired on gold documents not labelled {info.tag} ({len(wrong[:count])} of {len(wrong)}):"]
            lines += [line for row in wrong[:count] for line in _document(gold_votes, gold_frame, row, r)]
    return "\n".join(lines)


def _spread(rows: np.ndarray, count: int) -> np.ndarray:
    """`count` of the rows, evenly spaced (all of them when there are fewer)."""
    if len(rows) <= count:
        return rows
    return rows[np.linspace(0, len(rows) - 1, count).round().astype(int)]


def _document(votes: RuleVotes, documents: pd.DataFrame, row: int, rule: int) -> list[str]:
    """The document's id and title, then each of the rule's mentions in context."""
    title, abstract = str(documents["title"].iat[row]), str(documents["abstract"].iat[row])
    text = document_text(title, abstract)
    lines = [f"  {documents['id'].iat[row]}  {short_title(title, 110)}"]
    for mention in votes.mentions[row]:
        if mention.rule != rule:
            continue
        before = _squeeze(text[max(0, mention.start - CONTEXT_CHARS):mention.start])
        after = _squeeze(text[mention.end:mention.end + CONTEXT_CHARS])
        lines.append(f"    {mention.standing()}: ...{before}[{_squeeze(mention.text)}]{after}...")
    return lines


def _squeeze(text: str) -> str:
    """Runs of white space (line breaks too) as one space."""
    return re.sub(r"\s+", " ", text)
