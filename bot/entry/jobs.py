"""Scheduled work: the weekly digest, the quarterly report, and clean-up.

One ``tick`` decides what is due from the clock and the cron settings, and claims each run
(kind + period) in the database before doing it. So a run happens once however many bot
processes share the database, and a run missed while the bot was down happens at the next
tick after it starts.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from apscheduler.triggers.cron import CronTrigger

from bot.application.reports import ReportOrder
from bot.application.results import address, news
from bot.channels.port import Channel, Delivery, StaffOutbox
from bot.dialogue.reminders import ReminderAddress
from bot.entry.cli_digest import digest_for, post_to_each
from bot.questionnaire.periods import Period, last_week
from bot.wiring.bootstrap import Runtime
from bot.wiring.results import changes_of

log = logging.getLogger(__name__)
T = TypeVar("T")
LOOK_BACK = timedelta(days=100)
CATCH_UP = timedelta(days=6)
"""A run missed by less than this is done late; an older one (a new install) is not."""


def last_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest time at or before ``now`` when the cron expression fired."""
    fire = trigger.get_next_fire_time(None, now - LOOK_BACK)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest


class Jobs:
    """Staff get the digest and the report through the staff outboxes: Telegram chats
    (``outbox``) and e-mail (``mail``, to ``STAFF_EMAILS``); without either those wait.
    Citizens get their reminder on the channel they were answering on, whichever of
    ``channels`` that is. One municipality's jobs: its calendar, its staff, its data."""

    def __init__(
        self,
        runtime: Runtime,
        outbox: StaffOutbox | None,
        channels: Iterable[Channel] = (),
        mail: StaffOutbox | None = None,
        record: Callable[[str, bool], None] | None = None,
    ) -> None:
        settings = runtime.settings
        self.runtime, self.outbox, self.mail = runtime, outbox, mail
        self.record = record or (lambda _job, _failed: None)
        """Each job run and whether it failed (``/metrics``), by the job's name only."""
        self.channels: dict[str, Channel] = {channel.name: channel for channel in channels}
        self.digest = CronTrigger.from_crontab(settings.digest_cron, timezone=settings.zone)
        self.quarterly = CronTrigger.from_crontab(
            settings.quarterly_schedule, timezone=settings.zone
        )

    async def tick(self, purge: bool = True) -> list[str]:
        """Runs whatever is due and not yet done; returns the runs it did (kind:period).
        ``purge``: the shared upkeep too (the runner does it once for all municipalities)."""
        now = self.runtime.clock().astimezone(self.runtime.settings.zone)
        done = []
        staff_runs = (
            ("digest", self.digest, self._digest),
            ("report", self.quarterly, self._report),
        )
        for kind, trigger, run in staff_runs if self.outbox or self.mail else ():
            fired = last_fire(trigger, now)
            if fired is None or now - fired > CATCH_UP:
                continue
            label = await self.recorded(kind, run(fired, claim=self._claimer(kind)))
            if label:
                done.append(f"{kind}:{label}")
        if await self.recorded("retention", self._retention()):
            done.append("retention")
        reminded = await self.recorded("reminders", self._reminders())
        if reminded:
            done.append(f"reminders:{reminded}")
        await self.runtime.refresh_forms()
        if purge:
            await self.recorded("upkeep", self.runtime.purge())
        return done

    async def recorded(self, job: str, work: Awaitable[T]) -> T:
        """``work``'s result; a run that did something, or failed, is recorded."""
        try:
            result = await work
        except Exception:
            self.record(job, True)
            raise
        if result or job in ("reminders", "upkeep"):
            self.record(job, False)
        return result

    async def _tell_subscribers(self, quarter: Period, page: Path) -> None:
        """ "You said, we did": key figures, the initiated changes, the public report.

        The figures are the headline of the public report just written (asked again, the
        same output prints the same): counted afresh they would give back what its audited
        tables hide, such as a late paper form's 97 beside a total printed "x"."""
        runtime, t = self.runtime, self.runtime.content.locale.t
        data = (await runtime.reports.figures(quarter)).inputs  # the built-in form's answers
        made = await runtime.reports.public.for_quarter(quarter, "report")
        said = {line.key: line.value for line in made.headline}
        text = t(
            "subscribe.summary",
            period=quarter.label,
            responses=said.get("responses", "—"),
            satisfied=said.get("satisfied", "—"),
            changes=await self._changes(quarter, data.changes) or t("subscribe.no_changes"),
        )
        page_address = address(runtime.settings, runtime.municipality.scope)
        if page_address:
            text += "\n\n" + t("results.link", url=page_address)
        assert self.outbox is not None
        channel = self.outbox.channel  # the subscribers the outbox can write to
        async with runtime.database.transaction(runtime.code) as tx:
            chats = await tx.subscribers.of(channel)
        for chat in chats:
            delivery = await self.outbox.post(chat, [text], [page])
            if delivery is Delivery.GONE:
                async with runtime.database.transaction(runtime.code) as tx:
                    await tx.subscribers.unsubscribe(channel, chat)
                    await tx.commit()
                log.info("a subscriber blocked the bot; removed")

    async def _changes(self, quarter: Period, note: str | None) -> str:
        """The quarter's note on changes, and the "what we changed" entries written or moved
        on since the quarter began that no earlier news told (``feedback-bot changes``)."""
        entries = await changes_of(self.runtime).to_announce(quarter.start, self.runtime.clock())
        lines = news(entries, self.runtime.content.locale)
        return "\n".join([note, *lines] if note else lines)

    async def _mail_report(self, quarter: Period, public: list[Path]) -> None:
        """The public report to the staff's addresses, Word and Excel attached."""
        assert self.mail is not None
        settings, t = self.runtime.settings, self.runtime.content.locale.t
        values = {"period": quarter.label, "municipality": settings.municipality_name}
        attached = [path for path in public if path.suffix in {".docx", ".xlsx"}]
        await post_to_each(
            self.mail,
            settings.staff_emails,
            [t("email.report_body", **values)],
            attached,
            subject=t("email.report_subject", **values),
        )

    async def _reminders(self) -> int:
        """One gentle reminder per unfinished questionnaire, claimed so only one process sends.

        A reminder is due ``REMINDER_AFTER_HOURS`` after the draft's last answer (earlier
        where a reply window would close first); the answers themselves only write the
        draft, so the due time is worked out here."""
        runtime = self.runtime
        after, now = runtime.conversation.limits.reminder_after, runtime.clock()
        if after is None:
            return 0
        async with runtime.database.transaction(runtime.code) as tx:
            candidates = await tx.reminders.due(now)
        sent = 0
        for key, sealed, last_answer in candidates:
            address = ReminderAddress.unpack(runtime.conversation.keyer.unseal(sealed))
            if address.due(last_answer, after) > now:
                continue
            async with runtime.database.transaction(runtime.code) as tx:
                won = await tx.reminders.mark_sent(key)
                await tx.commit()
            if won:
                sent += await self._remind(address)
        return sent

    async def _remind(self, address: ReminderAddress) -> bool:
        if address.send_before is not None and self.runtime.clock() >= address.send_before:
            log.info("a %s reminder is past the reply window; not sent", address.channel)
            return False
        channel = self.channels.get(address.channel)
        if channel is None:
            log.info("no way to send a %s reminder here; not sent", address.channel)
            return False
        return await channel.remind(address.chat)

    async def _retention(self) -> bool:
        """Free texts past ``TEXTS_KEPT_MONTHS`` deleted (once a month, once across
        processes); see ``bot.application.retention``."""
        from bot.application.retention import apply_retention

        forgotten = await apply_retention(self.runtime.reports, self.runtime.clock())
        if forgotten is not None:
            log.info(
                "%s: %d free text(s) sent before %s deleted under the retention rule",
                self.runtime.code,
                forgotten.texts,
                forgotten.before,
            )
        return forgotten is not None

    def _claimer(self, kind: str) -> Callable[[str], object]:
        async def claim(period: str) -> bool:
            async with self.runtime.database.transaction(self.runtime.code) as tx:
                won = await tx.runs.claim(kind, period, self.runtime.clock())
                await tx.commit()
            return won

        return claim

    async def _digest(self, fired: datetime, claim: Callable[[str], object]) -> str | None:
        week = last_week(fired.date())
        label = f"{week.start.isocalendar().year}-W{week.start.isocalendar().week:02d}"
        if not await claim(label):  # type: ignore[misc]
            return None
        runtime = self.runtime
        messages: list[str] = []
        for form in runtime.forms.active:  # one digest per questionnaire offered
            messages += await digest_for(
                runtime.content,
                runtime.database,
                week,
                municipality=runtime.code,
                form_id=form.form_id or None,
                language=runtime.settings.language,
                headline=runtime.settings.headline_counts,
            )
        settings, sent = self.runtime.settings, 0
        if self.outbox is not None:
            sent += await post_to_each(self.outbox, settings.staff_chat_ids, messages, html=True)
        if self.mail is not None:
            subject = self.runtime.content.locale.t(
                "email.digest_subject", week=label, municipality=settings.municipality_name
            )
            sent += await post_to_each(
                self.mail, settings.staff_emails, messages, html=True, subject=subject
            )
        log.info("weekly digest %s sent to %d chat(s) and address(es)", label, sent)
        return label

    async def _report(self, fired: datetime, claim: Callable[[str], object]) -> str | None:
        quarter = self.runtime.settings.quarters.last_complete(fired.date())
        if not await claim(quarter.label):  # type: ignore[misc]
            return None
        settings, reports = self.runtime.settings, self.runtime.reports
        with tempfile.TemporaryDirectory() as folder:
            public = await reports.write(ReportOrder(quarter, public=True), Path(folder, "out"))
            if self.outbox is not None:
                internal = await reports.write(ReportOrder(quarter), Path(folder, "in"))
                await post_to_each(self.outbox, settings.analyst_ids, files=internal)
                await post_to_each(self.outbox, settings.staff_chat_ids, files=public)
                page = next(path for path in public if path.suffix == ".html")
                await self._tell_subscribers(quarter, page)
            if self.mail is not None:
                await self._mail_report(quarter, public)
        log.info("quarterly report %s sent", quarter.label)
        return quarter.label
