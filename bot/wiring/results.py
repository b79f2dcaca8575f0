"""Each municipality's results pages (``bot.application.results``) as routes of the one
HTTP server, beside its web questionnaire (``/results``, ``/m/<code>/results``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute

from bot.application.changes import Changes
from bot.application.results import Results
from bot.channels.web.results.routes import results_routes

if TYPE_CHECKING:
    from bot.wiring.bootstrap import Runtime


def results_for(place: Runtime) -> Results:
    """The municipality's results pages, its reports and its "what we changed" entries."""
    scope = place.municipality.scope
    prefix = "" if scope is None else f"/m/{scope}"
    return Results(
        place.reports,
        changes_of(place),
        place.router.locale_of,
        base=prefix + "/results",
        home=prefix + "/",
    )


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
