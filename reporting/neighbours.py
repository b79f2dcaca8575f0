"""Nearest labelled comments by shared letter sequences: how analysts' corrections are reused.

A comment is the set of 3- and 4-letter pieces of its folded words (``#`` marks a word's
edges), so different endings, typos and Latin typing of the same words still overlap. The
index is inverted (piece -> examples), so a comment is compared only with examples that share
a piece with it (numpy counts the shared pieces). A word's pieces are worked out once and
remembered, and ``similar`` orders only the examples similar enough to count.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse, pairwise
from operator import itemgetter
from typing import Any, NamedTuple

SIZES = (3, 4)
WORDS_REMEMBERED = 30_000  # words whose pieces are kept (at most ~30 MB)
BARS_CELLS = 1_000_000  # bars kept for this many (word count, example) pairs (≤ 8 MB)
TABLE_CELLS = 8_000_000  # pieces x examples up to this (8-16 MB) are counted from a table


def pieces(folded: str) -> frozenset[str]:
    return frozenset().union(*map(_word_pieces, folded.split()))


@lru_cache(maxsize=4096)
def _word_pieces(word: str) -> tuple[str, ...]:
    """Distinct pieces, as a tuple (cached tuples of strings cost the garbage collector
    nothing; cached frozensets slow every collection down)."""
    padded = f"#{word}#"
    return tuple(frozenset(map(padded.__getitem__, _slices(len(padded)))))


@lru_cache(maxsize=256)
def _slices(length: int) -> tuple[slice, ...]:
    return tuple(slice(i, i + size) for size in SIZES for i in range(length - size + 1))


class Neighbour(NamedTuple):
    similarity: float
    categories: tuple[str, ...]


@dataclass
class Neighbours:
    """Labelled examples; the last label given for the same text wins."""

    examples: list[tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=list)
    index: dict[str, Any] = field(default_factory=dict)  # piece -> numpy array of examples
    sizes: Any = None  # numpy array: pieces per example
    _word: Any = field(default=None, repr=False, compare=False)  # word -> (its rows, other pieces)
    _postings: list[Any] = field(default_factory=list, repr=False, compare=False)
    _table: Any = field(default=None, repr=False, compare=False)  # rows x examples: 0/1
    _sizes: list[float] = field(default_factory=list, repr=False, compare=False)
    _bars: dict[tuple[int, float], Any] = field(default_factory=dict, repr=False, compare=False)

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

    def similar(self, folded: str, at_least: float, k: int = 5) -> list[Neighbour]:
        """``[n for n in self.nearest(folded, k) if n.similarity >= at_least]``, faster: the
        shared pieces are counted from a table when it is small, and only the examples that
        clear the bar are ordered. Where equal similarities with different categories leave
        the choice or the order to numpy's partition, ``nearest`` itself decides."""
        import numpy as np

        if self._word is None:
            self._prepare()
        words = list(map(self._word, folded.split()))
        rows = frozenset().union(*map(itemgetter(0), words))
        if not rows or at_least <= 0:
            return self._nearest_over(folded, at_least, k) if rows else []
        count = len(rows) + len(frozenset().union(*map(itemgetter(1), words)))
        if self._table is not None:
            table = self._table
            shared = table.take(np.fromiter(rows, np.intp, len(rows)), 0).sum(0, table.dtype)
        else:
            found = np.concatenate([self._postings[row] for row in rows])
            shared = np.bincount(found, minlength=len(self.examples))
        over = (shared >= self._bar(count, at_least)).nonzero()[0]
        sizes, ranked = self._sizes, []
        for i, common in zip(over.tolist(), shared[over].tolist(), strict=True):
            value = common / math.sqrt(sizes[i] * count)  # the same float as in `nearest`
            if value >= at_least:
                ranked.append((value, i))
        if not ranked:
            return []
        ranked.sort(reverse=True)
        last = ranked[min(k, len(ranked)) - 1][0]
        chosen = [(value, self.examples[i][1]) for value, i in ranked if value >= last]
        for (value, labels), (other, other_labels) in pairwise(chosen):
            if value == other and labels != other_labels:
                return self._nearest_over(folded, at_least, k)
        return [Neighbour(value, labels) for value, labels in chosen[:k]]

    def _bar(self, count: int, at_least: float) -> Any:
        """Per example, the shared pieces a little below what ``at_least`` needs (capped to
        what the table's integers hold): a first sieve, made exact after."""
        import numpy as np

        bar = self._bars.get((count, at_least))
        if bar is None:
            if len(self._bars) * len(self.examples) >= BARS_CELLS:
                self._bars.clear()
            need = np.ceil(at_least * np.sqrt(self.sizes * count) * (1 - 1e-9)) - 1
            kind = self._table.dtype if self._table is not None else np.int64
            bar = np.clip(need, 0, np.iinfo(kind).max).astype(kind)
            self._bars[count, at_least] = bar
        return bar

    def _prepare(self) -> None:
        import numpy as np

        row = {gram: place for place, gram in enumerate(self.index)}
        self._postings = list(self.index.values())
        self._sizes = self.sizes.tolist()
        known = frozenset(row)

        def split(word: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
            """The word's pieces: rows of the table, and the pieces no example has. Tuples of
            atoms: thousands of them in a cache cost the garbage collector nothing."""
            pieces = _word_pieces(word)
            inside = tuple(map(row.__getitem__, known.intersection(pieces)))
            return inside, tuple(filterfalse(known.__contains__, pieces))

        self._word = lru_cache(maxsize=WORDS_REMEMBERED)(split)
        if len(row) * len(self.examples) <= TABLE_CELLS:
            # the smallest integers that hold any count of shared pieces: less memory to add
            most = int(self.sizes.max(initial=0))
            kind = np.uint8 if most < 2**8 else np.uint16 if most < 2**16 else np.int64
            self._table = np.zeros((len(row), len(self.examples)), dtype=kind)
            for place, found in enumerate(self._postings):
                self._table[place, found] = 1

    def _nearest_over(self, folded: str, at_least: float, k: int) -> list[Neighbour]:
        return [n for n in self.nearest(folded, k) if n.similarity >= at_least]
