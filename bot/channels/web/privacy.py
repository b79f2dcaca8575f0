"""``/privacy`` (another municipality's: ``/m/<code>/privacy``): the privacy notice, the same
words the chat's ``/privacy`` command sends (``privacy_notice``), as a page of its own.

It reads no cookie and writes none, keeps nothing and logs nothing: anyone may read it
before deciding to answer, and reading it leaves no trace. ``?lang=ru`` shows it in another
of the municipality's languages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.channels.web.pages import HEADERS
from bot.questionnaire.i18n import Locale

TEMPLATES = Path(__file__).parent / "templates"
PATH = "/privacy"


def privacy_route(
    prefix: str,
    locale_of: Callable[[str | None], Locale],
    languages: Sequence[str],
    municipality: str,
) -> Route:
    """The page at ``prefix + /privacy``, in each of ``languages``."""
    template = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    ).get_template("privacy.html.j2")

    async def show(request: Request) -> Response:
        asked = request.query_params.get("lang")
        language = asked if asked in languages else None
        locale = locale_of(language)
        heading, *rest = locale.t("privacy_notice").split("\n\n")
        items = [line.lstrip("• ").strip() for line in rest[0].splitlines()] if rest else []
        html = template.render(
            language=locale.t("web.language"),
            municipality=municipality,
            heading=heading,
            items=items,
            closing=rest[1:],
            home=f"{prefix}/",
            back=locale.t("web.back"),
        )
        return HTMLResponse(html, headers=HEADERS)

    return Route(prefix + PATH, show, methods=["GET"])
