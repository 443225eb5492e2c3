"""What the rules say about documents: the label matrix (documents x rules: -1 abstain, 0 passing,
1 fired) and the mentions behind each vote."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..display import normalise
from ..readers.typography import plain_text
from ..taxonomy.schema import Rule, Taxonomy

ABSTAIN, PASSING, FIRED = -1, 0, 1


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
    """The label matrix (documents x rules) and the mentions behind every non-abstain vote; with
    the document texts the rules read (document_text), when the votes come from reading them."""

    rules: list[RuleInfo]
    matrix: np.ndarray
    mentions: list[list[Mention]]
    texts: list[str] | None = None

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
    return joined_text(plain_text(title), plain_text(abstract))


def joined_text(plain_title: str, plain_abstract: str) -> str:
    """document_text of a title and an abstract already in plain typography."""
    return f"{plain_title}\n\n{plain_abstract}"


def rule_infos(taxonomy: Taxonomy) -> list[RuleInfo]:
    """Every rule of the taxonomy in order, without compiling anything."""
    return [RuleInfo(id=taxonomy.rule_id(t, r), tag=tag.id, rule=rule)
            for t, tag in enumerate(taxonomy.tags) for r, rule in enumerate(tag.rules)]
