"""How public figures are protected, in the municipality's words: the one sentence under a
table with marks, and the method page (``/results/method``) that says the rest.

The words are in ``locales/report.ka.yaml`` (``method``); the page is an HTML fragment with
no script and no style, so the results page lays it out as its own.
"""

from __future__ import annotations

from html import escape

from bot.questionnaire.i18n import Locale

STEPS = ("periods", "small", "secondary", "union", "headline", "stored")


def small_people(k: int) -> str:
    """How the legend says the small counts: "1 ან 2" for k = 3, "1–4" otherwise."""
    return "1 ან 2" if k == 3 else f"1–{k - 1}"


def marks_sentence(texts: Locale, k: int = 3) -> str:
    """One plain sentence that explains "<k" and "x", for wherever they appear."""
    return texts.t("method.marks", k=k, small=small_people(k))


def method_html(texts: Locale, k: int = 3) -> str:
    """The method page's body: a heading, the marks' sentence, and the steps as a list."""
    steps = "".join(
        f"<li>{escape(texts.t(f'method.steps.{step}', k=k, small=small_people(k)))}</li>"
        for step in STEPS
    )
    return (
        f"<h1>{escape(texts.t('method.title'))}</h1>"
        f"<p>{escape(marks_sentence(texts, k))}</p>"
        f"<ul>{steps}</ul>"
    )
