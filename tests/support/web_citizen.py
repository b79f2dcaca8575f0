"""A citizen in a web browser without a browser: forms read from the page and posted back,
the cookie kept, as an old phone's browser with no JavaScript would."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import aiohttp

BUTTON = re.compile(r'<button type="submit"[^>]*name="b" value="([^"]*)">([^<]*)</button>')
CSRF = re.compile(r'name="csrf" value="([^"]*)"')
START = re.compile(r'name="start" value="([^"]*)"')
ACTION = re.compile(r'<form method="post" action="([^"]*)"')
AT = re.compile(r'name="at" value="([^"]*)"')
"""The question a page's form answers, as a browser posts it back."""


def browser(**options: object) -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1 too, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), **options)


@dataclass
class WebCitizen:
    base: str
    http: aiohttp.ClientSession
    page: str = ""
    status: int = 0
    pages: list[str] = field(default_factory=list)

    async def open(self, path: str = "") -> str:
        async with self.http.get(self.base.rstrip("/") + "/" + path.lstrip("/")) as response:
            return await self._read(response)

    async def _read(self, response: aiohttp.ClientResponse) -> str:
        self.status = response.status
        self.page = await response.text()
        self.pages.append(self.page)
        return self.page

    def buttons(self) -> dict[str, str]:
        return {
            html.unescape(label): html.unescape(value) for value, label in BUTTON.findall(self.page)
        }

    async def post(self, fields: dict[str, str], action: str | None = None) -> str:
        data = {"csrf": html.unescape(CSRF.search(self.page)[1]), **fields}
        start = START.search(self.page)
        if start is not None and "start" not in fields and "stop" not in fields:
            data["start"] = html.unescape(start[1])
        at = AT.search(self.page)
        if at is not None and "stop" not in fields:
            data["at"] = html.unescape(at[1])
        target = action or html.unescape(ACTION.search(self.page)[1])
        async with self.http.post(self.base.rstrip("/") + target, data=data) as response:
            return await self._read(response)

    async def press(self, label_start: str) -> str:
        for label, value in self.buttons().items():
            if label.startswith(label_start):
                fields = {"b": value}
                if value == "start":
                    fields = {"b": value, "start": html.unescape(START.search(self.page)[1])}
                return await self.post(fields)
        raise AssertionError(f"no button {label_start!r} in {list(self.buttons())}")

    async def write(self, text: str) -> str:
        return await self.post({"text": text, "send": "1"})

    async def stop(self) -> str:
        return await self.post({"stop": "1"}, action="/")
