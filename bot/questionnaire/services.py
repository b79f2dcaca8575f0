"""A municipality's own list of social services, laid over the built-in questionnaire.

Each municipality's social programme differs, so the service question's choices are data:
the municipality lists the standard codes it offers and its own ones with their names.
Stored answers keep their codes whatever the list says later; reports name a code that is
no longer offered by its name where it is still known, else by the code itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.questionnaire.model import SERVICE, Questionnaire

OTHER = "other"
"""Always offered last: a citizen whose service is not listed still has an answer."""


@dataclass(frozen=True)
class Service:
    code: str
    names: Mapping[str, str]
    """Its own names by language (``ka`` at least); empty for a standard service, whose
    names are in the locales."""
    short: Mapping[str, str]
    """The button's short label by language (else its name)."""
    offered: bool = True
    """``False``: no longer offered; its names stay for the reports of earlier periods."""


def offer_services(questionnaire: Questionnaire, services: Sequence[Service]) -> Questionnaire:
    """The questionnaire whose service question offers these services (then ``other``)."""
    question = questionnaire.with_role(SERVICE)
    if question is None:
        return questionnaire
    offered = (s.code for s in services if s.offered and s.code != OTHER)
    codes = tuple(dict.fromkeys([*offered, OTHER]))
    changed = replace(question, options=codes)
    questions = tuple(changed if q.id == question.id else q for q in questionnaire.questions)
    return replace(questionnaire, questions=questions)


def service_texts(
    questionnaire: Questionnaire, services: Sequence[Service], language: str
) -> dict[str, str]:
    """The texts of the municipality's own services in ``language`` (Georgian where it has
    none), to lay over the locale: the button (``options.<q>.<code>``) and the full name
    (``service_names.<code>``)."""
    question_id = questionnaire.role_id(SERVICE)
    texts: dict[str, str] = {}
    for service in services:
        if not service.names:
            continue
        name = service.names.get(language) or service.names["ka"]
        short = service.short.get(language) or service.short.get("ka") or name
        texts[f"service_names.{service.code}"] = name
        if question_id is not None:
            texts[f"options.{question_id}.{service.code}"] = short
    return texts
