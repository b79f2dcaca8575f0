"""E-mail addresses in a cleaned text, as typed or as spoken.

``nino@gmail.com``, and the ways people write one so that it is not recognised: ``nino.b at
gmail dot com``, ``(at)``/``[dot]``/``{at}``, `` @ `` and `` . `` with spaces, ``ძაღლუკა`` and
``წერტილი`` (what Georgians call ``@`` and ``.``), ``ეტ``/``დოტ``, ``собака``/``точка``,
``gmail,com``, one letter at a time (``n i k o @ g m a i l . c o m``), an address all in
Georgian letters (``ნინო ეტ ჯიმეილ წერტილი კომ``), a mail service without its domain
(``nino.b@gmail``). A spoken or spaced address counts only when it ends in a known top-level
domain, so "I live at home. Then" stays a sentence (and "look at
www.ambrolauri.gov.ge" names a website). Pure.
"""

from __future__ import annotations

import re

_AT_WORDS = r"at|ат|ეტ|ეტი|eti|ატ|ეთ|ძაღლუკა|ძაღლუკით|ძაღლი|dzaghluka|dzagluka|собака|sobaka"
_DOT_WORDS = r"dot|დოტ|დოთ|წერტილი|tsertili|wertili|точка|tochka"


def _spoken(words: str, literal: str, bracketed: str = "") -> str:
    return (
        rf"(?:\s*{literal}\s*"
        rf"|\s*[(\[{{<]\s*(?:{words}|{literal}{bracketed})\s*[)\]}}>]\s*"
        rf"|\s*-\s*(?:{words})\s*-\s*"
        rf"|\s+(?:{words})\s+)"
    )


_AT = _spoken(_AT_WORDS, "@+", "|a|а")  # levan.k(a)gmail.com, Latin or Cyrillic a
_DOT = _spoken(_DOT_WORDS, r"\.")
_LOCAL = rf"(?:(?:[\w+.-] ){{2,}}[\w+.-]|[\w+-]+(?:{_DOT}[\w+-]+)*)"
_DOMAIN = rf"(?:[\w-](?: [\w.-]){{3,}}|[\w-]+(?:(?:{_DOT}|,(?=\w))[\w-]+)*)"
EMAIL = re.compile(rf"(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>{_DOMAIN})", re.IGNORECASE)
_MAYBE = re.compile(
    rf"(?=[@aAаАეატძdDсСsSeE(\[{{<])(?:@|(?<!\w)(?:{_AT_WORDS})(?!\w)|[(\[{{<]\s*[aа]\s*[)\]}}>])",
    re.IGNORECASE,
)
"""A quick look for anything that could stand for ``@`` before the full pattern is tried."""
_DOT_SPOKEN = re.compile(
    rf"\s*(?:[(\[{{<-]\s*)?(?:{_DOT_WORDS}|\.|,)(?:\s*[)\]}}>-])?\s*", re.IGNORECASE
)
_PROVIDERS = frozenset(
    [
        "gmail",
        "googlemail",
        "yahoo",
        "mail",
        "outlook",
        "hotmail",
        "live",
        "yandex",
        "icloud",
        "proton",
        "protonmail",
        "inbox",
        "rambler",
        "ჯიმეილ",
        "ჯიმეილი",
        "მეილ",
    ]
)
"""Mail services named without their domain (``nino.b@gmail``)."""
_TOP_LEVEL = frozenset(
    [
        "com",
        "net",
        "org",
        "ge",
        "ru",
        "ua",
        "am",
        "az",
        "by",
        "kz",
        "de",
        "uk",
        "fr",
        "it",
        "es",
        "us",
        "eu",
        "info",
        "io",
        "me",
        "edu",
        "gov",
        "biz",
        "co",
        "tv",
        "pro",
        "online",
        "mail",
        "კომ",
        "ნეტ",
        "ორგ",
        "გე",
        "ჯი",
        "რუ",
        "ком",
        "ру",
        "нет",
        "орг",
    ]
)


def find_emails(text: str) -> list[tuple[int, int]]:
    """The spans of the e-mail addresses in ``text``."""
    if not _MAYBE.search(text):
        return []
    found = []
    for match in EMAIL.finditer(text):
        if _plausible(match):
            found.append(match.span())
    return found


def _plausible(match: re.Match[str]) -> bool:
    domain = _DOT_SPOKEN.sub(".", match["domain"]).replace(" ", "")
    labels = [label.casefold() for label in domain.split(".") if label]
    if len(labels) == 1:  # nino.b@gmail, but not "look at gmail"
        return labels[0] in _PROVIDERS and match["at"].strip().casefold() != "at"
    if not labels[-1].isalpha() or len(labels[-1]) < 2:
        return False
    if match["at"] == "@" and " " not in match["domain"]:
        return True
    return labels[-1] in _TOP_LEVEL and labels[0] != "www"
