"""The one place that builds the application's parts from the settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.analyst_desk import AnalystDesk
from bot.dialogue.conversation import SEEN_UPDATES_KEPT, Conversation, Limits
from bot.dialogue.paper import PaperDesk
from bot.dialogue.router import AnalystHandler, Router, StaffReplies
from bot.dialogue.views import Views
from bot.questionnaire.content import Content, load_content
from bot.questionnaire.identity import Keyer
from bot.secret_file import SecretFileError, load_or_create_secret
from bot.settings import Settings, StartupError
from reporting.periods import Period
from storage import Database, open_database

log = logging.getLogger(__name__)
__all__ = ["Runtime", "StartupError", "build_runtime"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def resolve_secret(settings: Settings, content: Content) -> bytes:
    if settings.feedback_secret is not None:
        return settings.feedback_secret.get_secret_value().encode()
    database_file = settings.sqlite_path
    if database_file is None:
        raise StartupError(content.locale.t("cli.secret_required"))
    path = database_file.with_name(database_file.stem + ".secret")
    has_data = database_file.is_file() and database_file.stat().st_size > 0
    try:
        secret, created = load_or_create_secret(path, database_has_data=has_data)
    except SecretFileError as error:
        raise StartupError(
            content.locale.t(error.key, path=error.path, database=database_file)
        ) from None
    if created:
        log.warning(content.locale.t("cli.secret_generated", path=path))
    return secret


@dataclass
class Runtime:
    settings: Settings
    content: Content
    database: Database
    conversation: Conversation
    paper: PaperDesk
    clock: Callable[[], datetime]
    router: Router

    async def make_report(
        self, period: Period, public: bool, formats: Sequence[str], directory: Path
    ) -> list[Path]:
        """The report files; reporting libraries are imported only when a report is made."""
        from reporting.build import ReportRequest, produce

        await self.database.empty_box()  # the report counts only mixed forms: mix them all
        return await produce(
            self.database,
            self.content.questionnaire,
            self.content.locale,
            self.settings.municipality_name,
            ReportRequest(period, public, formats, today=self.today()),
            directory,
            self.settings.public_min_count,
        )

    def today(self) -> date:
        return self.clock().astimezone(self.settings.zone).date()

    async def purge(self) -> int:
        """Regular upkeep: mixes the ballot box when it is due, then deletes what expired."""
        now = self.clock()
        await self.database.empty_box_if_due(now, self.settings.ballot_box_size)
        return await self.database.purge(
            drafts_before=now - timedelta(days=self.settings.draft_ttl_days),
            seen_before=now - SEEN_UPDATES_KEPT,
            today=self.today(),
        )

    async def close(self) -> None:
        await self.database.close()


async def build_runtime(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Runtime:
    content = load_content(settings.language)
    keyer = Keyer(resolve_secret(settings, content))
    database = await open_database(settings.database_url)
    views = Views(content.questionnaire, content.locale, settings.municipality_name)
    paper = PaperDesk(
        questionnaire=content.questionnaire,
        views=views,
        keyer=keyer,
        clock=clock,
        zone=settings.zone,
    )
    conversation = Conversation(
        questionnaire=content.questionnaire,
        views=views,
        transaction=database.turn,
        keyer=keyer,
        clock=clock,
        zone=settings.zone,
        limits=Limits(
            responses_per_day=settings.max_responses_per_day,
            draft_ttl=timedelta(days=settings.draft_ttl_days),
            reminder_after=timedelta(hours=settings.reminder_after_hours) or None,
            ballot_window=timedelta(hours=settings.ballot_box_window_hours),
        ),
        empty_box=partial(database.empty_box_if_due, batch=settings.ballot_box_size),
    )
    router = Router(
        units=database.turn,
        conversation=conversation,
        paper=paper,
        locale=content.locale,
        clock=clock,
    )
    runtime = Runtime(settings, content, database, conversation, paper, clock, router)
    router.analyst = _analyst_desk(runtime)
    return runtime


def _analyst_desk(runtime: Runtime) -> AnalystHandler:
    """Built on an analyst's first command: the categoriser takes a moment to load."""
    desks: list[AnalystDesk] = []

    async def handle(name: str, rest: str, staff: StaffReplies) -> list[str]:
        if not desks:
            from bot.analyst import Analyst

            questionnaire, quarters = runtime.content.questionnaire, runtime.settings.quarters
            analyst = Analyst(runtime.database, questionnaire, quarters)
            desks.append(
                AnalystDesk(analyst, runtime.content.locale, runtime.make_report, runtime.today)
            )
        return await desks[0].handle(name, rest, staff)

    return handle
