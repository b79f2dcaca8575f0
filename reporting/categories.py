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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reporting.neighbours import Neighbours
from reporting.normalise import Folder, fold, normalise

OTHER = "other"
SATISFIED = "satisfied"
NEEDS_LOOK = 0.5  # a verdict below this confidence is flagged for an analyst
FUZZY_MIN = 5  # stems this long also match a word with one typo
SAME = 0.85  # a corrected comment this similar is the same comment, retyped
SIMILAR = 0.3  # corrected comments at least this similar vote
CLOSE = 0.5  # three corrected comments this similar that agree overrule the rules
WORDS_REMEMBERED = 30_000  # words (and tokens) whose stems and forms are kept: ~20 MB
VERDICTS_REMEMBERED = 50_000  # the rules' verdicts by the stems found


@dataclass(frozen=True)
class Verdict:
    """Categories for one comment, how sure, and why not sure (reason codes)."""

    categories: tuple[str, ...]
    confidence: float
    reasons: tuple[str, ...] = ()

    @property
    def needs_look(self) -> bool:
        return self.confidence < NEEDS_LOOK


_verdict = lru_cache(maxsize=4096)(Verdict)  # verdicts are values: the same ones are shared


def _typo_of(word: str, stem: str) -> bool:
    """The word starts like the stem but for one letter changed or added (the first letter is
    taken as typed; a dropped letter is not tried: it makes short words look alike)."""
    size = len(stem)
    if word[:1] != stem[:1] or len(word) < size:
        return False
    same = 1
    while same < size and word[same] == stem[same]:
        same += 1
    # after the letters that agree: one changed, or one added, and then the rest agrees
    return (
        same == size
        or word[same + 1 : size] == stem[same + 1 :]
        or (len(word) > size and word[same + 1 : size + 1] == stem[same:])
    )


class Stems:
    """Substrings of the folded text; long one-word stems also match a word with a typo."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = tuple(dict.fromkeys(fold(normalise(str(s))) for s in stems if str(s)))
        self.pattern = re.compile("|".join(re.escape(s) for s in self.stems) or "(?!)")
        self.fuzzy = tuple(s for s in self.stems if len(s) >= FUZZY_MIN and " " not in s)


class StemBits:
    """Every stem is one bit of an integer, and a comment is the bits of the stems it holds.

    A stem without a space is inside the text exactly when it is inside one of its words, so
    each word is looked at once (its substrings against a table; the stems it is a typo of)
    and remembered: a comment then costs a cached look-up per word and a few integer ANDs. A
    stem with a space is searched for only when its longest word is there."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.bit = {stem: 1 << i for i, stem in enumerate(dict.fromkeys(stems))}
        self.always = self.bit.get("", 0)  # an empty stem is in every text
        table: dict[str, int] = defaultdict(int)
        typos: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.phrases: list[tuple[str, int, int]] = []  # (stem, its bit, its longest word's bit)
        for stem, bit in self.bit.items():
            if " " in stem:
                key = 1 << (len(self.bit) + len(self.phrases))
                table[max(stem.split(), key=len)] |= key
                self.phrases.append((stem, bit, key))
            elif stem:
                table[stem] |= bit
                if len(stem) >= FUZZY_MIN:
                    typos[stem[0]].append((stem, bit))
        self.width = min(map(len, table), default=1)
        self.starts: dict[str, list[tuple[str, int]]] = defaultdict(list)  # by first letters
        for piece, bits in table.items():
            self.starts[piece[: self.width]].append((piece, bits))
        self.letters = frozenset("".join(table))
        self.typos = dict(typos)
        self.keys = sum(key for _, _, key in self.phrases)
        self.word = lru_cache(maxsize=WORDS_REMEMBERED)(self._word)

    def of(self, stems: Stems | None, typos: bool = False) -> int:
        if stems is None:
            return 0
        return sum(self.bit[stem] for stem in (stems.fuzzy if typos else stems.stems))

    def text(self, folded: str, words: Sequence[str]) -> tuple[int, int]:
        """(stems in the text, stems one of its words is a typo of)."""
        found, typos = self.always, 0
        for word in words:
            inside, typo = self.word(word)
            found |= inside
            typos |= typo
        if found & self.keys:
            for phrase, bit, key in self.phrases:
                if found & key and phrase in folded:
                    found |= bit
        return found, typos

    def _word(self, word: str) -> tuple[int, int]:
        found = self.always
        if not self.letters.isdisjoint(word):
            starts, width = self.starts, self.width
            for start in range(len(word) - width + 1):
                for piece, bits in starts.get(word[start : start + width], ()):
                    if word.startswith(piece, start):
                        found |= bits
        typos = 0
        for stem, bit in self.typos.get(word[:1], ()):
            if _typo_of(word, stem):
                typos |= bit
        return found, typos


@dataclass(frozen=True)
class Rule:
    groups: tuple[Stems, ...]
    unless: Stems | None = None
    max_words: int | None = None


