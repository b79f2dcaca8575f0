"""What a link or a desk slip does at the start of a questionnaire, and the choice of
languages before it: replies a turn gives, apart from the turn's own steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.dialogue import chat
from bot.dialogue.callbacks import Language, encode
from bot.dialogue.events import Reply
from bot.dialogue.forms import Link
from bot.dialogue.prompt import Move, Nav, Prompt, State
from bot.questionnaire.model import SERVICE, Questionnaire

if TYPE_CHECKING:
    from bot.dialogue.store import UnitOfWork
    from bot.dialogue.turn_needs import TurnNeeds
    from bot.dialogue.views import Views


async def claim_slip(
    tx: UnitOfWork, conversation: TurnNeeds, views: Views, link: Link
) -> tuple[Link, bool, Reply]:
    """Uses the slip's code now, in the transaction that begins the questionnaire and
    never in the one that sends it: the draft keeps only "confirmed", so nothing ties
    the used code to the form. A code alone opens its slip's service; a slip that
    confirms opens its own service whatever the link names (a form it confirms is
    always about the service it was printed for)."""
    assert link.code is not None
    claim = await tx.codes.claim(conversation.keyer.code_key(conversation.scope, link.code))
    if claim.service and (link.form is None or claim.confirmed):
        link = replace(conversation.forms.resolve(claim.service), code=link.code)
    return link, claim.confirmed, views.text(f"slip.{claim.outcome}")


def answered_by_link(views: Views, form: Questionnaire, link: Link) -> Reply:
    """Says which answer the link gave (a service's QR code), so the citizen knows."""
    question_id, code = link.answered  # type: ignore[misc]
    question = form.get(question_id)
    if question is not None and question.role == SERVICE:
        name = views.t(f"service_names.{code}")
        return views.text("session.service_from_link", service=name)
    title = views.t(f"questions.{question_id}.title")
    answer = views.t(f"options.{question_id}.{code}")
    return views.text("session.answer_from_link", question=title, answer=answer)


def language_choice(languages: Mapping[str, Views], payload: str | None) -> Reply:
    """Each language's own words and name, so anyone finds theirs."""
    text = "\n".join(dict.fromkeys(v.t("language.choose") for v in languages.values()))
    navigation = tuple(
        (Nav(Move.LANGUAGE, v.t("language.name"), encode(Language(code, payload))),)
        for code, v in languages.items()
    )
    return chat.reply(Prompt(State.LANGUAGES, text, navigation=navigation))
