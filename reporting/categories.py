"""Automatic categories for free-text suggestions, from stem rules kept as data.

The rules only propose; an analyst's correction replaces them wherever a comment is counted
or shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

OTHER = "other"


def _alternation(stems: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s.lower()) for s in stems))


@dataclass(frozen=True)
class Rule:
    groups: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        if self.unless is not None and self.unless.search(text):
            return False
        return all(group.search(text) for group in self.groups)


@dataclass(frozen=True)
class Categoriser:
    labels: Mapping[str, str]
    rules: Mapping[str, tuple[Rule, ...]]
    alone: frozenset[str]

    def categorise(self, text: str | None) -> tuple[str, ...]:
        """Categories in the order of ``labels``; ``()`` for an empty comment."""
        if not text or not text.strip():
            return ()
        cleaned = " ".join(text.lower().split())
        found = [
            code for code, rules in self.rules.items() if any(r.matches(cleaned) for r in rules)
        ]
        if any(code not in self.alone for code in found):
            found = [code for code in found if code not in self.alone]
        ordered = [code for code in self.labels if code in found]
        return tuple(ordered) or (OTHER,)


def default_rules_path() -> Path:
    return Path(str(resources.files("locales").joinpath("categories.ka.yaml")))


def load_categoriser(path: Path | None = None) -> Categoriser:
    raw: dict[str, Any] = yaml.safe_load((path or default_rules_path()).read_text("utf-8"))
    labels = {str(code): str(text) for code, text in raw["labels"].items()}
    rules: dict[str, tuple[Rule, ...]] = {}
    alone: set[str] = set()
    for code, items in raw["rules"].items():
        if code not in labels:
            raise ValueError(f"{path}: rules.{code}: no label for this category")
        rules[code] = tuple(
            Rule(
                groups=tuple(_alternation(map(str, group)) for group in item["all"]),
                unless=_alternation(map(str, item["unless"])) if item.get("unless") else None,
            )
            for item in items
        )
        if any(item.get("alone") for item in items):
            alone.add(code)
    return Categoriser(labels, rules, frozenset(alone))
