"""The questionnaires a municipality offers at once, and every version a draft may be on.

A citizen's link names a form (``kindergarten``), or a form and the answer to its first
choice question (``kindergarten--kg2``), or, as the first links did, a service of the
default form (``winter_heating``). Any of them may carry a desk slip's one-use code after
``---`` (``winter_heating---K7MXQ9PA``, ``bot.questionnaire.slip_codes``). A draft
finishes on the version it started on, even after staff load a newer one or retire the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from bot.dialogue.views import Views
from bot.questionnaire import slip_codes
from bot.questionnaire.model import Answer, Question, Questionnaire

LINK_SEPARATOR = "--"
"""Between a form and an answer in a link (Telegram allows ``A-Za-z0-9_-`` there)."""


@dataclass(frozen=True)
class Link:
    """What a link asks for: a form (``None``: not named), a pre-answered choice."""

    form: Questionnaire | None
    prefill: dict[str, Answer] = field(default_factory=dict)
    known: bool = True
    """``False`` for a link that names nothing we know (answered politely)."""
    code: str | None = None
    """A desk slip's code the link carries (normalised), used when the questionnaire
    begins; never kept."""

    @property
    def answered(self) -> tuple[str, str] | None:
        return next(iter(self.prefill.items()), None)  # type: ignore[return-value]


MakeViews = Callable[[Questionnaire, str | None], Views]
"""The views of a form in a language (``None``: the municipality's first)."""


class FormCatalogue:
    def __init__(self, make_views: MakeViews) -> None:
        self._make_views = make_views
        self._versions: dict[str, Questionnaire] = {}
        self._active: list[Questionnaire] = []
        self._views: dict[tuple[str, str | None], Views] = {}

    @classmethod
    def single(
        cls, questionnaire: Questionnaire, views: Views, languages: Mapping[str, Views] = {}
    ) -> FormCatalogue:
        """One form, with the views it already has (per language)."""
        catalogue = cls(lambda q, language: languages.get(language or "", views))
        catalogue.replace([(questionnaire, True)])
        return catalogue

    def replace(self, forms: Iterable[tuple[Questionnaire, bool]]) -> None:
        """Every loaded version (oldest first) and whether its form is offered; the newest
        version of each offered form is the one new citizens get."""
        versions: dict[str, Questionnaire] = {}
        newest: dict[str, tuple[Questionnaire, bool]] = {}
        for questionnaire, active in forms:
            versions[questionnaire.version] = questionnaire
            newest[questionnaire.form_id or questionnaire.version] = (questionnaire, active)
        self._versions = versions
        self._active = [q for q, active in newest.values() if active]

    @property
    def active(self) -> tuple[Questionnaire, ...]:
        return tuple(self._active)

    @property
    def default(self) -> Questionnaire | None:
        """The first offered form: old service links (``?start=winter_heating``) are its."""
        return self._active[0] if self._active else None

    def version(self, tag: str) -> Questionnaire | None:
        return self._versions.get(tag)

    def views(self, questionnaire: Questionnaire, language: str | None = None) -> Views:
        key = (questionnaire.version, language)
        found = self._views.get(key)
        if found is None:
            found = self._views[key] = self._make_views(questionnaire, language)
        return found

    def offered(self, form_id: str) -> Questionnaire | None:
        return next((q for q in self._active if q.form_id == form_id), None)

    def resolve(self, payload: str | None) -> Link:
        payload, code = slip_codes.split(payload)
        link = self._named(payload)
        return replace(link, code=code) if code else link

    def _named(self, payload: str | None) -> Link:
        if not payload:
            return Link(None)
        form_id, _, code = payload.partition(LINK_SEPARATOR)
        form = self.offered(form_id)
        if form is not None:
            if not code:
                return Link(form)
            prefill = _prefill(form.first_choice(), code)
            return Link(form, prefill, known=bool(prefill))
        default = self.default
        if default is not None and not code:
            prefill = _prefill(default.first_choice(), payload)
            if prefill:
                return Link(default, prefill)
        return Link(None, known=False)


def _prefill(question: Question | None, code: str) -> dict[str, Answer]:
    if question is None or code not in question.options:
        return {}
    return {question.id: code}
