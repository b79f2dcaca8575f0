"""Stems of the categoriser's rules, and a comment's stems found quickly.

A stem is a substring of the folded text; a one-word stem of ``FUZZY_MIN`` letters or more
also matches a word with one typo. ``StemBits`` makes every stem one bit of an integer and
works each word out once (the stems inside it, the stems it is a typo of), so that a
comment costs a cached look-up per word and a few integer ANDs, not a regular expression
per rule and a typo check per word and stem.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from reporting.normalise import fold, normalise

FUZZY_MIN = 5  # stems this long also match a word with one typo
WORDS_REMEMBERED = 30_000  # words whose stems are kept (~10 MB)


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
