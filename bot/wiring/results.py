"""Each municipality's results pages (``bot.application.results``) as routes of the one
HTTP server, beside its web questionnaire (``/results``, ``/m/<code>/results``)."""

from __future__ import annotations

import weakref
from functools import partial
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from bot.application.changes import Changes
from bot.application.results import Results
from bot.channels.web.results.routes import results_routes

if TYPE_CHECKING:
    from bot.wiring.bootstrap import Runtime


_MADE: dict[int, Results] = {}
"""Each running municipality's one ``Results`` (by ``id`` of its Runtime, dropped with it):
its pages and the scheduled warm-up share the figures it keeps."""


def results_for(place: Runtime) -> Results:
    """The municipality's results pages, its reports and its "what we changed" entries."""
    made = _MADE.get(id(place))
    if made is not None:
        return made
    scope = place.municipality.scope
    prefix = "" if scope is None else f"/m/{scope}"
    made = Results(
        place.reports,
        changes_of(place),
        place.router.locale_of,
        base=prefix + "/results",
        home=prefix + "/",
        patience=place.settings.results_wait_seconds,
    )
    _MADE[id(place)] = made
    weakref.finalize(place, _MADE.pop, id(place), None)
    return made


def warm(place: Runtime) -> None:
    """Works out the results pages' figures in the background when some are not kept (the
    scheduled tick: at the start, and the minute after a quarter has ended)."""
    if place.settings.web_enabled:
        results_for(place).warm()


def changes_of(place: Runtime) -> Changes:
    return Changes(partial(place.database.transaction, place.code), place.today)


def routes_for(place: Runtime) -> list[BaseRoute]:
    """Served where the web questionnaire is (``WEB_ENABLED``): the same pages' server."""
    if not place.settings.web_enabled:
        return []
    scope = place.municipality.scope
    prefix = "" if scope is None else f"/m/{scope}"
    settings = place.settings
    public = settings.web_base_url or f"http://{settings.webhook_host}:{settings.webhook_port}"
    return list(results_routes(prefix, results_for(place), public))


async def stop_warming(place: Runtime) -> None:
    made = _MADE.get(id(place))
    if made is not None:
        await made.stop()
