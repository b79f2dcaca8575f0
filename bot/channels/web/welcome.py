"""The first page: the form's introduction and the way to begin. With several languages
(``LANGUAGES=ka,az,ru``) the languages are the way to begin, each in its own words, so
anyone finds theirs before the first question: at the top of the page, where a small
screen shows them first. A language pressed begins the questionnaire in it; the "begin" at
the foot of the introduction begins in the language the page speaks. The one chosen is
remembered in the signed session and speaks on the pages around the questionnaire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.web.pages import CHANNEL, Page
from bot.channels.web.session import Session
from bot.dialogue.callbacks import Language, encode
from bot.dialogue.events import Button
from bot.questionnaire.i18n import Locale

if TYPE_CHECKING:
    from bot.channels.web.surface import Web


def page(
    web: Web, session: Session, service: str | None, notices: list[str]
) -> tuple[Page, Locale]:
    """The welcome page of ``service``'s form (the default form's without one)."""
    languages = web.languages
    language = session.language if session.language in languages else None
    said = web.pages.said(language)
    intro = web.router.introduction(service, CHANNEL, language)
    begin, lead, offered = Button(said.t("web.begin"), "start"), "", []
    if len(languages) > 1:
        own = {code: web.pages.said(code) for code in languages}
        offered = [
            (c, Button(own[c].t("language.name"), encode(Language(c, service)))) for c in own
        ]
        lead = " / ".join(dict.fromkeys(own[c].t("language.choose") for c in own))
        begin = Button(said.t("web.begin"), encode(Language(language or languages[0], service)))
    shown = Page(
        notices,
        intro.text,
        choices=[begin],
        start=service or "",
        open=False,
        heading=intro.title,
        lead=lead,
        languages=offered,
    )
    return shown, said
