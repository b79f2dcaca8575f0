"""Numbers written as words, the way a phone number is dictated: ``ხუთას ოთხმოცდაცხრამეტი``,
``xuti cxra cxra``, ``five nine nine``, ``пять девять девять``.

Georgian in its own script and in Latin letters (``otxi``, ``otkhi`` and ``ot'xi`` are one
word: Latin spellings are folded to one form first), English and Russian. ``value`` reads one
word; ``Composer`` puts the words of one number together (``ხუთას`` + ``ოთხმოცდაცხრამეტი`` =
599, ``пятьдесят семь`` = 57) and keeps a dictated group apart from the next (``თორმეტი
ოცდათოთხმეტი`` = 12, 34). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache


class Role(Enum):
    PLAIN = "plain"
    TENS = "tens"
    """``twenty``, ``пятьдесят``: a following unit adds to it (Georgian says ``ოცდაერთი``)."""
    MULTIPLIER = "multiplier"
    """``hundred``, ``ათასი``: multiplies the number before it."""


_SOUNDS = "a b g d e v z t i k l m n o p zh r s t u p k gh k sh ch c dz c ch x j h"
_GEORGIAN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ", _SOUNDS.split(), strict=True))
_LATIN = (("'", ""), ("’", ""), ("`", ""), ("kh", "x"), ("ts", "c"), ("tz", "c"), ("q", "k"))
_WORDS_UNITS = "nul ert or sam otx xut ekvs shvid rva cxra"
_WORDS_TEENS = "at tertmet tormet camet totxmet txutmet tekvsmet chvidmet tvramet cxramet"
_UNITS, _TEENS = _WORDS_UNITS.split(), _WORDS_TEENS.split()
_SCORES = {"": 0, "oc": 20, "ormoc": 40, "samoc": 60, "otxmoc": 80}
_HUNDREDS = {"": 0, "as": 100} | {u + "as": 100 * n for n, u in enumerate(_UNITS) if n > 1}
_HUNDREDS |= {"rvaas": 800, "cxraas": 900}
_BELOW_20 = (
    {"": 0} | {w: n for n, w in enumerate(_UNITS)} | {w: 10 + n for n, w in enumerate(_TEENS)}
)
_SUFFIXES = ("ze", "is", "it", "shi", "mde", "dan", "s")
"""Georgian case endings a dictated number may carry (``თოთხმეტზე``)."""


def _kartuli() -> dict[str, int]:
    """Every Georgian number of one word below 1000, folded, in its full form (``xutasi``,
    ``ocdaxuti``, ``rva``): [hundreds][score + ``da``][below twenty] + ``i``."""
    found = {}
    for hundreds, h in _HUNDREDS.items():
        for score, s in _SCORES.items():
            for unit, u in _BELOW_20.items():
                if (unit == "nul" and (h or s)) or not (hundreds or score or unit):
                    continue
                word = hundreds + (score + "da" if score and unit else score) + unit
                found[word if word.endswith("a") and unit else word + "i"] = h + s + u
    return found


_KARTULI = _kartuli()
_STEMS = {word[:-1]: n for word, n in _KARTULI.items() if word.endswith("i")}
"""Forms without the final ``ი`` (``ორ``, ``ხუთას``); in Latin letters only the hundreds
(``xutas``): ``or``, ``at``, ``as`` are other words there."""
_LATIN_STEMS = {w: n for w, n in _STEMS.items() if n % 100 == 0 and n > 100}
_ENGLISH = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_RUSSIAN = (
    "ноль один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
    "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать"
)
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS_RU = "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто"
_HUNDREDS_RU = "сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот"
_TENS_WORDS = frozenset(_TENS.split() + _TENS_RU.split())
_OTHER = (
    {w: n for n, w in enumerate(_ENGLISH.split())}
    | {w: n for n, w in enumerate(_RUSSIAN.split())}
    | {w: 20 + 10 * n for n, w in enumerate(_TENS.split())}
    | {w: 20 + 10 * n for n, w in enumerate(_TENS_RU.split())}
    | {w: 100 * (n + 1) for n, w in enumerate(_HUNDREDS_RU.split())}
    | {"oh": 0, "noli": 0, "nol": 0, "нуль": 0, "одна": 1, "одно": 1, "две": 2}
)
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "тысяча": 1000, "тысячи": 1000, "тысяч": 1000}
_MULTIPLIERS |= {"atasi": 1000}


def fold(word: str) -> str:
    """A word in one Latin spelling: Georgian script transliterated, Latin variants folded."""
    word = word.casefold()
    if _is_georgian(word):
        return "".join(_GEORGIAN.get(c, c) for c in word)
    for written, folded in _LATIN:
        word = word.replace(written, folded)
    return word


@lru_cache(maxsize=8192)
def value(word: str) -> tuple[int, Role] | None:
    """The number a word names and how it joins the word before it, else ``None``."""
    folded = fold(word)
    georgian = _is_georgian(word)
    if folded in _MULTIPLIERS or (georgian and folded == "atas"):
        return 1000 if folded.startswith("at") else _MULTIPLIERS[folded], Role.MULTIPLIER
    if folded in _OTHER:
        return _OTHER[folded], Role.TENS if folded in _TENS_WORDS else Role.PLAIN
    number = _georgian_number(folded, georgian)
    if number is None and georgian:
        for suffix in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) > len(suffix) + 1:
                number = _georgian_number(folded[: -len(suffix)], georgian)
                if number is not None:
                    break
    return None if number is None else (number, Role.PLAIN)


def _georgian_number(folded: str, georgian: bool) -> int | None:
    if folded in _KARTULI:
        return _KARTULI[folded]
    return (_STEMS if georgian else _LATIN_STEMS).get(folded)


def _is_georgian(word: str) -> bool:
    return any("\u10d0" <= c <= "\u10f0" for c in word)


@dataclass
class Composer:
    """Adds the words of one number up; a word that cannot extend it begins the next."""

    numbers: list[int] = field(default_factory=list)
    _tens_open: bool = False

    def add(self, number: int, role: Role) -> bool:
        """Adds ``number``; ``True`` if it extended the last number, ``False`` if it began one."""
        joined = self._join(number, role) if self.numbers else None
        if joined is None:
            self.numbers.append(number)
        else:
            self.numbers[-1] = joined
        self._tens_open = role is Role.TENS
        return joined is not None

    def _join(self, number: int, role: Role) -> int | None:
        last = self.numbers[-1]
        if role is Role.MULTIPLIER:
            return last * number if 0 < last < number else None
        if self._tens_open and 0 < number < 10:
            return last + number
        for place in (1000, 100):
            if last and last % place == 0 and 0 < number < place:
                return last + number
        return None
