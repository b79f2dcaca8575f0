"""Scheduled work: the weekly digest, the quarterly report, and clean-up.

One ``tick`` decides what is due from the clock and the cron settings, and claims each run
(kind + period) in the database before doing it. So a run happens once however many bot
processes share the database, and a run missed while the bot was down happens at the next
tick after it starts.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.bootstrap import Runtime
from bot.channels.messenger.channel import CHANNEL as MESSENGER
from bot.channels.messenger.channel import MessengerChannel
from bot.channels.telegram import CHANNEL
from bot.cli_digest import digest_for, send_documents, send_messages
from bot.dialogue.callbacks import Resume, encode
from bot.dialogue.reminders import ReminderAddress
from reporting.periods import Period, last_week

log = logging.getLogger(__name__)
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
    """Staff get the digest and the report by Telegram (``bot``); without it those wait.
    Citizens get their reminder on the channel they were answering on."""

    def __init__(
        self, runtime: Runtime, bot: Bot | None, messenger: MessengerChannel | None = None
    ) -> None:
        settings = runtime.settings
        self.runtime, self.bot, self.messenger = runtime, bot, messenger
        self.digest = CronTrigger.from_crontab(settings.digest_cron, timezone=settings.zone)
        self.quarterly = CronTrigger.from_crontab(
            settings.quarterly_schedule, timezone=settings.zone
        )

    async def tick(self) -> list[str]:
        """Runs whatever is due and not yet done; returns the runs it did (kind:period)."""
        now = self.runtime.clock().astimezone(self.runtime.settings.zone)
        done = []
        staff_runs = (
            ("digest", self.digest, self._digest),
            ("report", self.quarterly, self._report),
        )
        for kind, trigger, run in staff_runs if self.bot else ():
            fired = last_fire(trigger, now)
            if fired is None or now - fired > CATCH_UP:
                continue
            label = await run(fired, claim=self._claimer(kind))
            if label:
                done.append(f"{kind}:{label}")
        reminded = await self._reminders()
        if reminded:
            done.append(f"reminders:{reminded}")
        await self.runtime.purge()
        return done

    async def _tell_subscribers(self, quarter: Period, page: Path) -> None:
        """ "You said, we did": key figures, the initiated changes, the public report."""
        from reporting import metrics
        from reporting.build import gather
        from reporting.categories import load_categoriser

        runtime, t = self.runtime, self.runtime.content.locale.t
        questionnaire = runtime.content.questionnaire
        data = await gather(runtime.database, questionnaire, load_categoriser(), quarter)
        k = runtime.settings.public_min_count
        count = len(data.frame)
        top2 = metrics.distribution(data.frame, questionnaire.get("satisfaction")).top2
        text = t(
            "subscribe.summary",
            period=quarter.label,
            responses=count if count >= k else f"<{k}",
            satisfied="—" if top2 is None or count < k else f"{round(top2 * 100)}%",
            changes=data.changes or t("subscribe.no_changes"),
        )
        async with runtime.database.transaction() as tx:
            chats = await tx.subscribers(CHANNEL)
        for chat in chats:
            try:
                await self.bot.send_message(int(chat), text)
                with page.open("rb") as handle:
                    await self.bot.send_document(int(chat), handle, filename=page.name)
            except Forbidden:
                async with runtime.database.transaction() as tx:
                    await tx.unsubscribe(CHANNEL, chat)
                    await tx.commit()
                log.info("a subscriber blocked the bot; removed")
            except BadRequest as error:
                log.info("a subscriber could not be reached (%s)", error.message)

    async def _reminders(self) -> int:
        """One gentle reminder per unfinished questionnaire, claimed so only one process sends."""
        runtime = self.runtime
        async with runtime.database.transaction() as tx:
            due = await tx.due_reminders(runtime.clock())
        sent = 0
        for key, sealed in due:
            async with runtime.database.transaction() as tx:
                won = await tx.mark_reminded(key)
                await tx.commit()
            if won:
                address = ReminderAddress.unpack(runtime.conversation.keyer.unseal(sealed))
                sent += await self._remind(address)
        return sent

    async def _remind(self, address: ReminderAddress) -> bool:
        if address.send_before is not None and self.runtime.clock() >= address.send_before:
            log.info("a %s reminder is past the reply window; not sent", address.channel)
            return False
        if address.channel == MESSENGER and self.messenger is not None:
            return await self.messenger.remind(address.chat)
        if address.channel != CHANNEL or self.bot is None:
            log.info("no way to send a %s reminder here; not sent", address.channel)
            return False
        t = self.runtime.content.locale.t
        button = InlineKeyboardButton(t("buttons.resume"), callback_data=encode(Resume()))
        try:
            await self.bot.send_message(
                int(address.chat), t("reminder.text"), reply_markup=InlineKeyboardMarkup([[button]])
            )
        except (Forbidden, BadRequest) as error:
            log.info("a reminder could not be delivered (%s)", type(error).__name__)
            return False
        return True

    def _claimer(self, kind: str) -> Callable[[str], object]:
        async def claim(period: str) -> bool:
            async with self.runtime.database.transaction() as tx:
                won = await tx.claim_run(kind, period, self.runtime.clock())
                await tx.commit()
            return won

        return claim

    async def _digest(self, fired: datetime, claim: Callable[[str], object]) -> str | None:
        assert self.bot is not None
        week = last_week(fired.date())
        label = f"{week.start.isocalendar().year}-W{week.start.isocalendar().week:02d}"
        if not await claim(label):  # type: ignore[misc]
            return None
        messages = await digest_for(self.runtime.content, self.runtime.database, week)
        sent = await send_messages(self.bot, self.runtime.settings.staff_chat_ids, messages)
        log.info("weekly digest %s sent to %d chat(s)", label, sent)
        return label

    async def _report(self, fired: datetime, claim: Callable[[str], object]) -> str | None:
        assert self.bot is not None
        quarter = self.runtime.settings.quarters.last_complete(fired.date())
        if not await claim(quarter.label):  # type: ignore[misc]
            return None
        settings = self.runtime.settings
        with tempfile.TemporaryDirectory() as folder:
            formats = ("docx", "html", "xlsx")
            internal = await self.runtime.make_report(quarter, False, formats, Path(folder, "in"))
            await send_documents(self.bot, settings.analyst_ids, internal)
            public = await self.runtime.make_report(quarter, True, formats, Path(folder, "out"))
            await send_documents(self.bot, settings.staff_chat_ids, public)
            page = next(path for path in public if path.suffix == ".html")
            await self._tell_subscribers(quarter, page)
        log.info("quarterly report %s sent", quarter.label)
        return quarter.label
