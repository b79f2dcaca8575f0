"""What an operator watches (Prometheus' text format), and nothing that singles out a citizen.

The figures are the server's, never the citizens': updates and failed updates per channel,
how long a turn took (in coarse steps), HTTP requests by route and status class, scheduled
jobs run and failed, whether the ballot box was emptied within its bound, and backups.
No label names a chat, a cookie, an address, a text or a municipality's citizen; there is
no counter of forms sent, and no figure moves when a form is sent that does not move at
every other answer too (docs/anonymity.md, "Metrics"):

- a turn's duration is recorded as the upper bound of its step, so the longer turn that
  puts a form in the box reads like any other answer;
- the web questionnaire's pages are one route, counted as requests and not as turns, so
  the page after "send" is neither a route of its own nor a different number of turns;
- the box is never counted: a live count (even empty / not empty) would rise the second a
  form is sent, the very moment the box hides. Only "a form waited past its day" is shown
  (``feedback_ballot_box_overdue``), which changes at midnight or when the upkeep fails.

One registry per process, with none of the library's process or garbage-collector figures
(their moves follow the work a "send" does), and no ``_created`` times (a series' first
moment is a citizen's first update).
"""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

log = logging.getLogger(__name__)

TURN_STEPS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Seconds: a turn is slow when it takes more than a second; finer steps would tell the
turn that puts a form in the box from an ordinary answer."""
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SERVING_A_PAGE: ContextVar[bool] = ContextVar("serving_a_page", default=False)
"""Set while a web questionnaire's page is served (``metrics_http.CountedRequests``): its
turns are not counted, whichever channel its session began on (Messenger hands over to the
page). A page asks the router a varying number of times (an answer three, the page after
"send" two), so a count of turns would tell a "send" apart; the requests are counted
instead, each page one POST and one GET alike."""


@dataclass(frozen=True)
class Backups:
    """What the backup job recorded: how many backups exist and when the newest was made."""

    made: int
    newest: datetime | None


BackupReader = Callable[[], Awaitable[Backups | None]]
"""Reads the backups' state at scrape time (the backup job's own record); ``None``: none kept."""


class Metrics:
    """The process's figures; recorders are called by the runner's wiring, never by channels."""

    def __init__(
        self,
        box_overdue: Callable[[], Awaitable[bool]],
        backups: BackupReader | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # A series' ``_created`` time would be the moment of its first update: a citizen's.
        disable_created_metrics()
        self.registry = CollectorRegistry(auto_describe=True)
        self._box_overdue, self._backups, self._clock = box_overdue, backups, clock
        r = self.registry
        self.updates = Counter(
            "feedback_updates",
            "Updates worked out (messages, presses, pages)",
            ["channel"],
            registry=r,
        )
        self.apologies = Counter(
            "feedback_apologies",
            "Updates that failed: the citizen was told sorry and to try again",
            ["channel"],
            registry=r,
        )
        self.turns = Histogram(
            "feedback_turn_seconds",
            "Time to work out one update, at the upper bound of its step",
            ["channel"],
            buckets=TURN_STEPS,
            registry=r,
        )
        self.requests = Counter(
            "feedback_http_requests",
            "HTTP requests by route template and status class",
            ["route", "status"],
            registry=r,
        )
        # "kind", not "job": Prometheus gives every target a label "job" of its own.
        self.jobs = Counter("feedback_jobs", "Scheduled jobs run", ["kind"], registry=r)
        self.job_failures = Counter(
            "feedback_job_failures", "Scheduled jobs that failed", ["kind"], registry=r
        )
        self.overdue = Gauge(
            "feedback_ballot_box_overdue",
            "1 when a form waits in the ballot box past its day (the upkeep is stuck)",
            registry=r,
        )
        self.database_up = Gauge(
            "feedback_database_up", "1 when the database answered the last check", registry=r
        )
        self.backups_made = Gauge("feedback_backups", "Backups kept", registry=r)
        self.backup_age = Gauge(
            "feedback_backup_age_seconds", "Age of the newest backup", registry=r
        )

    def turn(self, channel: str, seconds: float, failed: bool) -> None:
        """One update worked out (or failed: the channel apologises)."""
        self.updates.labels(channel).inc()
        self.turns.labels(channel).observe(step_of(seconds))
        if failed:
            self.apologies.labels(channel).inc()

    def request(self, route: str, status: int) -> None:
        self.requests.labels(route, f"{status // 100}xx").inc()

    def job(self, name: str, failed: bool) -> None:
        self.jobs.labels(name).inc()
        if failed:
            self.job_failures.labels(name).inc()

    async def scrape(self, database_up: bool) -> bytes:
        """The text Prometheus reads; the box and backups are read now, not kept."""
        self.database_up.set(1 if database_up else 0)
        if database_up:
            try:
                self.overdue.set(1 if await self._box_overdue() else 0)
            except Exception as error:  # the database went between the two questions
                log.warning("the ballot box could not be read for /metrics: %s", error)
        await self._read_backups()
        return generate_latest(self.registry)

    async def _read_backups(self) -> None:
        if self._backups is None:
            return
        state = await self._backups()
        self.backups_made.set(state.made if state else 0)
        newest = state.newest if state else None
        age = self._clock() - newest.timestamp() if newest else float("inf")
        self.backup_age.set(max(age, 0.0))


def backups_in(folder: Path) -> BackupReader:
    """The backups ``BACKUP_DIR`` holds (``bot.application.backup``'s names) and the newest's
    time, read at scrape time: what the scheduled backup left, whichever process made it."""
    from bot.application.backup import NAME

    async def read() -> Backups | None:
        if not folder.is_dir():
            return None
        found = [p for p in folder.iterdir() if NAME.fullmatch(p.name)]
        if not found:
            return Backups(0, None)
        newest = max(p.stat().st_mtime for p in found)
        return Backups(len(found), datetime.fromtimestamp(newest, UTC))

    return read


def step_of(seconds: float) -> float:
    """The upper bound of the step ``seconds`` falls in (twice the last step past it: an
    infinite one would make the sum infinite for good)."""
    index = bisect.bisect_left(TURN_STEPS, seconds)
    return TURN_STEPS[index] if index < len(TURN_STEPS) else 2 * TURN_STEPS[-1]


def watch_router(router: Any, metrics: Metrics) -> None:
    """Counts and times every update the router works out, whichever channel sent it: the
    one door all channels go through, so no channel needs to know about metrics. A failure
    is counted and passed on unchanged (the channel apologises and logs it)."""
    handle = router.handle

    async def timed(incoming: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        failed = True
        try:
            outcome = await handle(incoming, *args, **kwargs)
            failed = False
            return outcome
        finally:
            if not SERVING_A_PAGE.get():
                metrics.turn(str(incoming.sender.channel), time.monotonic() - started, failed)

    router.handle = timed
