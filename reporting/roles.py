"""The questions the report's fixed parts are about, found by their role in the questionnaire
data rather than by id, so another questionnaire needs no code change."""

from __future__ import annotations

from dataclasses import dataclass

from bot.questionnaire.model import Questionnaire


@dataclass(frozen=True)
class Roles:
    service: str | None
    gender: str | None
    satisfaction: str | None
    suggestions: str | None
    needs: str | None
    """The free text that describes an extra need."""
    scales: tuple[str, ...]
    others: tuple[str, ...] = ()
    """A loaded form's free texts without a role: each categorised and reviewed on its own."""

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> Roles:
        return cls(
            service=questionnaire.role_id("service"),
            gender=questionnaire.role_id("gender"),
            satisfaction=questionnaire.role_id("satisfaction"),
            suggestions=questionnaire.role_id("suggestions"),
            needs=questionnaire.role_id("needs"),
            scales=tuple(q.id for q in questionnaire.questions if q.kind.scored),
            others=tuple(q.id for q in questionnaire.free_text() if q.role is None),
        )

    @property
    def texts(self) -> tuple[str, ...]:
        """The free texts that are categorised: suggestions first, then described needs."""
        return tuple(t for t in (self.suggestions, self.needs) if t)

    @property
    def reviewed_fields(self) -> tuple[str, ...]:
        """The free texts besides the main comment, each reviewed on its own under its
        question's name (``comment_reviews.field``, addressed ``#1a2b3c4d/name``): the
        described need, then a loaded form's others. The main comment's field is ``""``."""
        return tuple(t for t in (self.needs, *self.others) if t)
