"""A typed text as it is stored: what a reader sees, without what hides from the reader.

Before a free text is masked and stored it is normalised (Unicode NFKC: full-width, circled,
bold and superscript forms become the plain letters and digits they stand for), its digits of
every script are read as the digits ``0``-``9`` (Arabic-Indic, Devanagari, keycaps), and what
carries no visible text is removed: control characters (a line break stays one ``\\n``, a tab
is a space), zero-width and direction controls, unpaired surrogates, the replacement and
non-characters, blank "filler" letters, and marks drawn over a digit. A zero-width joiner
stays only inside an emoji sequence (``👨‍👩‍👧``); ``№`` and a unit's ``²``/``³`` stay as written
(NFKC would make them ``No`` and ``2``). Text under a right-to-left override is stored the way
it was shown, right to left (``\u202e654`` is ``456`` on the screen). An HTML character
reference and a URL's ``%40``/``%2E`` between letters are read as what they stand for
(``lasha&#64;gmail`` is ``lasha@gmail``).

``clean`` gives ``""`` when nothing visible is left: such an answer is no text and is asked
again. Emoji and punctuation are visible, so an answer of ``👍`` is a text
(docs/questionnaire.md says why). Pure; ``clean(clean(t)) == clean(t)``.
"""

from __future__ import annotations

import html
import re
import unicodedata

_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Every format character (category Cf) of Unicode 14, the zero-width joiner included."""
_BLANK = "\u115f\u1160\u3164\uffa0\u2800\ufffc\ufffd\ufffe\uffff"
"""Letters and symbols drawn as nothing (Hangul fillers, the blank Braille cell), and the
replacement and non-characters a broken encoding leaves."""
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
_PICTURE = "\u2190-\u21ff\u2300-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
"""Where emoji live: a zero-width joiner between two of these (or their modifiers) joins."""
_JOINED = re.compile(
    rf"(?<=[{_PICTURE}\ufe0f\U0001f3fb-\U0001f3ff])\u200d(?=[{_PICTURE}])"
    r"|\U0001f3f4[\U000e0020-\U000e007f]+"
)
"""What of the format characters stays: a joiner inside an emoji sequence, a flag's tags."""
_DROPPED = re.compile(rf"[{_FORMAT}{_BLANK}{_CONTROL}\ud800-\udfff]+")
_ON_DIGIT = re.compile(
    r"([0-9])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
    r"\U000e0100-\U000e01ef]+"
)
"""Marks over a digit (a strike, an underline, a keycap's frame): the digit is what is read."""
_SUSPECT = re.compile(
    rf"[\r\x85\u2028\u2029{_CONTROL}{_BLANK}\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    r"\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    r"\U00010000-\U0010ffff]"
)
"""A quick look for anything ``_DROPPED`` or ``_LINES`` could change (any character beyond the
first plane is looked at closer: emoji are common there, format characters rare)."""
_LINES = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_OTHER_DIGIT = re.compile(r"\d(?<![0-9])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_KEPT = re.compile(r"№|(?<=[^\W\d_¹²³⁰-⁹])[²³](?![⁰¹²³⁴⁵⁶⁷⁸⁹])")
"""What NFKC would change but a reader needs as written: ``№`` (not ``No``), ``მ²``, ``м³``."""
_KEPT_QUICK = re.compile("[№²³]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,31});")
"""An HTML character reference (``&#64;`` is ``@``), read as the character it names."""
_PERCENT = re.compile(r"(?<=\w)%(40|2[eE])(?=\w)")
"""``%40`` and ``%2E`` between two word characters: a URL's way of writing ``@`` and ``.``."""
_OVERRIDDEN = re.compile(r"\u202e([^\u202c\n]*)\u202c?")
"""Text after a right-to-left override, shown right to left up to its end (or the line's)."""


def clean(text: str) -> str:
    """``text`` as it is stored, without surrounding space; ``""`` if nothing visible is left."""
    if _SURROGATE.search(text):  # a pair left split is joined; a lone half is dropped below
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if "%" in text:
        text = _PERCENT.sub(lambda m: "@" if m.group(1) == "40" else ".", text)
    if not text.isascii():
        if "\u202e" in text:  # stored as it was shown: "\u202e654" is read "456"
            text = _OVERRIDDEN.sub(lambda m: m.group(1)[::-1], text)
        text = _nfkc(text)
        text = _OTHER_DIGIT.sub(_ascii_digit, text)
        text = _ON_DIGIT.sub(r"\1", text)
    if _SUSPECT.search(text):
        text = _kept_format(text)
    text = text.replace("\t", " ").strip()
    return text if _visible(text) else ""


def _nfkc(text: str) -> str:
    if not _KEPT_QUICK.search(text) or not _KEPT.search(text):
        return unicodedata.normalize("NFKC", text)
    out, last = [], 0
    for kept in _KEPT.finditer(text):
        out += [unicodedata.normalize("NFKC", text[last : kept.start()]), kept.group(0)]
        last = kept.end()
    out.append(unicodedata.normalize("NFKC", text[last:]))
    return "".join(out)


def _kept_format(text: str) -> str:
    text = _LINES.sub("\n", text)
    if "\u200d" not in text and "\U0001f3f4" not in text:
        return _DROPPED.sub("", text)
    kept, last = [], 0
    for joined in _JOINED.finditer(text):
        kept += [_DROPPED.sub("", text[last : joined.start()]), joined.group(0)]
        last = joined.end()
    kept.append(_DROPPED.sub("", text[last:]))
    return "".join(kept)


def _ascii_digit(found: re.Match[str]) -> str:
    return str(unicodedata.decimal(found.group(0)))


def _visible(text: str) -> bool:
    """Whether a letter, digit, punctuation mark or symbol (an emoji) is left."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)
