"""What a turn reads of the conversation it belongs to, as a port.

``Conversation`` makes the turns and satisfies this protocol; the turn names only the
protocol, so the two modules do not import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.dialogue.broken_rules import BrokenRules
    from bot.dialogue.events import Sender
    from bot.dialogue.forms import FormCatalogue
    from bot.dialogue.views import Views
    from bot.questionnaire.identity import Keyer
    from bot.questionnaire.model import Questionnaire


@dataclass(frozen=True)
class Limits:
    responses_per_day: int
    draft_ttl: timedelta
    reminder_after: timedelta | None = None


class TurnNeeds(Protocol):
    """The municipality's forms, languages, limits and keys, the same for every turn."""

    questionnaire: Questionnaire
    views: Views
    forms: FormCatalogue
    keyer: Keyer
    limits: Limits
    scope: str | None
    languages: Mapping[str, Views]
    broken_rules: BrokenRules

    def draft_key(self, sender: Sender) -> str: ...

    def today(self, now: datetime) -> datetime: ...
