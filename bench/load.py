"""Shared by the load benchmarks: a fake Bot API that tells waiting citizens when their
reply came, simulated citizens, and a bot process whose CPU and memory can be read."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.citizen import Citizen  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.flows import STEPS  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
WEBHOOK_CONNECTIONS = 40
"""Updates in flight to a webhook at once: Telegram's default ``max_connections``."""


def make_token() -> str:
    return f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}"


class LoadApi(FakeBotApi):
    """Wakes the citizen whose chat got a message with buttons (the next question).

    In webhook mode updates are POSTed to ``webhook_targets`` on one kept-open HTTP session
    (the test server's fresh session per update would cost the load more than the bot), at
    most ``WEBHOOK_CONNECTIONS`` at once, as Telegram does."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._http: aiohttp.ClientSession | None = None
        self._connections = asyncio.Semaphore(WEBHOOK_CONNECTIONS)

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        await super().stop()

    async def _post_to_webhook(self, update: dict[str, Any], attempts: int = 5) -> None:
        if self._http is None:
            connector = aiohttp.TCPConnector(limit=0)
            self._http = aiohttp.ClientSession(connector=connector)
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
        async with (
            self._connections,
            self._http.post(self.webhook_targets[0], json=update, headers=headers) as answer,
        ):
            if answer.status != 200:
                raise RuntimeError(f"the webhook answered {answer.status}")

    async def _sendMessage(self, params: dict[str, Any]) -> Any:
        response = await super()._sendMessage(params)
        waiter = self.waiting.get(params["chat_id"])
        if params.get("reply_markup") and waiter is not None and not waiter.done():
            waiter.set_result(self.messages[(params["chat_id"], self._next_message_id)])
        return response


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    log_path: Path | None = None

    @classmethod
    def start(cls, command: Sequence[str], env: dict[str, str], cwd: Path) -> BotProcess:
        """Its log goes to a file in ``cwd`` (a pipe nobody reads would stop a bot that
        logs a lot); ``log()`` reads it."""
        full_env = {**os.environ, **env, "NO_PROXY": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}
        log_file = tempfile.NamedTemporaryFile  # kept on disk until the folder goes
        with log_file(dir=cwd, prefix="bot-", suffix=".log", delete=False) as log:
            process = subprocess.Popen(
                list(command), env=full_env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log
            )
        return cls(process, Path(log.name))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def readiness(api: FakeBotApi, webhook: bool = False) -> int:
    """How many times a bot said it is ready so far (pass to ``wait_for_polling``)."""
    ready = "setWebhook" if webhook else "deleteWebhook"
    return sum(call.method == ready for call in api.calls)


async def wait_for_polling(
    api: FakeBotApi, bot: BotProcess, before: int, webhook: bool = False
) -> None:
    """Until the bot polls (or, ``webhook``, has set its webhook) once more than ``before``."""
    for _ in range(3000):
        if readiness(api, webhook) > before:
            await asyncio.sleep(0.2)
            return
        if bot.process.poll() is not None:
            raise RuntimeError(bot.log())
        await asyncio.sleep(0.02)
    raise TimeoutError("the bot did not start polling")


@dataclass
class Load:
    """What one run measured."""

    updates: int = 0
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0

    @property
    def per_second(self) -> float:
        return self.updates / self.wall if self.wall else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


class SimulatedCitizen(Citizen):
    """Answers the whole questionnaire, timing each answer until the next question arrives."""

    async def exchange(self, api: LoadApi, update: dict[str, Any], load: Load) -> None:
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        api.waiting[self.chat_id] = waiter
        started = time.perf_counter()
        await api.push(update)
        message = await asyncio.wait_for(waiter, 120)
        load.latencies.append(time.perf_counter() - started)
        load.updates += 1
        self.received.append(message)

    def step(self, index: int, echo: bool) -> dict[str, Any]:
        kind, value = STEPS[index]
        if kind == "send":
            return self.message_update(text=value)
        message = self.received[-1]
        if echo:
            return self.callback_update("x", message)
        [data] = [data for text, data in self.buttons(message).items() if value in text]
        return self.callback_update(data, message)

    async def complete(self, api: LoadApi, load: Load, echo: bool, pause: float = 0.0) -> None:
        await self.exchange(api, self.message_update(text="/start"), load)
        for index in range(len(STEPS)):
            await asyncio.sleep(pause)
            await self.exchange(api, self.step(index, echo), load)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "—"
