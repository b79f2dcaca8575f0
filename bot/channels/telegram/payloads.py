"""Bot API calls with a JSON body instead of a form.

python-telegram-bot posts a call's parameters as a form, and percent-encoding a form takes
Python one step for every byte of its text: a Georgian letter is three bytes, and a question
with its keyboard a few kilobytes, so the encoding cost more than anything else our bot did
for a message. The Bot API takes the same parameters as ``application/json`` (every call
but a file upload), which the standard library's C encoder writes at a fraction of that
cost. Calls with files still go as python-telegram-bot sends them (multipart).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT, "Content-Type": "application/json"}
UNSET = type(BaseRequest.DEFAULT_NONE)
"""A timeout the caller left to the client's default."""


class RawJson(str):
    """A parameter already written as JSON (a keyboard, serialised once): it goes into the
    body as the object it is, not as a string. Sent as a form it is the string Telegram
    expects there."""

    __slots__ = ()


def json_body(parameters: Mapping[str, object]) -> bytes:
    parts = [
        f"{json.dumps(name)}:{value if isinstance(value, RawJson) else json.dumps(value)}"
        for name, value in parameters.items()
    ]
    return ("{" + ",".join(parts) + "}").encode()


class JsonRequest(HTTPXRequest):
    """python-telegram-bot's own client (its pool, timeouts and error mapping), posting JSON."""

    async def do_request(  # the signature python-telegram-bot calls
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        if request_data is None or request_data.contains_files:
            return await super().do_request(url, method, request_data, *timeouts)  # type: ignore[arg-type]
        client = self._client  # python-telegram-bot's, as its own do_request uses it
        default = client.timeout
        defaults = (default.read, default.write, default.connect, default.pool)
        read, write, connect, pool = (
            fallback if isinstance(given, UNSET) else given
            for given, fallback in zip(timeouts, defaults, strict=True)
        )
        timeout = httpx.Timeout(connect=connect, read=read, write=write, pool=pool)  # type: ignore[arg-type]
        try:
            response = await client.request(
                method=method,
                url=url,
                headers=HEADERS,
                timeout=timeout,
                content=json_body(request_data.parameters),
            )
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.PoolTimeout):
                raise TimedOut("Pool timeout: the connection pool is full") from error
            raise TimedOut from error
        except httpx.HTTPError as error:
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content
