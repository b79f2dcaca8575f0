"""What a posted answer has to say, carried across its redirect: "this number is out of
range", "your personal details were left out", the thanks after sending.

An answer is answered with a redirect (``positions``), so what the turn said besides the
next question rides along in a short-lived cookie the server signs, read and cleared by the
page that follows. It holds only the bot's own sentences, never what the citizen typed, and
nothing that tells one browser from another.
"""

from __future__ import annotations

import base64
import hmac
import json

from bot.questionnaire.identity import Keyer

COOKIE = "feedback_notice"
LIFETIME = 120
"""Seconds: the redirect is followed at once; a notice never outlives its page."""
MAX = 3000
"""Bytes of a cookie's value at most (browsers keep 4,096 a cookie)."""
MAC = 32


class Notices:
    """The notices of one municipality's pages (``scope``)."""

    def __init__(self, keyer: Keyer, scope: str | None) -> None:
        self.keyer = keyer
        self.scope = scope

    def pack(
        self, texts: list[str], main: str | None = None, language: str | None = None
    ) -> str | None:
        """The cookie's value: the notices, and the page's own text when the page has no
        place to be asked again from (the thanks, with the language it is in). ``None``
        when too long to carry."""
        body = json.dumps({"n": texts, "m": main, "l": language}, ensure_ascii=False).encode()
        value = base64.urlsafe_b64encode(body).decode().rstrip("=")
        value = f"{value}.{self._mac(value)}"
        return value if len(value) <= MAX else None

    def unpack(self, value: str | None) -> tuple[list[str], str | None]:
        """The notices and the main text a cookie carries; nothing for a forged one."""
        texts, main, _ = self.read(value)
        return texts, main

    def read(self, value: str | None) -> tuple[list[str], str | None, str | None]:
        """The notices, the main text and its language; nothing for a forged cookie."""
        if not value or "." not in value or len(value) > MAX:
            return [], None, None
        body, mac = value.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return [], None, None
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except ValueError:
            return [], None, None
        texts = [t for t in data.get("n", []) if isinstance(t, str)]
        main, language = data.get("m"), data.get("l")
        main = main if isinstance(main, str) else None
        return texts, main, language if isinstance(language, str) else None

    def _mac(self, body: str) -> str:
        return self.keyer.sign("web-notice", self.scope, body)[:MAC]
