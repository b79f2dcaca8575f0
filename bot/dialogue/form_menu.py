"""The list of forms a citizen with nothing open picks from, when a municipality offers
several and the link named none: by button, by number or by title, in their language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue import chat
from bot.dialogue.callbacks import Language, Restart, encode
from bot.dialogue.events import Reply
from bot.dialogue.forms import FormCatalogue
from bot.dialogue.prompt import Option, Prompt, State
from bot.dialogue.typed import spoken
from bot.dialogue.views import Views
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.typed_answers import position


@dataclass(frozen=True)
class FormMenu:
    forms: FormCatalogue
    views: Views
    """The citizen's texts on their channel, for the menu's own words."""
    channel: str
    language: str | None
    multilingual: bool

    def reply(self, known: bool) -> Reply:
        """``known``: the link named nothing (else the citizen is told it was not understood)."""
        lines = [] if known else [self.views.t("session.unknown_link_choose"), ""]
        lines.append(self.views.t("session.choose_form"))
        options = tuple(
            Option(self.title(form), self._begin_data(form), key=str(number))
            for number, form in enumerate(self.forms.active, 1)
        )
        return chat.reply(Prompt(State.FORMS, "\n".join(lines), options=options))

    def typed(self, text: str) -> str | None:
        """The form typed by its number or title (the list may be answered by typing, as
        every list); ``None`` when there is no list or nothing matches."""
        offered = self.forms.active
        if len(offered) < 2:
            return None
        index = position(text, len(offered))
        if index is None:
            said = spoken(text)
            index = next((i for i, f in enumerate(offered) if spoken(self.title(f)) == said), None)
        return None if index is None else offered[index].form_id or offered[index].version

    def title(self, form: Questionnaire) -> str:
        views = self.forms.views(form, self.language).for_channel(self.channel)
        if views.locale.has("form.title"):
            return views.t("form.title")
        return form.form_id or views.t("buttons.begin")  # never a version tag

    def _begin_data(self, form: Questionnaire) -> str:
        """Begins the form, in the language the citizen chose (if they chose one)."""
        name = form.form_id or form.version
        if self.multilingual and self.language is not None:
            return encode(Language(self.language, name))
        return encode(Restart(name))