@dataclass(frozen=True)
class Sentiment:
    negators: frozenset[str]
    thanks: Stems
    content: Stems
    no_remark: Stems
    complaints: Stems


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
        self.verdicts: dict[tuple[int, int, int, tuple[bool, bool]], Verdict] = {}
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
        self.negators = sentiment.negators
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

    def remember(self, key: tuple[int, int, int, tuple[bool, bool]], verdict: Verdict) -> None:
        if len(self.verdicts) >= VERDICTS_REMEMBERED:
            self.verdicts.clear()
        self.verdicts[key] = verdict

    def mood(self, folded: str, words: list[str], found: int) -> tuple[bool, bool]:
        """(pleased, complains). Contentment next to a negator is a complaint, and so is any
        negator left once the "no remark" phrases are taken out."""
        rest = self.remark.sub(" ", folded).split() if found & self.no_remark else words
        pleased = bool(found & (self.no_remark | self.thanks))
        complains = bool(found & self.complaints) or not self.negators.isdisjoint(rest)
        if found & self.content:
            for i, word in enumerate(rest):
                if self.bits.word(word)[0] & self.content:
                    if self.negators.isdisjoint(rest[max(0, i - 2) : i + 3]):
                        pleased = True
                    else:
                        complains = True
        return pleased, complains


@dataclass(frozen=True)
class Categoriser:
    labels: Mapping[str, str]
    rules: Mapping[str, tuple[Rule, ...]]
    sentiment: Sentiment
    russian: Mapping[str, str]
    learned: Neighbours = field(default_factory=Neighbours)
    compiled: Compiled | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = self.compiled
        if compiled is None or compiled.source != self._source:
            compiled = Compiled(self.rules, self.sentiment, self.russian, self.labels)
            object.__setattr__(self, "compiled", compiled)

    @property
    def _source(self) -> tuple[Any, ...]:
        return (self.labels, self.rules, self.sentiment, self.russian)

    def categorise(self, text: str | None) -> tuple[str, ...]:
        """Categories in the order of ``labels``; ``()`` for an empty comment."""
        return self.assess(text).categories

    def assess(self, text: str | None) -> Verdict:
        if not text or not text.strip():
            return Verdict((), 1.0)
        compiled = self.compiled
        assert compiled is not None
        folded = compiled.fold(text)
        words = folded.split()
        found, typos = compiled.bits.text(folded, words)
        mood = compiled.mood(folded, words, found)
        key = (found, typos, len(words), mood)  # all that the rules' verdict depends on
        verdict = compiled.verdicts.get(key)
        if verdict is None:
            verdict = self._rules(compiled.matches(found, typos, len(words)), len(words), mood)
            compiled.remember(key, verdict)
        return self._learned(folded, verdict, mood) if self.learned.examples else verdict

    def fold(self, text: str) -> str:
        """``fold(normalise(text, self.russian))``."""
        assert self.compiled is not None
        return self.compiled.fold(text)

    def learn(self, examples: Iterable[tuple[str, Sequence[str]]]) -> Categoriser:
        """A categoriser that also follows these labelled comments (analysts' corrections)."""
        folded = [(self.fold(text), tuple(codes)) for text, codes in examples if text]
        known = [(text, codes) for text, codes in folded if all(c in self.labels for c in codes)]
        return replace(self, learned=Neighbours.build(known))

    def _rules(self, found: Mapping[str, str], count: int, mood: tuple[bool, bool]) -> Verdict:
        reasons = ["typo"] if "fuzzy" in found.values() else []
        pleased, complains = mood
        if not found and pleased and not complains:
            return Verdict((SATISFIED,), 1.0)
        if found:
            codes = tuple(code for code in self.labels if code in found)
            return Verdict(codes, 0.45 if reasons else 1.0, tuple(reasons))
        if pleased and complains:
            return Verdict((OTHER,), 0.3, ("mixed_feelings",))
        if count >= 4:
            return Verdict((OTHER,), 0.4, ("nothing_found",))
        return Verdict((OTHER,), 0.7)

    def _learned(self, folded: str, verdict: Verdict, mood: tuple[bool, bool]) -> Verdict:
        """Corrections replace the rules' answer when a comment is nearly the same as a
        corrected one, or when several close corrected comments agree; they fill in where the
        rules found nothing. `satisfied` is never learned for a comment that complains."""
        near = self.learned.similar(folded, SIMILAR)
        if not near:
            return verdict
        if near[0].similarity >= SAME:
            taught = near[0].categories
        else:
            total = sum(n.similarity for n in near)
            votes: dict[str, float] = {}
            for n in near:
                for code in set(n.categories):
                    votes[code] = votes.get(code, 0) + n.similarity
            taught = tuple(code for code in self.labels if votes.get(code, 0) / total >= 0.5)
        if SATISFIED in taught and (mood[1] or not mood[0]):
            taught = tuple(code for code in taught if code != SATISFIED)
        if not taught or taught == verdict.categories:
            return verdict
        if near[0].similarity < SAME:
            agree = set(taught)
            close = [n for n in near if n.similarity >= CLOSE and set(n.categories) == agree]
        if near[0].similarity >= SAME or len(close) >= 3:
            return _verdict(taught, 0.9, ("learned",))
        if verdict.categories == (OTHER,):
            return _verdict(taught, 0.8 if len(near) >= 3 else 0.45, ("learned",))
        return _verdict(verdict.categories, min(verdict.confidence, 0.45), ("corrections_differ",))


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
