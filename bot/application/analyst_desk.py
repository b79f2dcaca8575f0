"""Analysts' commands: the report for any period, applications, comments, notes.

Channel-neutral: the router has checked the chat is private and the sender an analyst;
answers go back through ``StaffReplies`` (Telegram today).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Collection, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.application.analyst import Analyst, AnalystError
from bot.application.refusal import Refusal
from bot.application.reports import ReportOrder
from bot.dialogue.router import StaffReplies
from bot.questionnaire.i18n import Locale

if TYPE_CHECKING:
    from bot.application.municipalities import Municipality
    from bot.application.reports import Reports

log = logging.getLogger(__name__)
PUBLIC_WORDS = {"public", "საჯარო"}
MESSAGE_LIMIT = 4096
"""Telegram's longest message; lists are cut between lines below it."""


class AnalystDesk:
    def __init__(
        self,
        analyst: Analyst,
        locale: Locale,
        reports: Reports,
        today: Callable[[], date],
        everywhere: Callable[[], Sequence[Municipality]] | None = None,
        form_ids: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        """``form_ids``: the loaded forms a report may be asked for (``/report kindergarten``);
        ``everywhere``: the municipalities ``/national`` compares (none: no such command)."""
        self.analyst, self.locale = analyst, locale
        self.reports, self.today = reports, today
        self.everywhere = everywhere
        self.form_ids = form_ids

    async def handle(self, name: str, rest: str, staff: StaffReplies) -> list[str]:
        try:
            return await getattr(self, f"_{name}")(rest, staff)
        except AnalystError as error:
            return [error.text(self.locale)]

    async def _report(self, rest: str, staff: StaffReplies) -> list[str]:
        words = rest.split()
        public = bool(words) and words[-1].lower() in PUBLIC_WORDS
        words = words[:-1] if public else words
        form_id = words.pop(0) if words and words[0] in self.form_ids() else None
        period = (
            self.analyst.period(" ".join(words))
            if words
            else self.analyst.quarters.last_complete(self.today())
        )
        order = ReportOrder(period, public, form_id=form_id)
        try:
            self.reports.check(order)
        except Refusal as refusal:
            return [refusal.text(self.locale)]
        await staff.busy()
        progress = await staff.say(
            self.locale.t(
                "analyst.working",
                period=period.label,
                start=period.start.strftime("%d.%m.%Y"),
                end=period.end.strftime("%d.%m.%Y"),
            ),
        )
        with tempfile.TemporaryDirectory() as folder:
            try:
                paths = await self.reports.write(order, Path(folder))
            except Exception:
                log.exception("the report could not be made")
                await staff.edit(progress, self.locale.t("analyst.failed"))
                return []
            await staff.files(paths)
        await staff.edit(
            progress, self.locale.t("analyst.ready", period=period.label, count=len(paths))
        )
        return []

    async def _national(self, rest: str, staff: StaffReplies) -> list[str]:
        """The association's comparison of every municipality (small cells hidden)."""
        if self.everywhere is None:
            return [self.locale.t("problem.unknown_command")]
        period = (
            self.analyst.period(rest) if rest else self.analyst.quarters.last_complete(self.today())
        )
        await staff.busy()
        with tempfile.TemporaryDirectory() as folder:
            try:
                paths = await self.reports.national(self.everywhere(), period, Path(folder))
            except Refusal as refusal:
                return [refusal.text(self.locale)]
            await staff.files(paths)
        return [self.locale.t("analyst.ready", period=period.label, count=len(paths))]

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
        if any(c.field for c in comments):
            lines.append(t("analyst.comments_each_text"))
        for c in sorted(comments, key=lambda c: not c.needs_look):
            marks = (
                (t("analyst.marks_corrected") if c.corrected else "")
                + (t("analyst.marks_published") if c.publishable else "")
                + (t("analyst.marks_needs_look") if c.needs_look else "")
                + (self._field(c.field) if c.field else "")
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

    def _field(self, name: str) -> str:
        """Which text a line is (the need's description), by its question's title."""
        key = f"questions.{name}.title"
        title = self.locale.t(key) if self.locale.has(key) else name
        return self.locale.t("analyst.marks_field", title=title)

    async def _category(self, rest: str, *_: object) -> list[str]:
        parts = rest.split(maxsplit=1)
        if len(parts) != 2:
            codes = ", ".join(self.analyst.categoriser.labels)
            usage = self.locale.t("analyst.category_usage", codes=codes)
            if self.analyst.needs:  # a described need is sorted by the needs' own codes
                codes = ", ".join(self.analyst.labels_of(self.analyst.needs))
                usage += "\n" + self.locale.t("analyst.category_usage_needs", codes=codes)
            return [usage]
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


def split_messages(lines: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
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
