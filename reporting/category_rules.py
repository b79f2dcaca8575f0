"""The stem rules of a categoriser, read from their YAML file and compiled into bit masks.

The rules are data (``locales/categories.ka.yaml``, ``categories_needs.ka.yaml``) so that a
linguist can change them without touching code; a report applies them to up to a hundred
thousand distinct comments, so they are compiled once (``Compiled``): tokens are folded once
and remembered (``normalise.Folder``), stems are bits found word by word
(``reporting.stems``), and a verdict is remembered by the stems a comment holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reporting.normalise import Folder, fold, normalise
from reporting.stems import StemBits, Stems

OTHER = "other"
NEEDS_LOOK = 0.5  # a verdict below this confidence is flagged for an analyst
WORDS_REMEMBERED = 30_000  # tokens whose folded form is kept (~10 MB)
VERDICTS_REMEMBERED = 50_000  # the rules' verdicts by the stems found
MAYBE, CLEARLY = 1, 2  # how surely a comment complains


@dataclass(frozen=True)
class Verdict:
    """Categories for one comment, how sure, and why not sure (reason codes)."""

    categories: tuple[str, ...]
    confidence: float
    reasons: tuple[str, ...] = ()

    @property
    def needs_look(self) -> bool:
        return self.confidence < NEEDS_LOOK


shared_verdict = lru_cache(maxsize=4096)(Verdict)  # verdicts are values: the same ones are shared


@dataclass(frozen=True)
class Rule:
    groups: tuple[Stems, ...]
    unless: Stems | None = None
    max_words: int | None = None
    alone: bool = False
    """Given only when no other category is found: "money" beside firewood is for firewood."""


@dataclass(frozen=True)
class Sentiment:
    negators: frozenset[str]
    thanks: Stems
    content: Stems
    no_remark: Stems
    complaints: Stems
    but: frozenset[str] = frozenset()  # whole words: "but" makes thanks a complaint


class Compiled:
    """The rules and the sentiment as bit masks over one ``StemBits``."""

    def __init__(
        self,
        rules: Mapping[str, tuple[Rule, ...]],
        sentiment: Sentiment,
        russian: Mapping[str, str],
        labels: Mapping[str, str],
    ) -> None:
        self.source = (labels, rules, sentiment, russian)
        self.fold = Folder(russian, WORDS_REMEMBERED)
        self.verdicts: dict[tuple[int, int, int, tuple[bool, int]], Verdict] = {}
        mood = (sentiment.thanks, sentiment.content, sentiment.no_remark, sentiment.complaints)
        groups = [g for rs in rules.values() for r in rs for g in (*r.groups, r.unless) if g]
        bits = self.bits = StemBits(s for stems in (*groups, *mood) for s in stems.stems)
        self.rules = tuple(
            (
                code,
                tuple(
                    (
                        rule.max_words,
                        bits.of(rule.unless),
                        tuple((bits.of(g), bits.of(g, typos=True)) for g in rule.groups),
                    )
                    for rule in code_rules
                ),
            )
            for code, code_rules in rules.items()
        )
        self.alone = frozenset(code for code, rs in rules.items() if any(r.alone for r in rs))
        self.negators = sentiment.negators
        self.but = sentiment.but
        self.remark = sentiment.no_remark.pattern
        self.thanks, self.content, self.no_remark, self.complaints = (bits.of(s) for s in mood)

    def matches(self, found: int, typos: int, count: int) -> dict[str, str]:
        """Category -> ``"exact"`` (a rule matched as typed) or ``"fuzzy"`` (only with typos).

        A rule matches when no `unless` stem is in the text and every group has a stem in it,
        or, failing that, a stem one of its words is a typo of."""
        result: dict[str, str] = {}
        for code, rules in self.rules:
            for max_words, unless, groups in rules:
                if (max_words is not None and count > max_words) or unless & found:
                    continue
                how = "exact"
                for exact, typo in groups:
                    if not exact & found:
                        if not typo & typos:
                            break
                        how = "fuzzy"
                else:
                    result[code] = how
                    if how == "exact":
                        break
        return result

    def remember(self, key: tuple[int, int, int, tuple[bool, int]], verdict: Verdict) -> None:
        if len(self.verdicts) >= VERDICTS_REMEMBERED:
            self.verdicts.clear()
        self.verdicts[key] = verdict

    def mood(self, folded: str, words: list[str], found: int) -> tuple[bool, int]:
        """(pleased, complains): complains is ``CLEARLY`` for a complaint word, "but", or
        contentment next to a negator, ``MAYBE`` for any other negator left once the "no
        remark" phrases are taken out ("ar maqvs" is often just "no remarks"), else 0."""
        rest = self.remark.sub(" ", folded).split() if found & self.no_remark else words
        pleased = bool(found & (self.no_remark | self.thanks))
        clearly = bool(found & self.complaints) or not self.but.isdisjoint(words)
        if found & self.content:
            for i, word in enumerate(rest):
                if self.bits.word(word)[0] & self.content:
                    if self.negators.isdisjoint(rest[max(0, i - 2) : i + 3]):
                        pleased = True
                    else:
                        clearly = True
        if clearly:
            return pleased, CLEARLY
        return pleased, MAYBE if not self.negators.isdisjoint(rest) else 0


@dataclass(frozen=True)
class RuleSet:
    """What one rules file says: category labels, rules, mood words, Russian words."""

    labels: dict[str, str]
    rules: dict[str, tuple[Rule, ...]]
    sentiment: Sentiment
    russian: dict[str, str]


def read_rules(source: Path) -> RuleSet:
    """The rules file, checked: every rule's category has a label, and `other` is one."""
    raw: dict[str, Any] = yaml.safe_load(source.read_text("utf-8"))
    labels = {str(code): str(text) for code, text in raw["labels"].items()}
    if OTHER not in labels:
        raise ValueError(f"{source}: labels: `{OTHER}` is missing")
    russian = {str(k): str(v) for k, v in (raw.get("russian") or {}).items()}
    rules: dict[str, tuple[Rule, ...]] = {}
    for code, items in raw["rules"].items():
        if code not in labels:
            raise ValueError(f"{source}: rules.{code}: no label for this category")
        rules[code] = tuple(
            Rule(
                groups=tuple(Stems(group) for group in item["all"]),
                unless=Stems(item["unless"]) if item.get("unless") else None,
                max_words=item.get("max_words"),
                alone=bool(item.get("alone", False)),
            )
            for item in items
        )
    mood = raw["sentiment"]
    sentiment = Sentiment(
        negators=frozenset(fold(normalise(str(w))) for w in mood["negators"]),
        thanks=Stems(mood["thanks"]),
        content=Stems(mood["content"]),
        no_remark=Stems(mood["no_remark"]),
        complaints=Stems(mood["complaints"]),
        but=frozenset(fold(normalise(str(w))) for w in mood.get("but") or ()),
    )
    return RuleSet(labels, rules, sentiment, russian)
