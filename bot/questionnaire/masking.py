"""Personal details a citizen types into a comment, replaced before the comment is stored.

The answers are anonymous only if their texts are: a phone number or a personal number in a
suggestion names its author. Found here: Georgian mobile numbers (``5XX XX XX XX``, with or
without ``+995``/``995``/``00995``, spaces, dashes, dots, parentheses), landlines (``0439 22
12 34``, ``(0439) 221234``, ``32 2 XX XX XX``; a short local number only right after a word
such as "ტელ."), any ``+`` international number, 11-digit personal numbers, 13–19-digit card
and account numbers, Georgian IBANs and e-mail addresses.

Ordinary numbers stay: amounts (``100 ლარი``, ``200-300 ლარი``, ``5 000 000``), hours, years,
dates and times. Pure: text in, text and the number of replacements out.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IBAN = re.compile(r"\bGE\s?\d{2}\s?[A-Z]{2}(?:\s?\d){16}\b", re.IGNORECASE)
RUN = re.compile(r"(?<![\d+])\+?\(?\d(?:[ \t\u00a0\-.()/]{0,3}\d)*\)?(?!\d)")
"""Digits with at most a few separators between them, the way numbers are written."""
PROTECTED = re.compile(
    r"(?<!\d)(?<!\d[./-])(?:(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])[./](?:\d{4}|\d{2})"
    r"|\d{4}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)(?![\d.])"
)
"""Dates and times: never part of a number that is masked."""
THOUSANDS = re.compile(r"^\d{1,3}(?:[ .,\u00a0]\d{3})+$")
PHONE_WORD = re.compile(r"(?:ტელ|მობ|ნომ|tel|mob|phone|тел)[\w.]*\s*[:.\-]?\s*$", re.IGNORECASE)
"""A word just before a short number that makes it a phone number (``ტელ: 22 12 34``)."""


def mask(text: str, mark: str) -> tuple[str, int]:
    """``text`` with every personal detail replaced by ``mark``, and how many were."""
    count = 0

    def replace(_match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return mark

    text = EMAIL.sub(replace, text)
    text = IBAN.sub(replace, text)
    pieces, last = [], 0
    for protected in PROTECTED.finditer(text):
        piece, found = _numbers(text[last : protected.start()], mark)
        pieces += [piece, protected.group(0)]
        count += found
        last = protected.end()
    piece, found = _numbers(text[last:], mark)
    return "".join([*pieces, piece]), count + found


def _numbers(piece: str, mark: str) -> tuple[str, int]:
    out, last, count = [], 0, 0
    for run in RUN.finditer(piece):
        written = run.group(0).strip(" .-/")
        before = piece[: run.start()]
        if not is_personal(written, PHONE_WORD.search(before[-20:]) is not None):
            continue
        start = run.start() + run.group(0).index(written)
        out += [piece[last:start], mark]
        last = start + len(written)
        count += 1
    out.append(piece[last:])
    return "".join(out), count


def is_personal(written: str, after_phone_word: bool = False) -> bool:
    """Whether a number as written is a phone, personal, card or account number."""
    digits = re.sub(r"\D", "", written)
    if written.startswith("+") and 8 <= len(digits) <= 15:
        return True
    national = digits
    if digits.startswith("00995"):
        national = digits[5:]
    elif digits.startswith("995") and len(digits) == 12:
        national = digits[3:]
    if national.startswith("0") and len(national) == 10 and national[1] in "345":
        national = national[1:]  # the trunk 0 of a domestic call: 0439…, 0322…, 0599…
    if len(national) == 9 and national[0] == "5":
        return True
    if len(national) == 9 and national[0] in "34" and not THOUSANDS.match(written):
        return True
    if len(digits) == 11 or 13 <= len(digits) <= 19:
        return not THOUSANDS.match(written)
    return after_phone_word and 5 <= len(digits) <= 10
