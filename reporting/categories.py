"""Automatic categories for free-text suggestions: stem rules kept as data, plus what the
analysts taught it.

The rules (``locales/categories.ka.yaml``) read the comment after normalisation (Latin
letters, Russian words, typos: ``reporting.normalise``), handle negation and give several
categories when a comment asks several things. Analysts' corrections become labelled
examples: a comment much like a corrected one gets the corrected categories. Every verdict
says how sure it is, so that an analyst can check the unsure ones first. An analyst's
correction of a comment itself always wins wherever it is counted or shown.

The rules are read and compiled in ``reporting.category_rules``; the linear model that sorts
wordings the rules never saw is ``reporting.categories_model``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from reporting.categories_model import (
    MODEL_PATH,
    NEEDS_MODEL_PATH,
    LinearModel,
    grams,
    load_model,
)
from reporting.categories_scoring import Scorer
from reporting.category_rules import (
    NEEDS_LOOK,
    OTHER,
    Compiled,
    Rule,
    Sentiment,
    Verdict,
    read_rules,
    shared_verdict,
)
from reporting.neighbours import Neighbours

__all__ = ["NEEDS_LOOK", "OTHER", "SATISFIED", "Categoriser", "Verdict", "load_categoriser"]

SATISFIED = "satisfied"
SAME = 0.85  # a corrected comment this similar is the same comment, retyped
SIMILAR = 0.3  # corrected comments at least this similar vote
CLOSE = 0.5  # three corrected comments this similar that agree overrule the rules
FAMILIAR = 0.5  # a comment whose words the model knows less of than this is not its language
UNFAMILIAR = 0.3  # how sure `other` is for such a comment: an analyst reads it


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
    ) -> tuple[str, Verdict, tuple[bool, int]]:
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
            model = model.taught(
                [(model.vector(grams(t)), _alone_apart(codes)) for t, codes in latest.items()]
            )
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
        self, scorer: Scorer, folded: str, verdict: Verdict, mood: tuple[bool, int]
    ) -> Verdict:
        """The model's set of categories: on comments by people the rules' author never read
        it agrees with people far more often than the rules, and giving the rules the last
        word (where they found something) made it worse. The rules still say whether the
        comment complains (never `satisfied` unless the model is very sure). How sure is the
        set's share of the chances, rescaled so that the model's ``look`` cut is
        ``NEEDS_LOOK``: the comments an analyst should check first."""
        codes, share = scorer.verdict(folded, mood[1])
        look = scorer.model.look
        if share < look:
            sure = NEEDS_LOOK * share / look
        else:
            sure = NEEDS_LOOK + (1 - NEEDS_LOOK) * (share - look) / (1 - look)
        found = verdict.categories not in ((OTHER,), (SATISFIED,))  # both: "found nothing"
        if scorer.chances.familiarity(folded) < FAMILIAR:  # a language it never learned
            kept = verdict.categories if found else (OTHER,)
            return shared_verdict(kept, UNFAMILIAR, ("unfamiliar",))  # a look, not a guess
        if share == 0.0:
            return shared_verdict(codes, 0.0, ("model", "mixed_feelings"))
        if found and len(verdict.categories) > len(codes):  # a second request it may miss
            sure = min(sure, UNFAMILIAR)
            return shared_verdict(codes, round(sure, 3), ("model", "rules_found_more"))
        reasons = ("model",) if set(codes) == set(verdict.categories) else ("model", "rules_differ")
        return shared_verdict(codes, round(sure, 3), reasons)

    def _rules(self, found: Mapping[str, str], count: int, mood: tuple[bool, int]) -> Verdict:
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

    def _learned(self, folded: str, verdict: Verdict, mood: tuple[bool, int]) -> Verdict:
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
            return shared_verdict(taught, 0.9, ("learned",))
        if verdict.categories == (OTHER,):
            return shared_verdict(taught, 0.8 if len(near) >= 3 else 0.45, ("learned",))
        return shared_verdict(
            verdict.categories, min(verdict.confidence, 0.45), ("corrections_differ",)
        )


def _alone_apart(codes: Sequence[str]) -> tuple[str, ...]:
    """`other` and `satisfied` mean "nothing else": beside another category they are
    dropped, so that a correction never teaches the model to give them in a pair."""
    rest = tuple(code for code in codes if code not in (OTHER, SATISFIED))
    return rest or tuple(codes)


def default_rules_path() -> Path:
    return Path(str(resources.files("locales").joinpath("categories.ka.yaml")))


def needs_rules_path() -> Path:
    """The extra needs' categories (question 9ა), with their own model."""
    return Path(str(resources.files("locales").joinpath("categories_needs.ka.yaml")))


def load_categoriser(
    path: Path | None = None, model: bool = True, needs: bool = True
) -> Categoriser:
    """The rules of ``path`` (the shipped ones by default) with the shipped linear model,
    unless ``model`` is False (the rules alone: how the model is trained). The shipped
    suggestions' categoriser carries the extra needs' one too (``needs``)."""
    source = path or default_rules_path()
    found = read_rules(source)
    labels, rules, sentiment, russian = found.labels, found.rules, found.sentiment, found.russian
    learned_model = _shipped_model(tuple(labels)) if model else None
    of_needs = None
    if path is None and needs:
        of_needs = load_categoriser(needs_rules_path(), model=model, needs=False)
    return Categoriser(labels, rules, sentiment, russian, model=learned_model, needs=of_needs)


@lru_cache(maxsize=4)
def _shipped_model(codes: tuple[str, ...]) -> LinearModel | None:
    """The shipped model that knows exactly these categories: the suggestions' or the extra
    needs' (a municipality's own categories have none: the rules work alone)."""
    for path in (MODEL_PATH, NEEDS_MODEL_PATH):
        found = _model_at(path)
        if found is not None and found.codes == codes:
            return found
    return None


_model_at = lru_cache(maxsize=2)(load_model)  # each file read once, whichever asks first
