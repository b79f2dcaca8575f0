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
import time
from collections.abc import Callable
from datetime import date

from starlette.requests import Request

from bot.channels.web.session import PART, cookie_values
from bot.dialogue.store import UnitOfWorkFactory
from bot.questionnaire.identity import Keyer

COOKIE = "feedback_kiosk"
LIFETIME = 400 * 86400
"""The longest a browser keeps a cookie (Chrome's cap). It is set once, at enrolment: after
400 days staff add the tablet again."""
FORMS_PER_HOUR = 20
"""Forms one kiosk may send in an hour: a front desk serves a person every few minutes at
best, so a stolen kiosk cookie buys a script no more than a busy desk."""
IDLE = 600
"""Seconds a kiosk's questionnaire may lie untouched: then the tablet starts afresh for the
next person, and the abandoned draft is deleted (nobody finds another's answers open)."""
SEEN = "feedback_kiosk_seen"
"""The tablet's own cookie of when it was last used (signed; never sent to the database)."""
KNOWN_FOR = 10.0
"""Seconds a kiosk token found in the database is believed without asking again, for the
page-view guard only; a send always asks (a removed kiosk sends no more at once)."""


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

    def __init__(
        self,
        keyer: Keyer,
        scope: str | None,
        units: UnitOfWorkFactory,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keyer = keyer
        self.scope = scope
        self.units = units
        self.clock = clock
        self._known: dict[str, float] = {}
        """Token hash -> when it was last found in the database."""

    async def token_of(self, request: Request, fresh: bool = True) -> str | None:
        """The token of a kiosk this municipality knows (and staff did not remove), from
        the request's cookie; ``None`` for any other browser. Only the first well-formed
        value is tried (a tablet has one), so a header stuffed with values costs one look
        at most; without ``fresh``, a token found in the last ``KNOWN_FOR`` seconds is
        believed without a query."""
        token = next(
            (
                value
                for value in cookie_values(request.headers.get("cookie", ""), COOKIE)
                if value and len(value) <= 64 and PART.fullmatch(value)
            ),
            None,
        )
        if token is None:
            return None
        hashed = token_hash(self.keyer, self.scope, token)
        now = self.clock()
        if not fresh and now - self._known.get(hashed, -KNOWN_FOR) < KNOWN_FOR:
            return token
        async with self.units() as uow:
            known = await uow.kiosks.known(hashed)
        if not known:
            self._known.pop(hashed, None)
            return None
        if len(self._known) >= 1000:  # a municipality has a few kiosks
            self._known.clear()
        self._known[hashed] = now
        return token

    def seen(self, now: float) -> str:
        """The value of ``SEEN`` for a page shown at ``now`` (seconds since the epoch)."""
        moment = str(int(now))
        return f"{moment}.{self.keyer.sign('kiosk-seen', self.scope, moment)[:22]}"

    def idle(self, request: Request, now: float) -> bool:
        """The tablet's questionnaire lay untouched for ``IDLE`` (or its ``SEEN`` is gone
        or not the server's): whatever is open belongs to someone who walked away."""
        values = cookie_values(request.headers.get("cookie", ""), SEEN)
        moment, _, _mac = (values[0] if values else "").partition(".")
        if not moment.isdigit() or values[0] != self.seen(int(moment)):
            return True
        return now - int(moment) > IDLE

    async def count_sent(self, token: str, week_of: date) -> None:
        """One more form from this kiosk this week, for ``kiosk list``: after the form's
        commit, in a transaction of its own."""
        async with self.units() as uow:
            await uow.kiosks.count_sent(token_hash(self.keyer, self.scope, token), week_of)
            await uow.commit()

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
