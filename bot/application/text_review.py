"""The staff console's review queue of free texts: ``Analyst`` (what ``/comments`` and
``feedback-bot comments`` use), filtered as the page asks and ordered so that the texts the
categoriser is unsure of, and nobody corrected yet, come first.

A correction and publishing are separate steps, as in the chat: the ticked categories of one
text become its corrected ones in one save (a confirmation is a correction too: the mark
"needs a look" goes and the categoriser learns from it); publishing is a button of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.application.analyst import Analyst, Comment
from bot.application.chosen_form import chosen_form
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.periods import Period
from storage import Database


@dataclass(frozen=True)
class Wanted:
    """The page's filters; ``""`` is "any"."""

    period: Period
    service: str = ""
    category: str = ""
    form: str = ""
    look: bool = False
    """Only the texts that need a look."""


async def analyst_of(
    database: Database, content: Content, settings: Settings, code: str, form_id: str = ""
) -> Analyst:
    """The analyst of the built-in form, or of a loaded form (its services, its texts)."""
    if not form_id:
        return Analyst(database, content.questionnaire, settings.quarters, code)
    form = await chosen_form(form_id, content, database, settings.language, code)
    return Analyst(
        database, form.questionnaire, settings.quarters, code, form=form_id, scope=form.scope
    )


def chosen(comments: list[Comment], wanted: Wanted) -> list[Comment]:
    """The texts the filters keep: those that need a look first, then the newest day first
    (days only: nothing finer is stored)."""
    kept = [
        c
        for c in comments
        if (not wanted.service or c.service == wanted.service)
        and (not wanted.category or wanted.category in c.categories)
        and (not wanted.look or c.needs_look)
    ]
    return sorted(kept, key=lambda c: (not c.needs_look, -c.submitted_on.toordinal(), c.id))
