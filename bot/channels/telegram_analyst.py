"""Analysts' commands in Telegram: the report for any period, applications, comments, notes.

Only users listed in ``ANALYST_IDS`` are served; anyone else gets a polite refusal, and the
attempt is logged without their id.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from telegram import Update
from telegram.constants import ChatAction, ChatType, MessageLimit
from telegram.ext import ContextTypes

from bot.analyst import Analyst, AnalystError
from bot.i18n import Locale

log = logging.getLogger(__name__)
COMMANDS = ("report", "applications", "comments", "category", "publish", "summary", "changes")
PUBLIC_WORDS = {"public", "საჯარო"}
REPORT_FORMATS = ("docx", "html", "xlsx")

MakeReport = Callable[[object, Path], Awaitable[list[Path]]]


def command_of(update: Update) -> tuple[str, str] | None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    head, _, rest = message.text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return (name, rest.strip()) if name in COMMANDS else None


class AnalystDesk:
    def __init__(
        self,
        analyst: Analyst,
        locale: Locale,
        analyst_ids: frozenset[int],
        make_report: Callable[..., Awaitable[list[Path]]],
        today: Callable[[], date],
        first_delivery: Callable[[str], Awaitable[bool]],
    ) -> None:
        self.analyst, self.locale, self.ids = analyst, locale, analyst_ids
        self.make_report, self.today, self.first_delivery = make_report, today, first_delivery

    async def handle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name, rest = command_of(update) or ("", "")
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or not await self.first_delivery(str(update.update_id)):
            return
        if chat.type != ChatType.PRIVATE:
            log.info("/%s refused: not a private chat", name)
            await context.bot.send_message(chat.id, self.locale.t("analyst.private_only"))
            return
        if user.id not in self.ids:
            log.info("/%s refused: the sender is not an analyst", name)
            await context.bot.send_message(chat.id, self.locale.t("analyst.refused"))
            return
        try:
            replies = await getattr(self, f"_{name}")(rest, chat.id, context)
        except AnalystError as error:
            replies = [error.text(self.locale)]
        for text in replies:
            await context.bot.send_message(chat.id, text)

    async def _report(
        self, rest: str, chat_id: int, context: ContextTypes.DEFAULT_TYPE
    ) -> list[str]:
        words = rest.split()
        public = bool(words) and words[-1].lower() in PUBLIC_WORDS
        words = words[:-1] if public else words
        period = (
            self.analyst.period(" ".join(words))
            if words
            else self.analyst.quarters.last_complete(self.today())
        )
        await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
        progress = await context.bot.send_message(
            chat_id,
            self.locale.t(
                "analyst.working",
                period=period.label,
                start=period.start.strftime("%d.%m.%Y"),
                end=period.end.strftime("%d.%m.%Y"),
            ),
        )
        with tempfile.TemporaryDirectory() as folder:
            try:
                paths = await self.make_report(period, public, REPORT_FORMATS, Path(folder))
            except Exception:
                log.exception("the report could not be made")
                await progress.edit_text(self.locale.t("analyst.failed"))
                return []
            for path in paths:
                with path.open("rb") as handle:
                    await context.bot.send_document(chat_id, handle, filename=path.name)
        await progress.edit_text(
            self.locale.t("analyst.ready", period=period.label, count=len(paths))
        )
        return []

    async def _applications(self, rest: str, *_: object) -> list[str]:
        parts = rest.split()
        if len(parts) == 4:
            parts = [f"{parts[0]} {parts[1]}", parts[2], parts[3]]
        if len(parts) != 3:
            return [self.locale.t("analyst.applications_usage")]
        period = self.analyst.period(parts[0])
        count = await self.analyst.set_applications(period, parts[1], parts[2])
        return [
            self.locale.t(
                "analyst.applications_saved", period=period.label, service=parts[1], count=count
            )
        ]

    async def _comments(self, rest: str, *_: object) -> list[str]:
        period = (
            self.analyst.period(rest) if rest else self.analyst.quarters.last_complete(self.today())
        )
        comments = await self.analyst.comments(period)
        if not comments:
            return [self.locale.t("analyst.comments_none", period=period.label)]
        t = self.locale.t
        lines = [t("analyst.comments_header", period=period.label, count=len(comments))]
        unsure = sum(c.needs_look for c in comments)
        if unsure:
            lines.append(t("analyst.comments_needs_look", count=unsure))
        for c in sorted(comments, key=lambda c: not c.needs_look):
            marks = (
                (t("analyst.marks_corrected") if c.corrected else "")
                + (t("analyst.marks_published") if c.publishable else "")
                + (t("analyst.marks_needs_look") if c.needs_look else "")
            )
            lines.append(
                t(
                    "analyst.comment_line",
                    id=c.id,
                    date=c.submitted_on.isoformat(),
                    categories=", ".join(c.categories),
                    marks=marks,
                    text=c.text,
                )
            )
        return split_messages(lines)

    async def _category(self, rest: str, *_: object) -> list[str]:
        parts = rest.split(maxsplit=1)
        if len(parts) != 2:
            codes = ", ".join(self.analyst.categoriser.labels)
            return [self.locale.t("analyst.category_usage", codes=codes)]
        categories = await self.analyst.correct(parts[0], parts[1].replace(" ", ""))
        short = parts[0].lstrip("#")
        return [self.locale.t("analyst.category_saved", id=short, categories=", ".join(categories))]

    async def _publish(self, rest: str, *_: object) -> list[str]:
        parts = rest.split()
        if not parts or len(parts) > 2:
            return [self.locale.t("analyst.publish_usage")]
        withdraw = len(parts) == 2 and parts[1].lower() in {"no", "არა"}
        await self.analyst.publish(parts[0], not withdraw)
        key = "analyst.unpublished" if withdraw else "analyst.published"
        return [self.locale.t(key, id=parts[0].lstrip("#"))]

    async def _summary(self, rest: str, *_: object) -> list[str]:
        return await self._note("summary", rest)

    async def _changes(self, rest: str, *_: object) -> list[str]:
        return await self._note("changes", rest)

    async def _note(self, kind: str, rest: str) -> list[str]:
        head, _, text = rest.partition(" ")
        if not head or not text.strip():
            return [self.locale.t("analyst.note_usage", kind=kind)]
        period = self.analyst.period(head)
        await self.analyst.set_note(period, kind, text.strip())
        return [self.locale.t("analyst.note_saved", period=period.label)]


def split_messages(lines: list[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Joins lines into messages under Telegram's limit, never cutting a line in two."""
    messages, current = [], ""
    for line in lines:
        line = line[: limit - 1]
        if current and len(current) + 2 + len(line) > limit:
            messages.append(current)
            current = line
        else:
            current = f"{current}\n\n{line}" if current else line
    return [*messages, current] if current else messages
