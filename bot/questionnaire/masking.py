"""Personal details a citizen types into a comment, replaced before the comment is stored.

The answers are anonymous only if their texts are: a phone number or a personal number in a
suggestion names its author. The text is cleaned first (``cleaning.clean``: NFKC, digits of
every script as ``0``-``9``, no invisible characters); this module then reads it as a person
would (``reading.read``: number words and look-alike letters as digits) and finds: Georgian
mobile numbers (``5XX XX XX XX``, with or without ``+995``/``995``/``00995``), landlines
(``0439 22 12 34``, ``(0439) 221234``, ``32 2 XX XX XX``; a short local number only right
after a word such as "ტელ."), any ``+`` international number, 11-digit personal numbers,
13–19-digit card and account numbers, Georgian IBANs and e-mail addresses, also spoken
(``nino at gmail dot com``, ``ძაღლუკა``, ``(at)``). Digits may be apart by wide gaps, dots,
dashes, slashes or lines, and a number may be split by a few words (``599, მერე 12 34 56``).

Ordinary numbers stay: amounts (``100 ლარი``, ``200-300 ლარი``, ``5 000 000``), hours, years,
dates, times, percentages, house and room numbers. Pure: text in, text and the number of
replacements out.
"""

from __future__ import annotations

import re

from bot.questionnaire.emails import find_emails
from bot.questionnaire.reading import read

_GAP = r"(?:\s++|[\-‐‑‒–—.()/\\|;_*~·•]|(?<=\d),(?=\d)){0,8}"
RUN = re.compile(rf"(?=[\d(+])(?<![\d+])(?:\(?\+[\s+]*\(?|\()?\d(?:{_GAP}\d)*\)?(?!\d)")
"""Digits with separators between them (wide gaps too), the way numbers are written."""
PROTECTED = re.compile(
    r"(?=\d)(?<!\d)(?<!\d[./-])(?:(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])[./](?:\d{4}|\d{2})"
    r"|\d{4}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)(?![\d.])"
)
"""Dates and times: never part of a number that is masked."""
THOUSANDS = re.compile(r"^\d{1,3}(?:[ .,\u00a0]\d{3})+$")
PHONE_WORD = re.compile(r"(?:ტელ|მობ|ნომ|tel|mob|phone|тел)[\w.]*\s*[:.\-]?\s*$", re.IGNORECASE)
"""A word just before a short number that makes it a phone number (``ტელ: 22 12 34``)."""
QUANTITY = re.compile(
    r"\s*-?\s*(?:ლარ|ლ\b|₾|თეთრ|%|წ\.|წელ|წლ|თვ|კვირ|დღ|საათ|წუთ|წამ|კმ|მ\b|მ2|მეტრ|კგ|კილო|"
    r"ტონ|ლიტრ|ცალ|კაც|ოჯახ|კომლ|ადამიან|მოსახლ|ბავშვ|ჰა|კვ|მ²|გრადუს|კუპონ|lari|gel|km|kg|"
    r"лари|лет|год|руб|\$|€|usd|eur)",
    re.IGNORECASE,
)
"""What follows an amount or a count (``599 ლარი``, ``2014 წელს``): such a number is no phone."""
IBAN = re.compile(
    r"G[\s\-.]*E[\s\-.]*\d[\s\-.]*\d(?:[\s\-.]*[A-Z\d]){2}(?:[\s\-.]*[\dO]){16}(?!\d)",
    re.IGNORECASE,
)
"""A Georgian IBAN, its letters and digits apart or not, O written for 0."""
_IBAN_START = re.compile(r"[Gg](?<!\w[Gg])[\s\-.]*[EeЕе]")
_LATIN_LOOK_ALIKE = str.maketrans("АВЕКМНОРСТХаеорсхΑΒΕΚΜΝΟΡΤΧο", "ABEKMHOPCTXaeopcxABEKMNOPTXo")
_NOT_DIGIT = re.compile(r"\D+")
_WORDS = re.compile(r"[^\W\d_]+")
_MAX_GAP_WORDS, _MAX_GAP = 5, 48
"""At most this many words (and characters) between the pieces of one split number."""


def mask(text: str, mark: str) -> tuple[str, int]:
    """``text`` (cleaned) with every personal detail replaced by ``mark``, and how many were."""
    spans = find_emails(text) + _ibans(text)
    text, count = _replace(text, spans, mark)
    reading = read(text)
    spans, numbers = _numbers(reading.text)
    text, _pieces = _replace(text, [reading.source(*span) for span in spans], mark)
    return text, count + numbers


def _ibans(text: str) -> list[tuple[int, int]]:
    found = []
    for start in _IBAN_START.finditer(text):  # look-alike letters (Cyrillic Е) read as Latin
        iban = IBAN.match(text[start.start() : start.start() + 120].translate(_LATIN_LOOK_ALIKE))
        if iban is not None:
            found.append((start.start(), start.start() + iban.end()))
    return found


def _replace(text: str, spans: list[tuple[int, int]], mark: str) -> tuple[str, int]:
    if not spans:
        return text, 0
    out, last, count = [], 0, 0
    for start, end in sorted(spans):
        if start < last:  # overlapping what was already replaced
            last = max(last, end)
            continue
        out += [text[last:start], mark]
        last, count = end, count + 1
    out.append(text[last:])
    return "".join(out), count


