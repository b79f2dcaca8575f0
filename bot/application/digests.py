"""The weekly digest of one form, made for the staff chats, the e-mail, the command line
and the staff console alike (``reporting.digest`` writes it; this module loads its data)."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from bot.questionnaire.content import Content
from bot.questionnaire.periods import Period
from storage import Database


async def digest_for(
    content: Content,
    database: Database,
    week: Period,
    include_test_channels: bool = False,
    municipality: str | None = None,
    form_id: str | None = None,
    language: str = "ka",
    headline: str = "all",
    mix: bool = True,
) -> list[str]:
    """The digest of one form (the built-in one by default); a loaded form's is headed by
    its title. ``mix=False``: read on a web page, the ballot box is left as it is."""
    from bot.application.reports import form_figures
    from reporting.anomaly import unusual, weekly_counts
    from reporting.build import report_texts
    from reporting.categories import load_categoriser
    from reporting.digest import DigestWriter

    found = await form_figures(
        database, content, language, municipality, week, form_id, include_test_channels, mix
    )
    form, inputs = found.form, found.inputs
    texts = report_texts()
    writer = DigestWriter(form.questionnaire, form.locale, texts, load_categoriser(), headline)
    history = await weekly_counts(
        database, week, include_test_channels, municipality, scope=form.scope
    )
    flagged = unusual(inputs.frame, form.questionnaire, history)
    messages = writer.messages(week, inputs.frame, inputs.previous, flagged)
    if form.title and messages:
        messages[0] = f"<b>📋 {escape(form.title)}</b>\n{messages[0]}"
    return messages


def plain_text(message: str) -> str:
    """A digest message for the terminal: Telegram's tags (<b>, <i>) left out and its
    entities (&lt;, &amp;) read back, so a citizen's "<" shows as they typed it."""
    reader = _TextOnly()
    reader.feed(message)
    reader.close()
    return "".join(reader.parts)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
