"""What a taxonomy holds, as pydantic models (tags, their rules, context cues, the combination
policy), and the validated Taxonomy with its fingerprints."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..fingerprints import json_sha256
from ..readers.typography import plain_text

TAG_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


RULE_KINDS = ("phrase", "regex", "pattern", "concept")
"""What a rule matches with; a rule has exactly one of these keys."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """One labelling rule: exactly one of `phrase`, `regex`, `pattern` or `concept`, plus how it may fire.

    A concept is a list of groups of terms: it matches a sentence that holds a term of every group
    ("image" or "video", and "text" or "caption", and "contrastive" or "align*"). Terms match as
    phrases do (any case, hyphen and spacing variants, plurals); a term ending in `*` matches any
    word that starts with it ("align*": align, aligned, alignment).
    """

    phrase: str | list[str] | None = None
    regex: str | None = None
    pattern: list[dict[str, Any]] | None = None
    concept: list[list[str]] | None = None
    within: int | None = Field(default=None, ge=1)
    id: str | None = None
    weight: float = Field(default=1.0, gt=0)
    where: Literal["anywhere", "title", "title_or_claim"] = "anywhere"
    min_count: int = Field(default=1, ge=1)
    min_count_anywhere: int | None = Field(default=None, ge=1)
    unless: list[str] = Field(default_factory=list)
    scoped: bool = True
    skip_background: bool = False
    case_sensitive: bool = False
    implies: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)

    @field_validator("phrase", "unless", mode="before")
    @classmethod
    def _plain_phrases(cls, value):
        return _plain_strings(value)

    @field_validator("concept", mode="before")
    @classmethod
    def _plain_concept_terms(cls, groups):
        if not isinstance(groups, list):
            return groups
        return [[group] if isinstance(group, str) else _plain_strings(group) for group in groups]

    @field_validator("pattern", mode="before")
    @classmethod
    def _plain_token_values(cls, pattern):
        if not isinstance(pattern, list):
            return pattern
        return [{attr: _plain_token_value(value) if str(attr).upper() in ("LOWER", "ORTH", "TEXT") else value
                 for attr, value in spec.items()} if isinstance(spec, dict) else spec for spec in pattern]

    @model_validator(mode="after")
    def _exactly_one_kind(self):
        given = [kind for kind in RULE_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(f"a rule needs exactly one of phrase, regex, pattern or concept (found: {found})")
        if self.within is not None and self.concept is None:
            raise ValueError("`within` (how many words a concept's terms may span) needs a `concept`")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in RULE_KINDS if getattr(self, kind) is not None)

    @property
    def phrases(self) -> list[str]:
        if self.phrase is None:
            return []
        return [self.phrase] if isinstance(self.phrase, str) else list(self.phrase)

    def describe(self) -> str:
        """A short human label: `phrase 'self-supervised'`."""
        if self.kind == "phrase" and not self.phrases:
            return "phrase []"
        if self.kind == "phrase":
            shown = self.phrases[0] + (f" (+{len(self.phrases) - 1})" if len(self.phrases) > 1 else "")
            return f"phrase '{shown}'"
        if self.kind == "regex":
            return f"regex '{self.regex}'"
        if self.kind == "concept":
            return "concept " + " + ".join("(" + " | ".join(group) + ")" for group in self.concept)
        return f"pattern {json.dumps(self.pattern)}"


class Tag(_Strict):
    """A topic of the taxonomy with its rules and its relations to other tags."""

    id: str = Field(pattern=TAG_ID_PATTERN)
    name: str
    description: str
    parent: str | None = None
    implies: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    min_score: float = Field(default=1.0, gt=0)
    threshold: float | None = Field(default=None, gt=0, lt=1)
    rules: list[Rule] = Field(min_length=1)


DEFAULT_CONTRAST_CUES = [
    "unlike", "compared with", "compared to", "in contrast to", "contrary to", "instead of",
    "rather than", "without", "beyond", "outperform", "outperforms", "outperforming",
    "prior work", "prior works", "previous work", "previous works", "existing", "previous",
    "conventional", "traditional", "baseline", "baselines", "such as", "e.g.", "alternative to",
]


class Context(_Strict):
    """How a mention's surroundings decide whether it is central or passing."""

    contrast_cues: list[str] = Field(default_factory=lambda: list(DEFAULT_CONTRAST_CUES))
    cue_window: int = Field(default=8, ge=0)
    free_suffixes: list[str] = Field(default_factory=lambda: ["free", "agnostic"])
    trailing_cues: list[str] = Field(default_factory=lambda: ["baselines"])
    own_name_passing: bool = True
    claim_cues: list[str] = Field(
        default_factory=lambda: [
            "we propose", "we present", "we introduce", "we develop", "we design", "we study",
            "we investigate", "we explore", "this paper", "this work", "in this work",
            "in this paper", "our method", "our approach", "our framework", "our model",
        ]
    )

    @field_validator("contrast_cues", "free_suffixes", "trailing_cues", "claim_cues", mode="before")
    @classmethod
    def _plain_cues(cls, cues):
        return _plain_strings(cues)

    @field_validator("contrast_cues", "free_suffixes", "trailing_cues", "claim_cues")
    @classmethod
    def _cues_have_words(cls, cues: list[str]) -> list[str]:
        empty = [cue for cue in cues if not has_word(cue)]
        if empty:
            raise ValueError(f"every cue needs a word, found {', '.join(map(repr, empty))}")
        return cues


