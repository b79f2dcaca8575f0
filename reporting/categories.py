"""Automatic categories for free-text suggestions: stem rules kept as data, plus what the
analysts taught it.

The rules (``locales/categories.ka.yaml``) read the comment after normalisation (Latin
letters, Russian words, typos: ``reporting.normalise``), handle negation and give several
categories when a comment asks several things. Analysts' corrections become labelled
examples: a comment much like a corrected one gets the corrected categories. Every verdict
says how sure it is, so that an analyst can check the unsure ones first. An analyst's
correction of a comment itself always wins wherever it is counted or shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reporting.neighbours import Neighbours
from reporting.normalise import fold, normalise

OTHER = "other"
SATISFIED = "satisfied"
NEEDS_LOOK = 0.5  # a verdict below this confidence is flagged for an analyst
FUZZY_MIN = 5  # stems this long also match a word with one typo
SAME = 0.85  # a corrected comment this similar is the same comment, retyped
SIMILAR = 0.3  # corrected comments at least this similar vote
CLOSE = 0.5  # three corrected comments this similar that agree overrule the rules


@dataclass(frozen=True)
class Verdict:
    """Categories for one comment, how sure, and why not sure (reason codes)."""

    categories: tuple[str, ...]
    confidence: float
    reasons: tuple[str, ...] = ()

    @property
    def needs_look(self) -> bool:
        return self.confidence < NEEDS_LOOK


def _edits_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Stems:
    """Substrings of the folded text; long one-word stems also match a word with a typo."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = tuple(dict.fromkeys(fold(normalise(str(s))) for s in stems if str(s)))
        self.pattern = re.compile("|".join(re.escape(s) for s in self.stems) or "(?!)")
        self.fuzzy = tuple(s for s in self.stems if len(s) >= FUZZY_MIN and " " not in s)

    def exact(self, folded: str) -> bool:
        return self.pattern.search(folded) is not None

    def search(self, folded: str, words: Sequence[str]) -> str | None:
        """``"exact"``, ``"fuzzy"`` or ``None``."""
        if self.pattern.search(folded):
            return "exact"
        if any(_typo_of(word, self.fuzzy) for word in words):
            return "fuzzy"
        return None


@lru_cache(maxsize=200_000)
def _typo_of(word: str, stems: tuple[str, ...]) -> bool:
    """The word starts like a stem but for one letter changed or added (the first letter is
    taken as typed; a dropped letter is not tried: it makes short words look alike)."""
    for stem in stems:
        if word[:1] != stem[:1] or len(word) < len(stem):
            continue
        if _edits_at_most_one(word[: len(stem)], stem) or _edits_at_most_one(
            word[: len(stem) + 1], stem
        ):
            return True
    return False


@dataclass(frozen=True)
class Rule:
    groups: tuple[Stems, ...]
    unless: Stems | None = None
    max_words: int | None = None

    def match(self, folded: str, words: Sequence[str]) -> str | None:
        if self.max_words is not None and len(words) > self.max_words:
            return None
        if self.unless is not None and self.unless.exact(folded):
            return None
        how = "exact"
        for group in self.groups:
            found = group.search(folded, words)
            if found is None:
                return None
            if found == "fuzzy":
                how = "fuzzy"
        return how


@dataclass(frozen=True)
class Sentiment:
    negators: frozenset[str]
    thanks: Stems
    content: Stems
    no_remark: Stems
    complaints: Stems

    def judge(self, folded: str, words: Sequence[str]) -> tuple[bool, bool]:
        """(pleased, complains). Contentment next to a negator is a complaint, and so is any
        negator left once the "no remark" phrases are taken out."""
        rest = self.no_remark.pattern.sub(" ", folded).split()
        pleased = self.no_remark.exact(folded) or self.thanks.exact(folded)
        complains = self.complaints.exact(folded) or any(w in self.negators for w in rest)
        for i, word in enumerate(rest):
            if self.content.exact(word):
                if any(w in self.negators for w in rest[max(0, i - 2) : i + 3]):
                    complains = True
                else:
                    pleased = True
        return pleased, complains


