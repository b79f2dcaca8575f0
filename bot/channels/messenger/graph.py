"""The Graph Send API, with Meta's own advice on which failures are worth a retry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.wait import WaitBaseT

from bot.channels.tls import shared_context

log = logging.getLogger(__name__)

RETRY_CODES = frozenset({2, 613, 1200})
"""Temporary downtime, rate limit ("calls to this api have exceeded the rate limit"),
temporary send failure."""
OUTSIDE_WINDOW = (10, 2018278)
UNAVAILABLE = 551


@dataclass(frozen=True)
class GraphError(Exception):
    status: int
    code: int | None = None
    subcode: int | None = None

    @property
    def transient(self) -> bool:
        return self.status >= 500 or self.code in RETRY_CODES

    @property
    def outside_window(self) -> bool:
        """The person last wrote more than 24 hours ago: the page may not write first."""
        return (self.code, self.subcode) == OUTSIDE_WINDOW

    @property
    def unavailable(self) -> bool:
        """The person blocked the page, left Messenger, or cannot be written to."""
        return self.code == UNAVAILABLE

    def __str__(self) -> str:
        return f"Graph API error {self.code}/{self.subcode} (HTTP {self.status})"


def _worth_retrying(error: BaseException) -> bool:
    if isinstance(error, GraphError):
        return error.transient
    return isinstance(error, httpx.TimeoutException | httpx.TransportError)


class GraphClient:
    """Sends messages as the page. The token travels in a header, never in a URL a log
    line could show."""

    def __init__(
        self,
        base_url: str,
        page_token: str,
        *,
        attempts: int = 5,
        wait: WaitBaseT | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {page_token}"},
            timeout=timeout,
            verify=shared_context(),
        )
        self._attempts = attempts
        self._wait = wait or wait_random_exponential(multiplier=0.5, max=8)

    async def send(
        self, recipient: str, message: dict[str, Any], messaging_type: str = "RESPONSE"
    ) -> None:
        body = {
            "recipient": {"id": recipient},
            "messaging_type": messaging_type,
            "message": message,
        }
        await self._post("me/messages", body)

    async def set_profile(self, profile: dict[str, Any]) -> None:
        """The Get Started button, the menu and the greeting of the page's chat."""
        await self._post("me/messenger_profile", profile)

    async def _post(self, path: str, body: dict[str, Any]) -> None:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(_worth_retrying),
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            reraise=True,
            before_sleep=before_sleep_log(log, logging.INFO),
        ):
            with attempt:
                await self._post_once(path, body)

    async def _post_once(self, path: str, body: dict[str, Any]) -> None:
        response = await self._http.post(path, json=body)
        if response.is_success:
            return
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        raise GraphError(response.status_code, error.get("code"), error.get("error_subcode"))

    async def close(self) -> None:
        await self._http.aclose()