def has_word(text: str) -> bool:
    """Whether a cue or phrase has a word (letters or digits), not only spaces and punctuation."""
    return re.search(r"\w", text) is not None


def _plain_strings(value):
    """A string, or the strings of a list, in plain typography (pipeline.typography); anything else
    as it is, for validation to report."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        return [plain_text(item) if isinstance(item, str) else item for item in value]
    return value


def _plain_token_value(value):
    """A token pattern's LOWER / ORTH / TEXT value (a string, or a dict with IN / NOT_IN lists) in plain typography."""
    if isinstance(value, dict):
        return {key: _plain_strings(item) if str(key).upper() in ("IN", "NOT_IN") else item
                for key, item in value.items()}
    return _plain_strings(value)


class Policy(_Strict):
    """How rules and model combine (see pipeline/tagging.py)."""

    model_adds: Literal["never", "with_strong_mention", "with_mention", "always"] = "with_strong_mention"


class TaxonomyModel(_Strict):
    version: int = 1
    context: Context = Field(default_factory=Context)
    policy: Policy = Field(default_factory=Policy)
    tags: list[Tag] = Field(min_length=1)


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy plus where it came from and its fingerprints."""

    model: TaxonomyModel
    path: str
    line_of: dict
    text: str = ""  # the YAML it was read from (a model folder keeps a copy)

    @property
    def tags(self) -> list[Tag]:
        return list(self.model.tags)

    @property
    def tag_ids(self) -> list[str]:
        return [tag.id for tag in self.model.tags]

    @functools.cached_property
    def column(self) -> dict[str, int]:
        """{tag id: its column} in every documents x tags matrix (the tags' order in the file)."""
        return {tag.id: j for j, tag in enumerate(self.model.tags)}

    @property
    def context(self) -> Context:
        return self.model.context

    @property
    def policy(self) -> Policy:
        return self.model.policy

    def tag(self, tag_id: str) -> Tag:
        for tag in self.model.tags:
            if tag.id == tag_id:
                return tag
        raise KeyError(tag_id)

    def rule_id(self, tag_index: int, rule_index: int) -> str:
        tag = self.model.tags[tag_index]
        rule = tag.rules[rule_index]
        return rule.id or f"{tag.id}.{rule_index + 1}"

    def ancestors(self, tag_id: str) -> list[str]:
        """The parent, grandparent, ... of a tag."""
        chain, current = [], self.tag(tag_id).parent
        while current is not None:
            chain.append(current)
            current = self.tag(current).parent
        return chain

    def fingerprint(self) -> str:
        return json_sha256(self.model.model_dump(mode="json"))

    def training_fingerprint(self) -> str:
        """The fingerprint of everything a trained model depends on: all but `policy`, which
        only says how rules and model combine when tagging."""
        return json_sha256(self.model.model_dump(mode="json", exclude={"policy"}))

    def tag_fingerprints(self) -> dict[str, str]:
        """One fingerprint a tag: its own definition plus the shared context settings."""
        context = self.model.context.model_dump(mode="json")
        return {tag.id: json_sha256([context, tag.model_dump(mode="json")]) for tag in self.model.tags}
