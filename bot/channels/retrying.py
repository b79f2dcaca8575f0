"""Bot API calls that ride out a flaky network: 5xx answers and timeouts are tried again.

429s are not handled here: the rate limiter waits the ``retry_after`` Telegram asks for.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, TimedOut
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 5
FIRST_PAUSE = 0.5


def transient(error: BaseException) -> bool:
    """A 5xx, a dropped connection or a timeout; a refused request (400) is final."""
    return isinstance(error, NetworkError | TimedOut) and not isinstance(error, BadRequest)


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    """The call, tried again through passing trouble. Tenacity is entered only after a
    first failure: almost every call succeeds at once, and that path should cost nothing."""
    try:
        return await call()
    except Exception as error:
        if not transient(error):
            raise
        log.info("a Bot API call failed (%s); trying again", type(error).__name__)
    await asyncio.sleep(random.uniform(0, FIRST_PAUSE))  # as tenacity's first wait below
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(ATTEMPTS - 1),
        wait=wait_random_exponential(multiplier=0.25, max=4),
        before_sleep=before_sleep_log(log, logging.INFO),
        reraise=True,
    ):
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity re-raises the last error")