@dataclass(frozen=True)
class Categoriser:
    labels: Mapping[str, str]
    rules: Mapping[str, tuple[Rule, ...]]
    sentiment: Sentiment
    russian: Mapping[str, str]
    learned: Neighbours = field(default_factory=Neighbours)

    def categorise(self, text: str | None) -> tuple[str, ...]:
        """Categories in the order of ``labels``; ``()`` for an empty comment."""
        return self.assess(text).categories

    def assess(self, text: str | None) -> Verdict:
        if not text or not text.strip():
            return Verdict((), 1.0)
        folded = self.fold(text)
        words = folded.split()
        mood = self.sentiment.judge(folded, words)
        verdict = self._rules(folded, words, mood)
        return self._learned(folded, verdict, mood) if len(self.learned) else verdict

    def fold(self, text: str) -> str:
        return fold(normalise(text, self.russian))

    def learn(self, examples: Iterable[tuple[str, Sequence[str]]]) -> Categoriser:
        """A categoriser that also follows these labelled comments (analysts' corrections)."""
        folded = [(self.fold(text), tuple(codes)) for text, codes in examples if text]
        known = [(text, codes) for text, codes in folded if all(c in self.labels for c in codes)]
        return replace(self, learned=Neighbours.build(known))

    def _rules(self, folded: str, words: Sequence[str], mood: tuple[bool, bool]) -> Verdict:
        found: dict[str, str] = {}
        for code, rules in self.rules.items():
            hits = [how for rule in rules if (how := rule.match(folded, words))]
            if hits:
                found[code] = "exact" if "exact" in hits else "fuzzy"
        reasons = ["typo"] if "fuzzy" in found.values() else []
        pleased, complains = mood
        if not found and pleased and not complains:
            return Verdict((SATISFIED,), 1.0)
        if found:
            codes = tuple(code for code in self.labels if code in found)
            return Verdict(codes, 0.45 if reasons else 1.0, tuple(reasons))
        if pleased and complains:
            return Verdict((OTHER,), 0.3, ("mixed_feelings",))
        if len(words) >= 4:
            return Verdict((OTHER,), 0.4, ("nothing_found",))
        return Verdict((OTHER,), 0.7)

    def _learned(self, folded: str, verdict: Verdict, mood: tuple[bool, bool]) -> Verdict:
        """Corrections replace the rules' answer when a comment is nearly the same as a
        corrected one, or when several close corrected comments agree; they fill in where the
        rules found nothing. `satisfied` is never learned for a comment that complains."""
        near = [n for n in self.learned.nearest(folded) if n.similarity >= SIMILAR]
        if not near:
            return verdict
        if near[0].similarity >= SAME:
            taught = near[0].categories
        else:
            total = sum(n.similarity for n in near)
            taught = tuple(
                code
                for code in self.labels
                if sum(n.similarity for n in near if code in n.categories) / total >= 0.5
            )
        if SATISFIED in taught and (mood[1] or not mood[0]):
            taught = tuple(code for code in taught if code != SATISFIED)
        if not taught or taught == verdict.categories:
            return verdict
        close = [n for n in near if n.similarity >= CLOSE and set(n.categories) == set(taught)]
        if near[0].similarity >= SAME or len(close) >= 3:
            return Verdict(taught, 0.9, ("learned",))
        if verdict.categories == (OTHER,):
            return Verdict(taught, 0.8 if len(near) >= 3 else 0.45, ("learned",))
        return Verdict(verdict.categories, min(verdict.confidence, 0.45), ("corrections_differ",))


def default_rules_path() -> Path:
    return Path(str(resources.files("locales").joinpath("categories.ka.yaml")))


def load_categoriser(path: Path | None = None) -> Categoriser:
    source = path or default_rules_path()
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
    )
    return Categoriser(labels, rules, sentiment, russian)
