"""Text as citizens type it -> one comparable form: Georgian script, no case, single spaces.

Many people type Georgian on phones in Latin letters, in two habits that mix freely:
digraphs (``sh ch kh dz ts gh zh``) and the Georgian keyboard's capitals (``T S C Z W R J``
for თ შ ჩ ძ ჭ ღ ჟ). Plain Latin letters are ambiguous (``t`` is თ or ტ, ``k`` is კ or ქ,
``p`` is პ or ფ, ``z`` often stands for ძ), so matching is done on a *folded* form where
each such pair is one letter; the text shown to people is never changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from itertools import repeat

# Longest first: "tch" before "ch", "ts" before "t".
DIGRAPHS = (
    ("tch", "ჭ"),
    ("sh", "შ"),
    ("ch", "ჩ"),
    ("kh", "ხ"),
    ("gh", "ღ"),
    ("zh", "ჟ"),
    ("dz", "ძ"),
    ("ts", "ც"),
    ("th", "თ"),
    ("ph", "ფ"),
)
LETTERS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        "აბცდეფგჰიჯკლმნოპქრსთუვწხყზ",
        strict=True,
    )
)
# The Georgian keyboard puts these letters on Shift: people type them as capitals.
KEYBOARD_CAPITALS = {"T": "თ", "S": "შ", "C": "ჩ", "Z": "ძ", "W": "ჭ", "R": "ღ", "J": "ჟ"}
# Pairs people confuse when typing in either script: one letter for matching.
FOLD = str.maketrans("ტკყპწჭღძ", "თქქფცჩგზ")
_FOLD_PAIRS = tuple(zip("ტკყპწჭღძ", "თქქფცჩგზ", strict=True))  # no target is also a source

LATIN_WORD = re.compile(r"[A-Za-z]+")
NOT_WORD = re.compile(r"[^\w]+")
REPEATS = re.compile(r"(\w)\1{2,}")
CYRILLIC_WORD = re.compile(r"[а-яё]+")


def writes_keyboard_capitals(text: str) -> bool:
    """True when a keyboard capital appears inside a word (``gTxovT``) or starts a word that
    does not start a sentence (``Sesha Zalian Zviria``)."""
    for match in LATIN_WORD.finditer(text):
        word = match.group()
        if word.isupper() and len(word) > 1:
            continue
        if any(char in KEYBOARD_CAPITALS for char in word[1:]):
            return True
        if word[0] in KEYBOARD_CAPITALS:
            before = text[: match.start()].rstrip()
            if before and before[-1] not in ".!?\n":
                return True
    return False


def transliterate(text: str) -> str:
    """Latin-script Georgian -> Georgian script; Georgian and other letters are kept.

    Capitals count as keyboard letters only when the writer uses them inside words:
    otherwise a capital is just the start of a sentence (``Sabutebi`` is საბუთები).
    """
    if not LATIN_WORD.search(text):
        return text
    capitals = writes_keyboard_capitals(text)
    return LATIN_WORD.sub(lambda match: _word(match.group(), capitals), text)


@lru_cache(maxsize=65_536)
def _word(word: str, capitals: bool) -> str:
    """Cached: the same Latin words come back in comment after comment."""
    if word.isupper() and len(word) > 1:
        word = word.lower()  # ALL CAPS, not keyboard letters
    out: list[str] = []
    index = 0
    while index < len(word):
        char = word[index]
        if capitals and char in KEYBOARD_CAPITALS:
            out.append(KEYBOARD_CAPITALS[char])
            index += 1
            continue
        rest = word[index:].lower()
        for latin, georgian in DIGRAPHS:
            if rest.startswith(latin):
                out.append(georgian)
                index += len(latin)
                break
        else:
            out.append(LETTERS.get(char.lower(), char))
            index += 1
    return "".join(out)


def normalise(text: str, russian: Mapping[str, str] | None = None) -> str:
    """Georgian script, lower case (Mtavruli too), Russian terms in Georgian, no punctuation,
    letters held down (``ცოოოტაა``) once, single spaces."""
    text = unicodedata.normalize("NFC", text)
    return _normalise(text, _capitals(text), russian)


def _capitals(text: str) -> bool:
    return LATIN_WORD.search(text) is not None and writes_keyboard_capitals(text)


def _normalise(text: str, capitals: bool, russian: Mapping[str, str] | None) -> str:
    """``normalise`` of an NFC text whose writer's habit with capitals is known. No step
    reaches across whitespace, so a text's form is its tokens' forms joined by spaces."""
    if LATIN_WORD.search(text):
        text = LATIN_WORD.sub(lambda match: _word(match.group(), capitals), text)
    text = text.lower()
    if russian and CYRILLIC_WORD.search(text):
        text = CYRILLIC_WORD.sub(lambda match: _russian(match.group(), russian), text)
    text = REPEATS.sub(r"\1", text)
    return " ".join(NOT_WORD.sub(" ", text).split())


class Folder:
    """``fold(normalise(text, russian))`` for text after text, fast: each whitespace-separated
    token is normalised once and remembered, and a text is its tokens' forms joined."""

    def __init__(self, russian: Mapping[str, str] | None = None, remembered: int = 100_000):
        self.russian = dict(russian or {})
        self.token = lru_cache(maxsize=remembered)(self._token)

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        tokens = text.split()
        return " ".join(filter(None, map(self.token, tokens, repeat(_capitals(text)))))

    def _token(self, token: str, capitals: bool) -> str:
        return fold(_normalise(token, capitals, self.russian))


def _russian(word: str, russian: Mapping[str, str]) -> str:
    """The Georgian word for the longest key the Russian word starts with; ``не`` only whole."""
    for stem in _longest_first(tuple(russian)):
        if word.startswith(stem) and (len(stem) > 2 or word == stem):
            return russian[stem]
    return word


@lru_cache(maxsize=16)
def _longest_first(stems: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(stems, key=len, reverse=True))


def fold(text: str) -> str:
    """Merges letters that Latin typing cannot tell apart; for matching only.

    The same as ``text.translate(FOLD)``; eight ``str.replace`` calls are twice as fast."""
    for letter, same in _FOLD_PAIRS:
        text = text.replace(letter, same)
    return text
