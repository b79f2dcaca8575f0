"""Automatic categories for free-text suggestions: stem rules kept as data, plus what the
analysts taught it.

The rules (``locales/categories.ka.yaml``) read the comment after normalisation (Latin
letters, Russian words, typos: ``reporting.normalise``), handle negation and give several
categories when a comment asks several things. Analysts' corrections become labelled
examples: a comment much like a corrected one gets the corrected categories. Every verdict
says how sure it is, so that an analyst can check the unsure ones first. An analyst's
correction of a comment itself always wins wherever it is counted or shown.

A report sorts up to a hundred thousand distinct comments, so the rules are compiled once
(``Compiled``): tokens are folded once and remembered (``normalise.Folder``), stems are bits
found word by word (``reporting.stems``), and the rules' verdict is remembered by the stems
a comment holds. The results are those of applying the rules literally, comment by comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reporting.categories_model import LinearModel, Scorer, grams, load_model
from reporting.neighbours import Neighbours
from reporting.normalise import Folder, fold, normalise
from reporting.stems import StemBits, Stems

OTHER = "other"
SATISFIED = "satisfied"
NEEDS_LOOK = 0.5  # a verdict below this confidence is flagged for an analyst
SAME = 0.85  # a corrected comment this similar is the same comment, retyped
SIMILAR = 0.3  # corrected comments at least this similar vote
CLOSE = 0.5  # three corrected comments this similar that agree overrule the rules
WORDS_REMEMBERED = 30_000  # tokens whose folded form is kept (~10 MB)
VERDICTS_REMEMBERED = 50_000  # the rules' verdicts by the stems found
RULES_KEPT = 0.1  # the rules' categories stand unless the model gives one less than this
CLEAR = 0.05  # the likeliest category this far above the next: no look needed
NOTHING_FOUND = 0.45  # how sure `other` is where neither the rules nor the model found any
DIFFER = 1.0  # how sure a verdict can be where the rules and the model differ


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
        complains = complains or not self.but.isdisjoint(words)
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
    model: LinearModel | None = field(default=None, repr=False, compare=False)
    scorer: Scorer | None = field(default=None, repr=False, compare=False)
    compiled: Compiled | None = field(default=None, repr=False, compare=False)
    needs: Categoriser | None = field(default=None, repr=False, compare=False)
    """The extra needs' own categories (question 9ა): a need is sorted by what it asks for
    (firewood, medicines, repairs), never into the suggestions' categories."""

    def __post_init__(self) -> None:
        compiled = self.compiled
        if compiled is None or compiled.source != self._source:
            compiled = Compiled(self.rules, self.sentiment, self.russian, self.labels)
            object.__setattr__(self, "compiled", compiled)
        if self.model is not None and (self.scorer is None or self.scorer.model is not self.model):
            object.__setattr__(self, "scorer", Scorer(self.model, OTHER, SATISFIED))

    @property
    def _source(self) -> tuple[Any, ...]:
        return (self.labels, self.rules, self.sentiment, self.russian)

    def categorise(self, text: str | None) -> tuple[str, ...]:
        """Categories in the order of ``labels``; ``()`` for an empty comment."""
        return self.assess(text).categories

    def assess(self, text: str | None) -> Verdict:
        if not text or not text.strip():
            return Verdict((), 1.0)
        return self._assess(text, None)

    def _assess(self, text: str, folded: str | None) -> Verdict:
        folded, verdict, mood = self.by_rules(text, folded)
        if self.scorer is not None:
            verdict = self._with_model(self.scorer, folded, verdict, mood)
        return self._learned(folded, verdict, mood) if self.learned.examples else verdict

    def by_rules(
        self, text: str, folded: str | None = None
    ) -> tuple[str, Verdict, tuple[bool, bool]]:
        """(the folded text, the rules' verdict, its mood: pleased, complains)."""
        compiled = self.compiled
        assert compiled is not None
        folded = compiled.fold(text) if folded is None else folded
        words = folded.split()
        found, typos = compiled.bits.text(folded, words)
        mood = compiled.mood(folded, words, found)
        key = (found, typos, len(words), mood)  # all that the rules' verdict depends on
        verdict = compiled.verdicts.get(key)
        if verdict is None:
            verdict = self._rules(compiled.matches(found, typos, len(words)), len(words), mood)
            compiled.remember(key, verdict)
        return folded, verdict, mood

    def assess_all(self, texts: Iterable[str]) -> dict[str, Verdict]:
        """``{text: self.assess(text)}`` for many distinct texts, faster: the model scores
        them in batches first."""
        texts = list(texts)
        distinct = [t for t in dict.fromkeys(texts) if t and t.strip()]
        folded = [self.fold(t) for t in distinct]
        if self.scorer is not None:
            self.scorer.prepare(folded)
        found = {text: self.assess(text) for text in texts if not (text and text.strip())}
        for text, one in zip(distinct, folded, strict=True):
            found[text] = self._assess(text, one)
        return found

    def fold(self, text: str) -> str:
        """``fold(normalise(text, self.russian))``."""
        assert self.compiled is not None
        return self.compiled.fold(text)

    def learn(self, examples: Iterable[tuple[str, Sequence[str]]]) -> Categoriser:
        """A categoriser that also follows these labelled comments (analysts' corrections)."""
        folded = [(self.fold(text), tuple(codes)) for text, codes in examples if text]
        known = [(text, codes) for text, codes in folded if all(c in self.labels for c in codes)]
        model = self.model
        if model is not None and known:
            latest = dict(known)  # the last correction of a text wins
            model = model.taught([(model.vector(grams(t)), codes) for t, codes in latest.items()])
        return replace(self, learned=Neighbours.build(known), model=model, scorer=None)

    def of_needs(self) -> Categoriser:
        """The categoriser of the extra needs (this one when none is attached)."""
        return self.needs if self.needs is not None else self

    def of_text(self, field: str, needs_field: str | None) -> Categoriser:
        """The categoriser of one free text: the needs' for the described need, else this."""
        return self.of_needs() if needs_field and field == needs_field else self

    def taught(
        self, corrections: Iterable[tuple[str, str, Sequence[str]]], needs_field: str | None
    ) -> Categoriser:
        """Both categorisers taught by the analysts' corrections, (field, text, codes): a
        need's correction teaches the needs' categories alone, any other the suggestions'."""
        rows = list(corrections)
        needs = [(text, codes) for name, text, codes in rows if needs_field and name == needs_field]
        others = [
            (text, codes) for name, text, codes in rows if not needs_field or name != needs_field
        ]
        learned = self.learn(others)
        if self.needs is None:
            return learned
        return replace(learned, needs=self.needs.learn(needs))

    def _with_model(
        self, scorer: Scorer, folded: str, verdict: Verdict, mood: tuple[bool, bool]
    ) -> Verdict:
        """The rules' categories where they found some and the model does not rule them out;
        the model's elsewhere (never `satisfied` for a comment that complains). How sure is
        how clearly the likeliest category stands above the next (``CLEAR`` and more: sure),
        and no surer than the rules were (a typo, mixed feelings)."""
        chances, (codes, clarity) = scorer.verdict(folded, mood[1])
        sure = round(min(1.0, clarity / (2 * CLEAR)), 3)
        found = verdict.categories not in ((OTHER,), (SATISFIED,))  # both: "found nothing"
        if found and all(chances[code] >= RULES_KEPT for code in verdict.categories):
            if set(codes) == set(verdict.categories):
                return _verdict(verdict.categories, min(verdict.confidence, sure), verdict.reasons)
            reasons = (*verdict.reasons, "model_differs")
            return _verdict(verdict.categories, min(verdict.confidence, sure, DIFFER), reasons)
        if set(codes) == set(verdict.categories):
            floor = NOTHING_FOUND if "nothing_found" in verdict.reasons else 0.5
            return _verdict(codes, min(max(verdict.confidence, floor), sure), ("model",))
        return _verdict(codes, min(sure, DIFFER), ("model", *verdict.reasons, "rules_differ"))

    def _rules(self, found: Mapping[str, str], count: int, mood: tuple[bool, bool]) -> Verdict:
        reasons = ["typo"] if "fuzzy" in found.values() else []
        pleased, complains = mood
        if not found and pleased and not complains:
            return Verdict((SATISFIED,), 1.0)
        if found:
            codes = tuple(code for code in self.labels if code in found)
            alone = self.compiled.alone if self.compiled is not None else frozenset()
            codes = tuple(code for code in codes if code not in alone) or codes
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


def needs_rules_path() -> Path:
    """The extra needs' categories (question 9ა): rules alone, no model yet (no labelled
    development set of extra needs exists to train one on)."""
    return Path(str(resources.files("locales").joinpath("categories_needs.ka.yaml")))


def load_categoriser(
    path: Path | None = None, model: bool = True, needs: bool = True
) -> Categoriser:
    """The rules of ``path`` (the shipped ones by default) with the shipped linear model,
    unless ``model`` is False (the rules alone: how the model is trained). The shipped
    suggestions' categoriser carries the extra needs' one too (``needs``)."""
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
    learned_model = _shipped_model(tuple(labels)) if model else None
    of_needs = None
    if path is None and needs:
        of_needs = load_categoriser(needs_rules_path(), model=model, needs=False)
    return Categoriser(labels, rules, sentiment, russian, model=learned_model, needs=of_needs)


@lru_cache(maxsize=4)
def _shipped_model(codes: tuple[str, ...]) -> LinearModel | None:
    """The shipped model, when it knows exactly these categories (else the rules alone)."""
    found = load_model()
    return found if found is not None and found.codes == codes else None
