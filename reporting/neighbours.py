"""Nearest labelled comments by shared letter sequences: how analysts' corrections are reused.

A comment is the set of 3- and 4-letter pieces of its folded words (``#`` marks a word's
edges), so different endings, typos and Latin typing of the same words still overlap. The
index is inverted (piece -> examples), so a comment is compared only with examples that share
a piece with it (numpy counts the shared pieces).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SIZES = (3, 4)


def pieces(folded: str) -> frozenset[str]:
    found: set[str] = set()
    for word in folded.split():
        padded = f"#{word}#"
        for size in SIZES:
            found.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return frozenset(found)


@dataclass(frozen=True)
class Neighbour:
    similarity: float
    categories: tuple[str, ...]


@dataclass
class Neighbours:
    """Labelled examples; the last label given for the same text wins."""

    examples: list[tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=list)
    index: dict[str, Any] = field(default_factory=dict)  # piece -> numpy array of examples
    sizes: Any = None  # numpy array: pieces per example

    @classmethod
    def build(cls, labelled: Iterable[tuple[str, Sequence[str]]]) -> Neighbours:
        import numpy as np  # only when there is something to learn from

        latest = {text: tuple(categories) for text, categories in labelled if text}
        built = cls()
        postings: dict[str, list[int]] = defaultdict(list)
        for text, categories in latest.items():
            grams = pieces(text)
            if grams:
                for gram in grams:
                    postings[gram].append(len(built.examples))
                built.examples.append((grams, categories))
        built.index = {gram: np.array(found, dtype=np.int32) for gram, found in postings.items()}
        built.sizes = np.array([len(grams) for grams, _ in built.examples], dtype=np.float64)
        return built

    def __len__(self) -> int:
        return len(self.examples)

    def nearest(self, folded: str, k: int = 5) -> list[Neighbour]:
        """Up to ``k`` examples by cosine similarity of their pieces, most similar first."""
        import numpy as np

        grams = pieces(folded)
        found = [self.index[g] for g in grams if g in self.index]
        if not found:
            return []
        shared = np.bincount(np.concatenate(found), minlength=len(self.examples))
        similarity = shared / np.sqrt(self.sizes * len(grams))
        if len(similarity) > k:
            top = np.argpartition(-similarity, k)[:k]
            best = top[np.argsort(-similarity[top], kind="stable")]
        else:
            best = np.argsort(-similarity, kind="stable")
        return [Neighbour(float(similarity[i]), self.examples[i][1]) for i in best if shared[i]]
