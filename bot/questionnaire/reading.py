"""A cleaned text read for its numbers: number words and look-alike letters become digits.

``ხუთას ოთხმოცდაცხრამეტი, თორმეტი`` reads ``599 12``, ``59l OO9`` reads ``591 009``, so the
masker finds a number however it was written. The reading keeps where each of its pieces came
from, so what is found in the reading is replaced in the text itself. Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.questionnaire.number_words import Composer, value

_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
_MIXED = re.compile(r"\b[^\W_]*\d[^\W_]*")
"""A word with a digit in it: ``59l``, ``OO9``, ``599``."""
_BETWEEN_WORDS = re.compile(r"[\s,.;:\-–—]*")
"""What may stand between the words of one dictated number (``ხუთი... ცხრა``, ``ხუთი-ცხრა``)."""
_LETTERS, _DIGITS = "OoОоΟοDQlIіІӏЗзбБSsBZ", "000000001111133665582"
LOOK_ALIKE = str.maketrans(_LETTERS, _DIGITS)
"""Letters written for digits, in a word that has a digit: O for 0, l and I for 1, З for 3,
б for 6, S for 5, B for 8, Z for 2 (Latin, Cyrillic, Greek)."""
_LOOK_ALIKE_LETTERS = frozenset(_LETTERS)
_NEXT_TO_DIGIT = re.compile(f"[0-9][{_LETTERS}]|[{_LETTERS}][0-9]")


@dataclass(frozen=True)
class Reading:
    text: str
    """The text with its numbers in digits."""
    _pieces: tuple[tuple[int, int, int, int], ...] = ()
    """(start, end) in the reading and (start, end) in the source of each replaced piece."""

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The source span that the reading's ``[start, end)`` was read from."""
        return self._at(start, False), self._at(end - 1, True)

    def _at(self, offset: int, end: bool) -> int:
        index = bisect_right(self._pieces, (offset, 1 << 62)) - 1
        if index < 0:
            return offset + end
        _r_start, r_end, s_start, s_end = self._pieces[index]
        if offset < r_end:
            return s_end if end else s_start
        return s_end + offset - r_end + end


def read(text: str) -> Reading:
    """``text`` with number words and look-alike digits read as digits."""
    replaced: list[tuple[int, int, str]] = []  # source start, end, reading
    if _NEXT_TO_DIGIT.search(text):
        for mixed in _MIXED.finditer(text):
            if _looks_like(mixed.group(0)):
                replaced.append((*mixed.span(), mixed.group(0).translate(LOOK_ALIKE)))
    words = _LETTERS_ONLY.findall(text)
    if any(value(word) is not None for word in words):
        _number_words(text, replaced)
    if not replaced:
        return Reading(text)
    replaced.sort()
    out, pieces, last, offset = [], [], 0, 0
    for start, end, digits in replaced:
        out.append(text[last:start])
        offset += start - last
        pieces.append((offset, offset + len(digits), start, end))
        out.append(digits)
        offset += len(digits)
        last = end
    out.append(text[last:])
    return Reading("".join(out), tuple(pieces))


def _looks_like(word: str) -> bool:
    """A word of digits and letters written for digits, with at least one real digit."""
    return any(c.isdigit() for c in word) and all(
        c.isdigit() or c in _LOOK_ALIKE_LETTERS for c in word
    )


def _number_words(text: str, replaced: list[tuple[int, int, str]]) -> None:
    """Each run of number words, read as one piece: ``ხუთას ოთხმოცდაცხრამეტი, თორმეტი`` is
    ``599 12``."""
    composer: Composer | None = None
    first = last = 0
    for word in _LETTERS_ONLY.finditer(text):
        found = value(word.group(0))
        joins = composer is not None and _BETWEEN_WORDS.fullmatch(text, last, word.start())
        if composer is not None and (found is None or not joins):
            replaced.append((first, last, " ".join(str(n) for n in composer.numbers)))
            composer = None
        if found is not None:
            if composer is None:
                composer, first = Composer(), word.start()
            composer.add(*found)
            last = word.end()
    if composer is not None:
        replaced.append((first, last, " ".join(str(n) for n in composer.numbers)))
