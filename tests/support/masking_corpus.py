"""The masking corpora (tests/fixtures/masking/) and what "leaks" means, written apart from
the masker: nothing here imports bot.questionnaire.masking or its reading of numbers.

A text **leaks** its secret when the secret can still be read from what is stored:

- a number (phone, personal, card, account number, IBAN): any 7 consecutive digits of the
  secret appear in a *digit projection* of the stored text: every digit it holds, of any
  script (``unicodedata.digit``: Arabic-Indic, full-width, bold, superscript), and every number
  word (Georgian in its script or in Latin letters, English, Russian) as its digits, all run
  together with everything else left out. Several projections are tried and any one is
  enough: words read one by one (``ხუთას`` ``ოთხმოცდაცხრამეტი`` as ``500`` ``99``) and with a
  hundred joined to the word after it (``599``); letters that look like digits (O, l, I, З)
  read as digits or not; forwards and backwards (a right-to-left override shows digits
  reversed). Seven digits, not the whole secret: a stored text that keeps most of a number
  has still given it away.
- an e-mail address: after NFKC, case folding, Cyrillic and Greek look-alikes read as Latin
  and Georgian letters transliterated (``ნინო`` is ``nino``), the stored text still holds the
  longest word of the local part as a word of its own (``beridze`` of ``nino.beridze``), or
  the local part or the domain with only their letters and digits (``ninob``, ``gmailcom``
  for ``nino.b@gmail.com``) inside the stored text's letters and digits run together; either
  forwards or backwards.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "masking"
WINDOW = 7


def corpus_files(kind: str) -> list[Path]:
    """``evasion`` or ``untouched``: every file of that kind, the held-out ones included."""
    return sorted(FOLDER.glob(f"*{kind}*.yaml"))


def entries(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def leaks(stored: str, secret: str) -> bool:
    if "@" in secret:
        return _email_leaks(stored, secret)
    digits = "".join(c for c in secret if c.isdigit())
    windows = {digits[i : i + WINDOW] for i in range(len(digits) - WINDOW + 1)}
    return any(w in p or w in p[::-1] for p in projections(stored) for w in windows)


# --- numbers -------------------------------------------------------------------------------

_LOOKS = str.maketrans("OoОоΟοlIіІЗзбБ", "00000011113366")
_SOUNDS = "a b g d e v z t i k l m n o p zh r s t u p k gh y sh ch ts dz ts ch kh j h"
_GEO_TO_LATIN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ", _SOUNDS.split(), strict=True))
_UNIT = {
    "nul": 0, "nol": 0, "ert": 1, "or": 2, "sam": 3, "otkh": 4, "khut": 5, "ekvs": 6,
    "shvid": 7, "rva": 8, "tskhra": 9, "at": 10, "tertmet": 11, "tormet": 12, "tsamet": 13,
    "totkhmet": 14, "tkhutmet": 15, "tekvsmet": 16, "chvidmet": 17, "tvramet": 18,
    "tskhramet": 19,
}  # fmt: skip
_SCORE = {"ots": 20, "ormots": 40, "samots": 60, "otkhmots": 80}
_GEORGIAN = re.compile(
    r"^(?:(?P<h>or|sam|otkh|khut|ekvs|shvid|rva|tskhra)?as(?=.|$))?"
    rf"(?:(?P<s>{'|'.join(_SCORE)})(?:da)?)?"
    rf"(?P<u>{'|'.join(sorted(_UNIT, key=len, reverse=True))})?"
    r"(?:i|a)?(?:ze|s|is|it|shi|mde|dan)?$"
)
_ENGLISH = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_RUSSIAN = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_OTHER = {
    **{w: n for n, w in enumerate(_ENGLISH)},
    **{w: n for n, w in enumerate(_RUSSIAN)},
    "oh": 0, "нуль": 0, "одна": 1, "две": 2, "ten": 10, "eleven": 11, "twelve": 12,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200,
    "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700,
    "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip


def projections(text: str) -> list[str]:
    """The digit projections of a stored text (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    found = []
    for looks in (False, True):
        numbers = [_token(token, looks) for token in re.findall(r"\w+", text)]
        numbers = [n for n in numbers if n]
        found.append("".join(numbers))
        joined: list[str] = []
        for number in numbers:  # ხუთას ოთხმოცდაცხრამეტი: 599, not 50099; пятьдесят семь: 57
            last = joined[-1] if joined else ""
            zeros = len(last) - len(last.rstrip("0"))
            if 0 < len(number) <= zeros and last != "0":
                joined[-1] = last[: -len(number)] + number
            else:
                joined.append(number)
        found.append("".join(joined))
    return found


def _token(token: str, looks: bool) -> str:
    word = _number_word(token)
    if word is not None:
        return str(word)
    has_digit = any(unicodedata.digit(c, None) is not None for c in token)
    if looks and has_digit:
        token = token.translate(_LOOKS)
    return "".join(
        str(unicodedata.digit(c)) for c in token if unicodedata.digit(c, None) is not None
    )


def _number_word(token: str) -> int | None:
    word = token.casefold()
    if word in _OTHER:
        return _OTHER[word]
    if any("\u10d0" <= c <= "\u10f0" for c in word):
        word = "".join(_GEO_TO_LATIN.get(c, c) for c in word)
    word = word.replace("'", "").replace("x", "kh").replace("q", "k")
    word = re.sub(r"c(?!h)", "ts", word)  # cxra, oci: tskhra, otsi
    if not word.isalpha() or word in ("a", "i", "is", "s", "ze", "it", "shi"):
        return None
    if word in ("at", "as", "or", "sam") and token.isascii():
        return None  # English "at", "as", "or"; in Georgian letters these are 10, 100, 2, 3
    found = _GEORGIAN.match(word)
    hundred = found is not None and word.startswith(("as", found["h"] or "as"))
    if found is None or not (hundred or found["s"] or found["u"]):
        return None
    hundreds = 0 if not hundred else 100 * (_UNIT[found["h"]] if found["h"] else 1)
    return hundreds + _SCORE.get(found["s"] or "", 0) + _UNIT.get(found["u"] or "", 0)


# --- e-mail addresses ----------------------------------------------------------------------

_LATIN_LOOK = str.maketrans(
    "аеорсухікмтвнАЕОРСУХІКМТВНαεορτυικνΑΕΟΡΤΥΙΚΝ", "aeopcyxikmtbhaeopcyxikmtbhaeoptuiknaeoptyikn"
)


def _email_leaks(stored: str, secret: str) -> bool:
    local, domain = secret.casefold().split("@")
    text = unicodedata.normalize("NFKC", stored).casefold().translate(_LATIN_LOOK)
    text = "".join(_GEO_TO_LATIN.get(c, c) for c in text)
    words = set(re.findall(r"[^\W_]+", text)) | set(re.findall(r"[^\W_]+", text[::-1]))
    plain = _alnum(text)
    longest = max(re.findall(r"[^\W_]+", local), key=len)
    return (len(longest) >= 3 and longest in words) or any(
        part in plain or part in plain[::-1] for part in (_alnum(local), _alnum(domain))
    )


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())
