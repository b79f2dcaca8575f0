"""A linear model over a comment's letter sequences: what sorts wordings the rules never saw.

The stem rules know the words their author wrote; people write others ("ის ფული ვერ
ყოფნის", "სოფლის დაფაზე გააკრათ"). The model scores every category from the comment's
pieces: 2- to 5-letter sequences of its folded words (so endings, typos and Latin typing
still overlap), its words and its word pairs.

It is one logistic regression per category, trained by ``tools/train_categories.py``
(scikit-learn, at build time only) on thousands of comments by independent writers and
written to ``reporting/data/``; here it is scored with numpy. A comment is given the
likeliest of the *sets* of categories people were seen to give (``sets``): each set's
chance is the product of its categories' chances and the others' absence. Choosing among
sets that occur, rather than every category past a threshold, is what agrees best with
how people label a comment as a whole (one category mostly, two that go together); the
chosen set's share of the chances is how sure the verdict is, and below ``look`` an
analyst should look (the cut that marks about a quarter of unseen writers' comments, set
at training).

Analysts' corrections update the weights (``LinearModel.taught``): a few passes of the
same logistic loss over the corrected comments, with new pieces added, so that what a
correction *means* carries over to comments that share its words but are not copies of
it; a set of categories first seen in a correction becomes one the model can give.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA / "categories_model.json.gz"
NEEDS_MODEL_PATH = DATA / "categories_needs_model.json.gz"
SIZES = (2, 3, 4, 5)
TAUGHT_PASSES = 30  # passes over the corrections when the model is taught
TAUGHT_RATE = 1.0  # step of each pass (the features are unit length)
TAUGHT_MARGIN = 1.5  # a correction is learned once its score is this far past the threshold
SATISFIED_AT = 0.7  # `satisfied` is given only this sure ...
SATISFIED_COMPLAINING = 0.9  # ... and surer still where the rules hear a complaint
EDGE = 1e-6  # chances are kept this far from 0 and 1 (their logarithms stay finite)


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
    idf: Any  # numpy float array, one per feature
    weights: Any  # numpy float array, features x codes
    bias: Any  # numpy float array, one per code
    threshold: float  # a correction is taught until each of its categories is past this
    sets: tuple[tuple[str, ...], ...] = field(default=())  # the sets of categories it gives
    look: float = 0.5  # a verdict less sure than this needs an analyst's look

    @cached_property
    def members(self) -> Any:
        """sets x codes: 1 where the set holds the code (every single code is a set too)."""
        sets = self.known_sets
        return np.array([[code in chosen for code in self.codes] for chosen in sets], float)

    @cached_property
    def known_sets(self) -> tuple[tuple[str, ...], ...]:
        singles = tuple((code,) for code in self.codes if (code,) not in self.sets)
        return (*self.sets, *singles)

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
        rows, sets = [], list(self.sets)
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
            chosen = tuple(code for code in self.codes if code in codes)
            if chosen and chosen not in sets:
                sets.append(chosen)
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
        return LinearModel(
            self.codes, features, np.array(idf), weights, bias, self.threshold,
            tuple(sets), self.look,
        )  # fmt: skip


def decide(
    model: LinearModel, chances: Any, complains: int, other: str, satisfied: str
) -> tuple[tuple[str, ...], float]:
    """(categories, how sure): the likeliest set of categories the model knows, and its
    share of the chances of all of them. `satisfied` only when the model is very sure of it,
    surer where the rules hear a negator, never where they hear a clear complaint
    (``complains`` 2: a complaint word, "but", contentment negated): a complaint called
    satisfied hides what people asked for, so it is the mistake to avoid most. Where the
    likeliest set is `satisfied` but not sure enough, the comment is `other`, sure 0 (thanks
    and a complaint at once: a person should read it); a less likely `satisfied` is passed
    over, the others keep their shares of the whole."""
    shares = set_shares(model, chances)
    best = int(shares.argmax())
    return pick(model, best, float(shares[best]), complains, other, satisfied)


def set_shares(model: LinearModel, chances: Any) -> Any:
    """Each known set's share of the chances (the last axis: one comment or many): the
    product of its categories' chances and the others' absence, over all sets."""
    clipped = np.clip(chances, EDGE, 1 - EDGE)
    present, absent = np.log(clipped), np.log1p(-clipped)
    scores = (present - absent) @ model.members.T + absent.sum(-1, keepdims=True)
    shares = np.exp(scores - scores.max(-1, keepdims=True))
    return shares / shares.sum(-1, keepdims=True)


def pick(
    model: LinearModel, best: int, share: float, complains: int, other: str, satisfied: str
) -> tuple[tuple[str, ...], float]:
    """``decide`` from the likeliest set and its share (a `satisfied` that is not the
    likeliest changes nothing: passing it over leaves the likeliest where it was)."""
    chosen = model.known_sets[best]
    floor = (SATISFIED_AT, SATISFIED_COMPLAINING, 2.0)[min(int(complains), 2)]
    if satisfied in chosen and share < floor:
        return (other,), 0.0  # pleased and complaining at once: a person should read it
    return chosen, share


def save_model(path: Path, model: LinearModel) -> None:
    names = sorted(model.features, key=model.features.__getitem__)
    data = {
        "codes": list(model.codes),
        "threshold": model.threshold,
        "look": round(model.look, 4),
        "sets": [list(chosen) for chosen in model.sets],
        "bias": [round(float(b), 5) for b in model.bias],
        "features": names,
        "idf": [round(float(v), 4) for v in model.idf],
        "weights": [[round(float(w), 4) for w in row] for row in model.weights],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("],[", "],\n[")
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def load_model(path: Path = MODEL_PATH) -> LinearModel | None:
    """The shipped model, or None where there is none (the rules then work alone)."""
    if not path.exists():
        return None
    data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return LinearModel(
        codes=tuple(data["codes"]),
        features={name: i for i, name in enumerate(data["features"])},
        idf=np.array(data["idf"], dtype=np.float64),
        weights=np.array(data["weights"], dtype=np.float64),
        bias=np.array(data["bias"], dtype=np.float64),
        threshold=float(data["threshold"]),
        sets=tuple(tuple(chosen) for chosen in data.get("sets", ())),
        look=min(0.99, max(0.01, float(data.get("look", 0.5)))),
    )
