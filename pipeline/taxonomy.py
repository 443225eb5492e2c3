"""Load, validate and fingerprint `taxonomy.yaml`: tags, their rules, context cues and relations."""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputFileError, TaxonomyError
from .fingerprints import json_sha256
from .typography import plain_text

MAX_EXPANDED_NODES = 100_000
"""A taxonomy whose YAML aliases expand to more nodes than this is refused (alias bomb)."""

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


def load_taxonomy(path: str | Path = "taxonomy.yaml") -> Taxonomy:
    """Read and validate a taxonomy file; raise TaxonomyError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise TaxonomyError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    return parse_taxonomy(text, path)


def parse_taxonomy(text: str, path: str | Path = "<taxonomy>") -> Taxonomy:
    """Validate taxonomy YAML text; see load_taxonomy."""
    data, line_of = _read_yaml(text, path)
    if not isinstance(data, dict):
        raise TaxonomyError(path, ["line 1: the taxonomy must be a mapping with a `tags:` list"])
    problems, model = [], None
    try:
        model = TaxonomyModel.model_validate(data)
    except ValidationError as exc:
        problems = _describe_validation_errors(exc, data, line_of)
    problems += _check_semantics(data, line_of)
    if problems:
        raise TaxonomyError(path, sorted(problems, key=_line_number))
    return Taxonomy(model=model, path=str(path), line_of=line_of, text=text)


def _line_number(problem: str) -> int:
    digits = problem.removeprefix("line ").split(":", 1)[0].split(",", 1)[0]
    return int(digits) if digits.isdigit() else 0


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C (libyaml) when it is installed: the same safe subset as
yaml.safe_load, which never builds Python objects from tags, ten times faster."""


