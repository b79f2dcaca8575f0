"""Scoring the categoriser's linear model fast, for a report's hundred thousand comments.

``Chances`` gives exactly ``model.probabilities(model.vector(grams(folded)))``, but works each
word out once; ``Scorer`` remembers verdicts by folded text, since a report sees the same
short comments many times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, pairwise
from typing import Any

import numpy as np

from reporting.categories_model import SIZES, LinearModel, pick, set_shares

BATCH = 4096  # comments scored together (a gather of about 8 MB)
MODEL_REMEMBERED = 100_000  # the model's verdicts by folded text
WORDS_REMEMBERED = 30_000  # words whose pieces are kept (a few MB)


class Chances:
    """``model.probabilities(model.vector(grams(folded)))``, fast: a report sorts up to a
    hundred thousand distinct comments, made of far fewer distinct words. Each word's known
    pieces are worked out once and remembered (tuples of ints: nothing for the garbage
    collector), a comment is the union of its words' pieces and its known word pairs, and its
    scores one gather and sum over the idf-scaled weights."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.scaled = model.idf[:, None] * model.weights
        self.squares = model.idf**2
        self.nothing = 1.0 / (1.0 + np.exp(-model.bias))
        self.names = model.features.keys()  # a set-like view: pieces & names is one C loop
        self.word = lru_cache(maxsize=WORDS_REMEMBERED)(self._word)
        self.known = lru_cache(maxsize=WORDS_REMEMBERED)(self._known)

    def of(self, folded: str) -> Any:
        index = self.rows(folded)
        if not index:
            return self.nothing
        rows = np.fromiter(index, np.intp, len(index))
        norm = math.sqrt(self.squares.take(rows).sum())
        scores = self.scaled.take(rows, 0).sum(0) / norm + self.model.bias
        return 1.0 / (1.0 + np.exp(-scores))

    def of_many(self, folded: Sequence[str]) -> Any:
        """``of`` for many comments at once (texts x codes): one gather and one sum per batch
        of comments instead of several numpy calls per comment."""
        result = np.empty((len(folded), len(self.model.codes)))
        for start in range(0, len(folded), BATCH):
            chunk = [self.rows(text) for text in folded[start : start + BATCH]]
            sizes = np.fromiter(map(len, chunk), np.intp, len(chunk))
            rows = np.fromiter(chain.from_iterable(chunk), np.intp, int(sizes.sum()))
            filled = sizes > 0
            starts = (np.cumsum(sizes) - sizes)[filled]
            scores = np.zeros((len(chunk), len(self.model.codes)))
            if len(rows):
                norms = np.sqrt(np.add.reduceat(self.squares.take(rows), starts))
                summed = np.add.reduceat(self.scaled.take(rows, 0), starts, axis=0)
                scores[filled] = summed / norms[:, None]
            scores += self.model.bias
            result[start : start + len(chunk)] = 1.0 / (1.0 + np.exp(-scores))
        return result

    def rows(self, folded: str) -> set[int]:
        """The features of the comment the model knows."""
        words = folded.split()
        features = self.model.features
        index: set[int] = set().union(*map(self.word, words))
        for a, b in pairwise(words):
            pair = features.get(f"p:{a} {b}")
            if pair is not None:
                index.add(pair)
        return index

    def familiarity(self, folded: str) -> float:
        """How much of the comment the model has seen: per word, the share of its letter
        sequences that are features, averaged over the words (near 0 for Armenian, which
        it never learned; 1 for ordinary Georgian, Latin-typed or not)."""
        words = folded.split()
        return sum(map(self.known, words)) / len(words) if words else 1.0

    def _known(self, word: str) -> float:
        pieces = sum(max(0, len(word) + 3 - size) for size in SIZES)
        return min(1.0, len(self.word(word)) / pieces)

    def _word(self, word: str) -> tuple[int, ...]:
        features, padded = self.model.features, f" {word} "
        pieces = {padded[i : i + size] for size in SIZES for i in range(len(padded) - size + 1)}
        found = set(map(features.__getitem__, pieces & self.names))
        whole = features.get(f"w:{word}")
        if whole is not None:
            found.add(whole)
        return tuple(found)


class Scorer:
    """The linear model's verdict per folded text, remembered: a report sees the same short
    comments many times. ``prepare`` works out many at once (one matrix product per batch)."""

    def __init__(self, model: LinearModel, other: str, satisfied: str) -> None:
        self.model = model
        self.other, self.satisfied = other, satisfied
        self.chances = Chances(model)
        self.likeliest: dict[str, tuple[int, float]] = {}  # text -> (set, its share)

    def prepare(self, folded: Sequence[str]) -> None:
        """Work out the likeliest set of many comments at once (verdicts then look it up)."""
        new = list(dict.fromkeys(f for f in folded if f not in self.likeliest))
        if len(new) > MODEL_REMEMBERED:
            new = new[:MODEL_REMEMBERED]
        if len(self.likeliest) + len(new) > MODEL_REMEMBERED:
            self.likeliest.clear()
        for start in range(0, len(new), BATCH):
            texts = new[start : start + BATCH]
            shares = set_shares(self.model, self.chances.of_many(texts))
            best = shares.argmax(1)
            top = shares[np.arange(len(texts)), best]
            pairs = zip(best.tolist(), top.tolist(), strict=True)
            self.likeliest.update(zip(texts, pairs, strict=True))

    def verdict(self, folded: str, complains: int) -> tuple[tuple[str, ...], float]:
        """(the model's categories, how sure)."""
        found = self.likeliest.get(folded)
        if found is None:
            shares = set_shares(self.model, self.chances.of(folded))
            best = int(shares.argmax())
            found = (best, float(shares[best]))
            if len(self.likeliest) >= MODEL_REMEMBERED:
                self.likeliest.clear()
            self.likeliest[folded] = found
        return pick(self.model, *found, complains, self.other, self.satisfied)
