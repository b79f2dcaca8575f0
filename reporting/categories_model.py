"""A linear model over a comment's letter sequences: what sorts wordings the rules never saw.

The stem rules know the words their author wrote; people write others ("ის ფული ვერ
ყოფნის", "სოფლის დაფაზე გააკრათ"). The model scores every category from the comment's
pieces: 2- to 5-letter sequences of its folded words (so endings, typos and Latin typing
still overlap), its words and its word pairs. (What the rules said, given to it as features,
made it worse on writers it had not seen: it learned to trust rules tuned on the project's
own comments.)

It is one logistic regression per category, trained by ``tools/train_categories.py``
(scikit-learn, at build time only) on the development comments and written to
``reporting/data/categories_model.json``; here it is scored with numpy: a comment's features
are a few hundred indices, its scores one small sum per category. Analysts' corrections
update the weights (``LinearModel.taught``): a few passes of the same logistic loss over
the corrected comments, with new pieces added, so that what a correction *means* carries
over to comments that share its words but are not copies of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "categories_model.json"
SIZES = (2, 3, 4, 5)
NEAR = 0.75  # with nothing past the threshold, the likeliest counts from this share of it
BATCH = 4096  # comments scored together (a gather of about 8 MB)
MODEL_REMEMBERED = 100_000  # the model's verdicts by folded text
WORDS_REMEMBERED = 30_000  # words whose pieces are kept (a few MB)
TAUGHT_PASSES = 30  # passes over the corrections when the model is taught
TAUGHT_RATE = 1.0  # step of each pass (the features are unit length)
TAUGHT_MARGIN = 1.5  # a correction is learned once its score is this far past the threshold


def grams(folded: str) -> list[str]:
    """The comment's distinct pieces: letter sequences inside its words (`` `` marks a
    word's edges), its words (``w:``) and its pairs of words (``p:``)."""
    words = folded.split()
    found: set[str] = set()
    for word in words:
        padded = f" {word} "
        for size in SIZES:
            found.update(padded[i : i + size] for i in range(len(padded) - size + 1))
        found.add(f"w:{word}")
    found.update(f"p:{a} {b}" for a, b in pairwise(words))
    return sorted(found)


@dataclass(frozen=True)
class Vector:
    """A comment's features: the pieces the model knows (their idf) and the pieces it does
    not (a taught model gives them a weight)."""

    pieces: Any  # numpy int array: indices of known pieces
    idf: Any  # numpy float array: their idf
    unknown: tuple[str, ...] = ()

    def arrays(self) -> tuple[Any, Any]:
        """(indices, values): the pieces' idf scaled to unit length."""
        norm = float(np.sqrt((self.idf**2).sum()))
        return self.pieces, (self.idf / norm if norm else self.idf)


@dataclass(frozen=True)
class LinearModel:
    codes: tuple[str, ...]
    features: dict[str, int]
    idf: Any  # numpy float array, one per feature (signals: 1)
    weights: Any  # numpy float array, features x codes
    bias: Any  # numpy float array, one per code
    threshold: float  # a category is given at this probability or above

    def vector(self, pieces: Sequence[str]) -> Vector:
        features = self.features
        known = np.array([features[p] for p in pieces if p in features], dtype=np.int64)
        unknown = tuple(p for p in pieces if p not in features)
        return Vector(known, self.idf[known], unknown)

    def probabilities(self, vector: Vector) -> Any:
        """Per code, the probability that the comment belongs to it."""
        index, value = vector.arrays()
        scores = value @ self.weights[index] + self.bias
        return 1.0 / (1.0 + np.exp(-scores))

    def taught(self, examples: Sequence[tuple[Vector, Sequence[str]]]) -> LinearModel:
        """A copy whose weights also follow these corrected comments: pieces never seen get a
        weight (at the highest idf), then passes of gradient steps on the logistic loss until
        each correction is past the threshold by a margin, every category of it."""
        if not examples:
            return self
        features, idf = dict(self.features), list(self.idf)
        top = max(idf, default=1.0)
        rows = []
        for vector, codes in examples:
            added = []
            for piece in vector.unknown:
                if piece not in features:
                    features[piece] = len(idf)
                    idf.append(top)
                added.append(features[piece])
            grown = Vector(
                np.concatenate([vector.pieces, np.array(added, dtype=np.int64)]),
                np.concatenate([vector.idf, np.full(len(added), top)]),
            )
            wanted = np.array([code in codes for code in self.codes], dtype=np.float64)
            rows.append((*grown.arrays(), wanted))
        weights = np.zeros((len(idf), len(self.codes)))
        weights[: len(self.weights)] = self.weights
        bias = self.bias.copy()
        low = float(np.log(self.threshold / (1 - self.threshold)))
        for _ in range(TAUGHT_PASSES):
            moved = False
            for index, values, wanted in rows:
                scores = values @ weights[index] + bias
                sign = np.where(wanted > 0, 1.0, -1.0)
                short = sign * (scores - low) < TAUGHT_MARGIN
                if short.any():
                    moved = True
                    step = TAUGHT_RATE * (wanted - 1.0 / (1.0 + np.exp(-scores))) * short
                    weights[index] += np.outer(values, step)
            if not moved:
                break
        return LinearModel(self.codes, features, np.array(idf), weights, bias, self.threshold)


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
        self.word = lru_cache(maxsize=WORDS_REMEMBERED)(self._word)

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

    def _word(self, word: str) -> tuple[int, ...]:
        features, padded = self.model.features, f" {word} "
        found = {
            features[piece]
            for size in SIZES
            for i in range(len(padded) - size + 1)
            if (piece := padded[i : i + size]) in features
        }
        whole = features.get(f"w:{word}")
        if whole is not None:
            found.add(whole)
        return tuple(found)