def _read_yaml(text: str, path) -> tuple[Any, dict]:
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(path, [f"{where}YAML syntax error: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(path, [f"YAML error: {exc}"]) from None
    if root is None:
        raise TaxonomyError(path, ["line 1: the file is empty"])
    _check_expansion(root, path)
    line_of: dict = {}
    duplicates: list[str] = []
    _record_lines(root, (), line_of, duplicates)
    if duplicates:
        raise TaxonomyError(path, duplicates)
    try:
        return yaml.load(text, Loader=SAFE_LOADER), line_of  # (safe: SAFE_LOADER is a SafeLoader)
    except yaml.MarkedYAMLError as exc:  # e.g. a !!python/object tag, which safe_load refuses
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TaxonomyError(path, [f"{where}YAML error: {exc.problem or exc.context}"]) from None


def _check_expansion(root, path) -> None:
    """Refuse recursive aliases and alias bombs before anything walks the expanded tree."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise TaxonomyError(path, [f"line {node.start_mark.line + 1}: recursive YAML alias"])
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        in_progress.discard(key)
        if total > MAX_EXPANDED_NODES:
            raise TaxonomyError(
                path,
                [f"line {node.start_mark.line + 1}: YAML aliases expand to more than "
                 f"{MAX_EXPANDED_NODES:,} nodes; refusing a possible alias bomb"],
            )
        sizes[key] = total
        return total

    size(root)


def _record_lines(node, path: tuple, line_of: dict, duplicates: list[str]) -> None:
    """Map every key path to its YAML line; note keys given twice in one mapping (YAML would
    silently keep the last)."""
    line_of.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                first = seen[key_node.value]
                duplicates.append(f"line {line}: duplicate key '{key_node.value}' (first on line {first})")
            seen.setdefault(key_node.value, line)
            line_of[child] = line
            _record_lines(value_node, child, line_of, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), line_of, duplicates)


def _line(line_of: dict, loc: tuple) -> int:
    """The YAML line of the deepest known prefix of a location."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in line_of:
            return line_of[tuple(loc[:end])]
    return 1


def _where(data, loc: tuple) -> str:
    """`tag 'x', rule 2` for a location inside the tags list."""
    if len(loc) < 2 or loc[0] != "tags" or not isinstance(loc[1], int):
        return ""
    tags = data.get("tags") if isinstance(data, dict) else None
    raw = tags[loc[1]] if isinstance(tags, list) and loc[1] < len(tags) else None
    tag_id = raw.get("id") if isinstance(raw, dict) else None
    label = f"tag '{tag_id}'" if tag_id else f"tag #{loc[1] + 1}"
    if len(loc) >= 4 and loc[2] == "rules" and isinstance(loc[3], int):
        rules = raw.get("rules") if isinstance(raw, dict) else None
        raw_rule = rules[loc[3]] if isinstance(rules, list) and loc[3] < len(rules) else None
        label += ", " + _rule_label(raw_rule, loc[3])
    return label + ": "


def _rule_label(raw_rule, index: int) -> str:
    """`rule 2` or, when the rule has an id, `rule 2 'clip_name'`."""
    rule_id = raw_rule.get("id") if isinstance(raw_rule, dict) else None
    return f"rule {index + 1}" + (f" '{rule_id}'" if isinstance(rule_id, str) and rule_id else "")


def _describe_validation_errors(exc: ValidationError, data, line_of: dict) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
        field = ".".join(str(part) for part in loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key '{loc[-1]}'"
        elif error["type"] == "too_short":
            message = "must not be empty"
        problems.append(f"line {_line(line_of, loc)}: {_where(data, loc)}{field}: {message}")
    return problems


def _check_semantics(data: dict, line_of: dict) -> list[str]:
    """Problems pydantic cannot see: duplicates, unknown tags, bad regexes and patterns.

    Works on the raw data so that it also reports on the tags and rules around a structural error.
    """
    from .rules import check_rule, check_unless  # rules compiles; taxonomy only asks it

    raw_tags = [raw if isinstance(raw, dict) else {} for raw in _as_list(data.get("tags"))]
    known = [raw.get("id") for raw in raw_tags if isinstance(raw.get("id"), str)]
    problems = []
    seen_tags: dict[str, int] = {}
    seen_rules: dict[str, str] = {}
    reachable: dict[str, float] = {}  # tag id -> the rule score it gets when all its rules fire
    for t, raw in enumerate(raw_tags):
        tag_loc, tag_id = ("tags", t), raw.get("id")
        label = f"tag '{tag_id}'" if isinstance(tag_id, str) else f"tag #{t + 1}"
        if isinstance(tag_id, str):
            if tag_id in seen_tags:
                problems.append(f"line {_line(line_of, tag_loc + ('id',))}: {label}: duplicate tag id "
                                f"(first defined at line {seen_tags[tag_id]})")
            else:
                seen_tags[tag_id] = _line(line_of, tag_loc + ("id",))
        for field in ("parent", "implies", "excludes"):
            for target in _as_list(raw.get(field)):
                if not isinstance(target, str):
                    continue
                if target not in known:
                    problems.append(f"line {_line(line_of, tag_loc + (field,))}: {label}: "
                                    f"{field} names unknown tag '{target}'")
                elif target == tag_id:
                    problems.append(f"line {_line(line_of, tag_loc + (field,))}: {label}: {field} names the tag itself")
        for r, raw_rule in enumerate(_as_list(raw.get("rules"))):
            try:
                rule = Rule.model_validate(raw_rule)
            except ValidationError:
                if isinstance(tag_id, str):
                    reachable[tag_id] = math.inf  # (unknown: the structural check reports the rule)
                continue
            at = functools.partial(_rule_place, line_of, tag_loc + ("rules", r), label, _rule_label(raw_rule, r), rule)
            for voted in {tag_id, *rule.implies} if isinstance(tag_id, str) else ():
                reachable[voted] = reachable.get(voted, 0.0) + rule.weight
            rule_id = rule.id or f"{tag_id}.{r + 1}"
            if rule_id in seen_rules:
                problems.append(f"{at('id')}: duplicate rule id '{rule_id}' (also in {seen_rules[rule_id]})")
            seen_rules[rule_id] = label
            for field in ("implies", "excludes"):
                for target in getattr(rule, field):
                    if target not in known:
                        problems.append(f"{at(field)}: {field} names unknown tag '{target}'")
                    elif target == tag_id:
                        problems.append(f"{at(field)}: {field} names the rule's own tag")
            problems.extend(f"{at(rule.kind)}: {message}" for message in check_rule(rule))
            problems.extend(f"{at('unless')}: {message}" for message in check_unless(rule))
    return problems + _unreachable_scores(raw_tags, line_of, reachable) + _parent_cycles(raw_tags, line_of)


def _unreachable_scores(raw_tags: list[dict], line_of: dict, reachable: dict[str, float]) -> list[str]:
    """A tag whose min_score is more than all the rules voting for it add up to: its rules never give it."""
    problems = []
    for t, raw in enumerate(raw_tags):
        minimum, tag_id = raw.get("min_score", Tag.model_fields["min_score"].default), raw.get("id")
        if not isinstance(tag_id, str) or tag_id not in reachable or not isinstance(minimum, (int, float)):
            # (an id that is no string, or no valid rule: reported already)
            continue
        if minimum > reachable[tag_id] + 1e-9:  # (float sums of weights)
            shown = f"min_score {minimum:g}" + ("" if "min_score" in raw else " (the default)")
            problems.append(f"line {_line(line_of, ('tags', t, 'min_score'))}: tag '{tag_id}': {shown} is more "
                            f"than its rules' weights add up to ({reachable[tag_id]:g}), so the rules "
                            "can never give it")
    return problems


def _rule_place(line_of: dict, rule_loc: tuple, tag_label: str, rule_label: str, rule: Rule, *field: str) -> str:
    """`line N: tag 'x', rule 2 (phrase '...')`, N being the line of the rule's `field` key (or of the rule)."""
    return f"line {_line(line_of, rule_loc + field)}: {tag_label}, {rule_label} ({rule.describe()})"


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _parent_cycles(raw_tags: list[dict], line_of: dict) -> list[str]:
    parents = {raw.get("id"): raw.get("parent") for raw in raw_tags if isinstance(raw.get("id"), str)}
    problems = []
    for t, raw in enumerate(raw_tags):
        tag_id = raw.get("id")
        if not isinstance(tag_id, str):
            continue
        seen, current = {tag_id}, raw.get("parent")
        while isinstance(current, str) and current in parents:
            if current in seen:
                problems.append(f"line {_line(line_of, ('tags', t, 'parent'))}: tag '{tag_id}': "
                                f"parent chain loops back through '{current}'")
                break
            seen.add(current)
            current = parents[current]
    return problems
