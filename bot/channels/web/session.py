"""Who a browser is, without knowing who they are: a cookie the server signs, and its CSRF
token (what one address may ask is in ``limits``).

The server issues every session and signs it with the feedback secret, for one municipality
(``scope``: the home one's is ``None``) and for one purpose; a value it did not sign, or
signed for another municipality, is no session at all and is replaced. A session holds two
random values: the browser's (its HMAC counts the daily limit, as a Telegram user id's
does) and the questionnaire's (its HMAC keys the draft). The questionnaire's is new
whenever a questionnaire begins and after one is sent or stopped, so a cookie someone
obtained and planted in another's browser is never the one that person's draft is keyed
with (see ``WebChannel.answer``). The values themselves are never stored or logged.

A session handed over from Messenger (see ``handoff``) carries an opaque HMAC of the
person's page-scoped id instead of the browser's value, so the web page continues the
draft the chat opened; a questionnaire begun on the page later gets its own value too.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from http.cookies import _unquote

from bot.questionnaire.identity import Keyer

COOKIE = "feedback_session"
TRIED = 4
"""Session values tried from one header: a browser sends one per path it was set for (the
home municipality's and this one's), never more than a couple."""
WEB, MESSENGER = "web", "messenger"
KINDS = {"w": WEB, "m": MESSENGER}
MAC = 43
"""Characters of a signature kept (of 64 hexadecimal: 172 bits)."""
PART = re.compile(r"[A-Za-z0-9_-]*")
"""What a session's values are made of (``secrets.token_urlsafe``, hexadecimal handles)."""


@dataclass(frozen=True)
class Session:
    cookie: str
    """The cookie's value, exactly as the browser sends it back."""
    channel: str
    user: str
    """Whom the daily limit counts: the browser's random value (web) or the Messenger
    handle."""
    draft: str | None = None
    """What keys the draft: the questionnaire's random value; ``None`` for the Messenger
    handle itself (the draft the chat opened)."""
    language: str = ""
    """The language the citizen chose on a page, for the pages around the questionnaire
    (the welcome, a refusal) once no draft holds it; empty before a choice."""


class Sessions:
    """The sessions of one municipality's web page (``scope``, as ``Needs.scope``)."""

    def __init__(self, keyer: Keyer, scope: str | None = None) -> None:
        self.keyer = keyer
        self.scope = scope

    def new(self) -> Session:
        """A browser's first session (or one that replaces a value the server refuses)."""
        return self._issue("w", _random(), _random())

    def renewed(self, session: Session) -> Session:
        """The same browser (or Messenger person), a new questionnaire's value: whatever
        was keyed by the old one stays behind it (the language chosen stays)."""
        kind = "m" if session.channel == MESSENGER else "w"
        return self._issue(kind, session.user, _random(), session.language)

    def speaking(self, session: Session, language: str) -> Session:
        """The same session, remembering the language chosen on a page."""
        kind = "m" if session.channel == MESSENGER else "w"
        return self._issue(kind, session.user, session.draft or "", language)

    def for_messenger(self, handle: str) -> Session:
        """The session a Messenger hand-off gives: the chat's draft, under the handle."""
        return self._issue("m", handle, "")

    def read(self, value: str | None) -> Session | None:
        """The session a cookie stands for; ``None`` for a missing, forged or foreign one."""
        if not value or len(value) > 300:
            return None
        parts = value.split(".")
        if len(parts) == 4:  # no language chosen
            parts.insert(3, "")
        if len(parts) != 5 or parts[0] not in KINDS:
            return None
        kind, user, draft, language, mac = parts
        if not user or not all(PART.fullmatch(part) for part in (user, draft, language, mac)):
            return None
        if kind == "w" and not draft:
            return None
        if not hmac.compare_digest(mac, self._mac(kind, user, draft, language)):
            return None
        return Session(value, KINDS[kind], user, draft or None, language)

    def from_header(self, header: str | None) -> Session | None:
        """The first valid session among the ``COOKIE`` values of a ``Cookie`` header.

        A browser sends one value for each path the cookie was set for: the home
        municipality's (``/``) comes along to every other's (``/m/<code>/``), most
        specific first; the first ``TRIED`` are tried (a header stuffed with values costs
        no more), and only one signed for this municipality counts."""
        for value in cookie_values(header or "", COOKIE)[:TRIED]:
            session = self.read(value)
            if session is not None:
                return session
        return None

    def csrf(self, session: Session) -> str:
        """Every form carries this; a page from another site cannot know it."""
        return self.keyer.sign("web-csrf", self.scope, session.cookie)[:MAC]

    def csrf_valid(self, session: Session, given: str) -> bool:
        return hmac.compare_digest(self.csrf(session), given)

    def _issue(self, kind: str, user: str, draft: str, language: str = "") -> Session:
        said = f".{language}" if language else ""
        value = f"{kind}.{user}.{draft}{said}.{self._mac(kind, user, draft, language)}"
        return Session(value, KINDS[kind], user, draft or None, language)

    def _mac(self, kind: str, user: str, draft: str, language: str = "") -> str:
        said = f".{language}" if language else ""
        return self.keyer.sign("web-session", self.scope, f"{kind}.{user}.{draft}{said}")[:MAC]


def _random() -> str:
    return secrets.token_urlsafe(32)


def cookie_values(header: str, name: str) -> list[str]:
    """Every value of the cookie ``name`` in a ``Cookie`` header, in the order sent
    (``request.cookies`` keeps only the last of several)."""
    found = []
    for chunk in header.split(";"):
        key, equals, value = chunk.partition("=")
        if equals and key.strip() == name:
            found.append(_unquote(value.strip()))
    return found


def handle_for(keyer: Keyer, psid: str) -> str:
    """The Messenger person as the web knows them: an HMAC of the page-scoped id, the same
    every time (so the daily limit and the draft carry over), never the id itself."""
    return keyer.update_key("web/messenger", psid)[:40]


def handoff(
    keyer: Keyer, handle: str, lifetime: int, *, scope: str | None, now: float | None = None
) -> str:
    """A link token for Messenger's in-app browser: the handle and an expiry, signed for the
    municipality whose page sent it (``scope``); no other municipality's page takes it."""
    expires = int((now if now is not None else time.time()) + lifetime)
    body = f"{handle}.{expires}"
    token = f"{body}.{keyer.sign('web-handoff', scope, body)[:MAC]}"
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def handoff_path(scope: str | None, token: str) -> str:
    """Where Messenger's button opens the web page: the home municipality's at
    ``/m/<token>`` (as before), another's at ``/m/<code>/h/<token>``."""
    return f"/m/{token}" if scope is None else f"/m/{scope}/h/{token}"


def read_handoff(
    keyer: Keyer, token: str, *, scope: str | None, now: float | None = None
) -> str | None:
    """The handle in a valid, unexpired token signed for this municipality; ``None``
    otherwise (forged, expired, or another municipality's)."""
    try:
        padded = token + "=" * (-len(token) % 4)
        handle, expires, mac = base64.urlsafe_b64decode(padded).decode().split(".")
    except (ValueError, UnicodeDecodeError):
        return None
    body = f"{handle}.{expires}"
    if not (PART.fullmatch(handle) and PART.fullmatch(mac)):
        return None
    if not hmac.compare_digest(mac, keyer.sign("web-handoff", scope, body)[:MAC]):
        return None
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return None
    return handle
