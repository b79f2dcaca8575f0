"""The form a report, digest, export or import is about, with all its versions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.application.refusal import Refusal
from bot.questionnaire.content import Content
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire
from storage import Database
from storage.analysis import VersionScope


@dataclass(frozen=True)
class ChosenForm:
    """A form for a report or an export: its versions lined up by question name, its texts,
    and which stored responses are its."""

    questionnaire: Questionnaire
    locale: Locale
    scope: VersionScope
    title: str | None
    versions: tuple[str, ...]
    differences: tuple[str, ...]

    def note(self, texts: Locale) -> str | None:
        """For the report: the versions combined and where they differ."""
        if len(self.versions) < 2:
            return None
        details = "; ".join(self.differences) or "—"
        return texts.t("versions_note", versions=", ".join(self.versions), details=details)


async def chosen_form(
    form_id: str | None,
    content: Content,
    database: Database,
    language: str,
    municipality: str | None = None,
) -> ChosenForm:
    from bot.questionnaire.versions import combined, differences

    builtin = content.questionnaire
    async with database.forms(municipality) as forms:
        selection = await forms.selection(form_id or builtin.form_id, builtin)
    if selection is None:
        raise Refusal("forms.unknown", form_id=form_id)
    questionnaire = combined(selection.versions)
    locale = content.locale.with_texts(questionnaire.texts_in(language))
    found = tuple(d.text(content.locale) for d in differences(selection.versions))
    tags = tuple(q.version for q in selection.versions)
    return ChosenForm(questionnaire, locale, selection.scope, selection.title, tags, found)
