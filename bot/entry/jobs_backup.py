"""The scheduled backup (``BACKUP_CRON`` into ``BACKUP_DIR``, the newest ``BACKUP_KEEP`` kept).

Asked by the runner's minute tick, like the other jobs: the run (``backup`` + the minute the
cron expression fired) is claimed in ``job_runs`` first, so it happens once however many
processes share the database, and a night missed while the bot was down is made up at the
next tick (within ``CATCH_UP``). One backup for the whole installation: every municipality's
data is in the one database.
"""

from __future__ import annotations

import logging

from apscheduler.triggers.cron import CronTrigger

from bot.application.backup_service import keep_newest, make_backup
from bot.entry.jobs import CATCH_UP, last_fire
from bot.wiring.bootstrap import Runtime

log = logging.getLogger(__name__)
KIND = "backup"


async def backup_tick(runtime: Runtime) -> str | None:
    """Makes the backup that is due, if this process wins it; returns its run's label."""
    settings = runtime.settings
    if not settings.backup_cron or settings.backup_dir is None:
        return None
    trigger = CronTrigger.from_crontab(settings.backup_cron, timezone=settings.zone)
    now = runtime.clock().astimezone(settings.zone)
    fired = last_fire(trigger, now)
    if fired is None or now - fired > CATCH_UP:
        return None
    label = fired.strftime("%Y-%m-%dT%H:%M%z")
    async with runtime.database.transaction() as tx:
        won = await tx.runs.claim(KIND, label, runtime.clock())
        await tx.commit()
    if not won:
        return None
    try:
        path = await make_backup(settings, settings.backup_dir, runtime.clock(), runtime.database)
        removed = keep_newest(settings.backup_dir, settings.backup_keep)
    except Exception:
        log.exception("the scheduled backup %s failed; the next one is at its time", label)
        raise
    log.info("backup %s written; %d older one(s) deleted", path.name, len(removed))
    return label