def _numbers(text: str) -> tuple[list[tuple[int, int]], int]:
    """The spans of personal numbers in a reading (a run alone, or runs split by words), and
    how many numbers they are."""
    protected = [m.span() for m in PROTECTED.finditer(text)]
    runs: list[tuple[int, int, str]] = []
    for run in RUN.finditer(text):
        start, end = run.span()
        written = run.group(0)
        stripped = written.strip(" .-/()\n\t")
        start += written.index(stripped[0]) if stripped else 0
        end = start + len(stripped)
        runs += _unprotected(text, start, end, protected)
    found: list[tuple[int, int]] = []
    strong: set[int] = set()
    after_word: set[int] = set()
    for index, (start, end, written) in enumerate(runs):
        if len(written) < 5:  # too short to be anything but a piece of a split number
            continue
        if is_personal(written, False, text[end : end + 12]):
            found.append((start, end))
            strong.add(index)
        elif not QUANTITY.match(text, end) and is_personal(
            written, PHONE_WORD.search(text[max(0, start - 20) : start]) is not None
        ):
            after_word.add(index)  # a phone by the word before it, unless a longer number
    chains = _chains(text, runs, strong)
    count = len(found) + len(chains)
    for chain in chains:
        after_word.difference_update(chain)
        start, end = runs[chain[0]][:2]
        for index in chain[1:]:  # one span while only punctuation lies between the pieces
            if _WORDS.search(text, end, runs[index][0]):
                found.append((start, end))
                start = runs[index][0]
            end = runs[index][1]
        found.append((start, end))
    return found + [runs[i][:2] for i in after_word], count + len(after_word)


def _unprotected(
    text: str, start: int, end: int, protected: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """The parts of a run outside dates and times."""
    parts, last = [], start
    for p_start, p_end in protected:
        if p_end <= start or p_start >= end:
            continue
        if p_start > last:
            parts.append((last, p_start))
        last = max(last, p_end)
    if last < end:
        parts.append((last, end))
    out = []
    for p_start, p_end in parts:
        piece = text[p_start:p_end]
        kept = piece.strip(" .-/()\n\t:")
        if kept and any(c.isdigit() for c in kept):
            p_start += piece.index(kept)
            out.append((p_start, p_start + len(kept), kept))
    return out


def _chains(text: str, runs: list[tuple[int, int, str]], taken: set[int]) -> list[list[int]]:
    """Runs a few words apart whose digits together make a personal number."""
    chains, index = [], 0
    while index < len(runs):
        chain = _chain_from(text, runs, taken, index)
        if chain:
            chains.append(chain)
            taken.update(chain)
            index = chain[-1] + 1
        else:
            index += 1
    return chains


def _chain_from(
    text: str, runs: list[tuple[int, int, str]], taken: set[int], first: int
) -> list[int] | None:
    if not _joinable(text, runs[first], 3) or first in taken:
        return None
    digits = _digits(runs[first][2])
    for last in range(first + 1, min(first + 5, len(runs))):
        gap = text[runs[last - 1][1] : runs[last][0]]
        if last in taken or not _short_gap(gap) or not _joinable(text, runs[last], 2):
            return None
        digits += _digits(runs[last][2])
        if _personal_digits(digits):
            return list(range(first, last + 1))
    return None


def _joinable(text: str, run: tuple[int, int, str], least: int) -> bool:
    """A run that may be a piece of a split number: not an amount, a count or a year."""
    _start, end, written = run
    digits = _digits(written)
    if len(digits) < least or len(digits) > 12 or QUANTITY.match(text, end):
        return False
    return not (digits.endswith("00") and THOUSANDS.match(written))  # 1 000 000 კუპონი


def _short_gap(gap: str) -> bool:
    return (
        len(gap) <= _MAX_GAP
        and not any(c.isdigit() for c in gap)
        and len(_WORDS.findall(gap)) <= _MAX_GAP_WORDS
    )


def _personal_digits(digits: str) -> bool:
    """Digits joined from pieces that make a mobile number, a landline dialled with its 0 or
    +995, a personal or a card number."""
    national = _national(digits)
    mobile = len(national) == 9 and national[0] == "5"
    landline = len(national) == 9 and national[0] in "34" and national != digits
    return mobile or landline or len(digits) in (11, 16)


def _digits(written: str) -> str:
    return _NOT_DIGIT.sub("", written)


def _national(digits: str) -> str:
    if digits.startswith("00995"):
        digits = digits[5:]
    elif digits.startswith("995") and len(digits) == 12:
        digits = digits[3:]
    if digits.startswith("0") and len(digits) == 10 and digits[1] in "345":
        digits = digits[1:]  # the trunk 0 of a domestic call: 0439…, 0322…, 0599…
    return digits


def is_personal(written: str, after_phone_word: bool = False, after: str = "") -> bool:
    """Whether a number as written is a phone, personal, card or account number; ``after``
    is the text that follows it (an amount in lari of 11 digits is no personal number)."""
    digits = _digits(written)
    if written.lstrip("(").startswith("+") and 8 <= len(digits) <= 15:
        return True
    national = _national(digits)
    if len(national) == 9 and national[0] == "5":
        return True
    if len(national) == 9 and national[0] in "34" and not THOUSANDS.match(written):
        return True
    if len(digits) == 11 or 13 <= len(digits) <= 19:
        return not (THOUSANDS.match(written) and QUANTITY.match(after))
    return after_phone_word and 5 <= len(digits) <= 10
