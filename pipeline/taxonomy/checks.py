"""The problems of a taxonomy that its schema cannot see: duplicate ids, unknown tags, parent
loops, scores its rules can never reach, and rules that cannot compile or never match."""

from __future__ import annotations

import functools
import math

from pydantic import ValidationError

from .rule_checks import check_rule, check_unless
from .schema import Rule, Tag
from .yaml_lines import yaml_line


def rule_number_label(raw_rule, index: int) -> str:
    """`rule 2` or, when the rule has an id, `rule 2 'clip_name'`."""
    rule_id = raw_rule.get("id") if isinstance(raw_rule, dict) else None
    return f"rule {index + 1}" + (f" '{rule_id}'" if isinstance(rule_id, str) and rule_id else "")


def check_semantics(data: dict, line_of: dict) -> list[str]:
    """Problems pydantic cannot see: duplicates, unknown tags, bad regexes and patterns.

    Works on the raw data so that it also reports on the tags and rules around a structural error.
    """

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
                problems.append(f"line {yaml_line(line_of, tag_loc + ('id',))}: {label}: duplicate tag id "
                                f"(first defined at line {seen_tags[tag_id]})")
            else:
                seen_tags[tag_id] = yaml_line(line_of, tag_loc + ("id",))
        for field in ("parent", "implies", "excludes"):
            for target in _as_list(raw.get(field)):
                if not isinstance(target, str):
                    continue
                if target not in known:
                    problems.append(f"line {yaml_line(line_of, tag_loc + (field,))}: {label}: "
                                    f"{field} names unknown tag '{target}'")
                elif target == tag_id:
                    problems.append(f"line {yaml_line(line_of, tag_loc + (field,))}: {label}: {field} names the tag itself")
        for r, raw_rule in enumerate(_as_list(raw.get("rules"))):
            try:
                rule = Rule.model_validate(raw_rule)
            except ValidationError:
                if isinstance(tag_id, str):
                    reachable[tag_id] = math.inf  # (unknown: the structural check reports the rule)
                continue
            at = functools.partial(_rule_place, line_of, tag_loc + ("rules", r), label, rule_number_label(raw_rule, r), rule)
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
            problems.append(f"line {yaml_line(line_of, ('tags', t, 'min_score'))}: tag '{tag_id}': {shown} is more "
                            f"than its rules' weights add up to ({reachable[tag_id]:g}), so the rules "
                            "can never give it")
    return problems


def _rule_place(line_of: dict, rule_loc: tuple, tag_label: str, rule_label: str, rule: Rule, *field: str) -> str:
    """`line N: tag 'x', rule 2 (phrase '...')`, N being the line of the rule's `field` key (or of the rule)."""
    return f"line {yaml_line(line_of, rule_loc + field)}: {tag_label}, {rule_label} ({rule.describe()})"


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
                problems.append(f"line {yaml_line(line_of, ('tags', t, 'parent'))}: tag '{tag_id}': "
                                f"parent chain loops back through '{current}'")
                break
            seen.add(current)
            current = parents[current]
    return problems
