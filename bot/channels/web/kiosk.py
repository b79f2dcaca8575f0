"""A municipality's own front-desk tablet: registered by staff, exempt from per-address limits.

Every citizen at the front desk sends from the town hall's one address, so the limits meant
for a script would turn them away. Staff run ``feedback-bot kiosk add``, which prints a
one-use link; opening it on the tablet (and pressing the button: a link preview must not use
it up) gives the tablet a long-lived cookie with a random token. Only keyed hashes of the
link and of the token are stored (``storage.kiosks``), signed for one municipality, so a
kiosk of one municipality is nobody special to another's pages; ``kiosk remove`` ends it.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request

from bot.channels.web.session import PART, cookie_values
from bot.dialogue.store import UnitOfWorkFactory
from bot.questionnaire.identity import Keyer

COOKIE = "feedback_kiosk"
LIFETIME = 400 * 86400
"""The longest a browser keeps a cookie (Chrome's cap); each use sets it again."""


def kiosk_path(scope: str | None, code: str) -> str:
    """Where the one-use link opens: the home municipality's ``/kiosk/<code>``, another's
    ``/m/<municipality>/kiosk/<code>``."""
    return f"/kiosk/{code}" if scope is None else f"/m/{scope}/kiosk/{code}"


def new_link(keyer: Keyer, scope: str | None) -> tuple[str, str]:
    """A one-use code for a new kiosk's link, and the keyed hash that is stored of it."""
    code = secrets.token_urlsafe(24)
    return code, link_hash(keyer, scope, code)


def link_hash(keyer: Keyer, scope: str | None, code: str) -> str:
    return keyer.sign("kiosk-link", scope, code)


def token_hash(keyer: Keyer, scope: str | None, token: str) -> str:
    return keyer.sign("kiosk-token", scope, token)


class Kiosks:
    """Which requests come from one of this municipality's kiosks."""

    def __init__(self, keyer: Keyer, scope: str | None, units: UnitOfWorkFactory) -> None:
        self.keyer = keyer
        self.scope = scope
        self.units = units

    async def token_of(self, request: Request) -> str | None:
        """The token of a kiosk this municipality knows (and staff did not remove), from
        the request's cookie; ``None`` for any other browser."""
        for token in cookie_values(request.headers.get("cookie", ""), COOKIE):
            if not token or len(token) > 64 or not PART.fullmatch(token):
                continue
            async with self.units() as uow:
                if await uow.kiosks.known(token_hash(self.keyer, self.scope, token)):
                    return token
        return None

    async def enrol(self, code: str) -> str | None:
        """Uses the link up and returns the new token for the tablet's cookie; ``None``
        when the link is unknown, used already, or another municipality's."""
        if not PART.fullmatch(code) or len(code) > 64:
            return None
        token = secrets.token_urlsafe(32)
        async with self.units() as uow:
            done = await uow.kiosks.enrol(
                link_hash(self.keyer, self.scope, code), token_hash(self.keyer, self.scope, token)
            )
            await uow.commit()
        return token if done else None