class Scorer:
    """The linear model's chances and verdict per folded text, remembered: a report sees the
    same short comments many times."""

    def __init__(self, model: LinearModel, other: str, satisfied: str) -> None:
        self.model = model
        self.other, self.satisfied = other, satisfied
        self.chances = Chances(model)
        self.chances_of: dict[str, Any] = {}  # prepared in batches
        self.remembered: dict[tuple[str, bool], tuple[Any, tuple[tuple[str, ...], float]]] = {}

    def prepare(self, folded: Sequence[str]) -> None:
        """Work out the chances of many comments at once (the verdicts then only look up)."""
        new = list(dict.fromkeys(f for f in folded if f not in self.chances_of))
        if len(new) > MODEL_REMEMBERED:
            new = new[:MODEL_REMEMBERED]
        if len(self.chances_of) + len(new) > MODEL_REMEMBERED:
            self.chances_of.clear()
        for text, values in zip(new, self.chances.of_many(new), strict=True):
            self.chances_of[text] = values

    def verdict(self, folded: str, complains: bool) -> tuple[Any, tuple[tuple[str, ...], float]]:
        """(chance per category code, (the model's categories, how sure))."""
        key = (folded, complains)
        found = self.remembered.get(key)
        if found is None:
            model = self.model
            values = self.chances_of.get(folded)
            if values is None:
                values = self.chances.of(folded)
            chances = dict(zip(self.model.codes, values.tolist(), strict=True))
            found = (chances, decide(model, values, complains, self.other, self.satisfied))
            if len(self.remembered) >= MODEL_REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = found
        return found


def decide(
    model: LinearModel, chances: Any, complains: bool, other: str, satisfied: str
) -> tuple[tuple[str, ...], float]:
    """(categories, clarity): every category at the threshold or above, else the likeliest
    if it comes near, else `other`; never `satisfied` for a comment that complains, `other`
    and `satisfied` only alone. Clarity is how far the likeliest category's chance stands
    above the next one's."""
    ranked = sorted(zip(chances.tolist(), model.codes, strict=True), reverse=True)
    if complains:
        ranked = [(p, code) for p, code in ranked if code != satisfied]
    chosen = [code for p, code in ranked if p >= model.threshold]
    if not chosen:  # nothing is likely enough: the likeliest if it is near, else `other`
        chosen = [ranked[0][1] if ranked[0][0] >= model.threshold * NEAR else other]
    for alone in (other, satisfied):  # each means "nothing else": never beside another
        if len(chosen) > 1 and alone in chosen:
            chosen.remove(alone)
    keep = set(chosen)
    clarity = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else ranked[0][0]
    return tuple(code for code in model.codes if code in keep), clarity


def save_model(path: Path, model: LinearModel) -> None:
    names = sorted(model.features, key=model.features.__getitem__)
    data = {
        "codes": list(model.codes),
        "threshold": model.threshold,
        "bias": [round(float(b), 5) for b in model.bias],
        "features": names,
        "idf": [round(float(v), 4) for v in model.idf],
        "weights": [[round(float(w), 4) for w in row] for row in model.weights],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text.replace("],[", "],\n["), encoding="utf-8")


def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The shipped model, or None where there is none (the rules then work alone)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    return LinearModel(
        codes=tuple(data["codes"]),
        features={name: i for i, name in enumerate(data["features"])},
        idf=np.array(data["idf"], dtype=np.float64),
        weights=np.array(data["weights"], dtype=np.float64),
        bias=np.array(data["bias"], dtype=np.float64),
        threshold=float(data["threshold"]),
    )
