"""What an operator watches: /healthz asks the database, /metrics tells nothing of a citizen."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request

from bot.common.once_a_minute import OnceAMinute
from bot.config.settings import Settings
from bot.entry.runner import serve
from bot.wiring.bootstrap import build_runtime
from bot.wiring.metrics_http import Health
from tests.conftest import free_port
from tests.support.citizen import Citizen
from tests.support.flows import NEED, SUGGESTION, answer_up_to_summary
from tests.support.web_citizen import WebCitizen, browser

TOKEN = "t0ken-for-the-scraper"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def metrics_on(web_env: dict[str, str]) -> dict[str, str]:
    """Metrics on, with a token; forms wait in the box (five to a batch), as in production."""
    web_env |= {"METRICS": "true", "METRICS_TOKEN": TOKEN, "BALLOT_BOX_SIZE": "5"}
    return web_env


async def scrape(http: aiohttp.ClientSession, url: str) -> tuple[str, Samples]:
    async with http.get(url + "metrics") as response:
        assert response.status == 200
        text = await response.text()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return text, samples


def moved(before: Samples, after: Samples) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """What changed, with a turn's duration left out but its count (the coarse steps a turn
    falls in may differ on a loaded machine: what matters is that no figure is new)."""
    changes = {}
    for key, value in after.items():
        name = key[0]
        if name.startswith("feedback_turn_seconds") and not name.endswith("_count"):
            continue
        if value != before.get(key, 0.0):
            changes[key] = value - before.get(key, 0.0)
    return changes


async def answers_with(http: aiohttp.ClientSession, url: str, status: int) -> bool:
    """Whether /healthz answers ``status`` within a minute (an answer is reused for a
    second, so the change shows within about one)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        async with http.get(url) as response:
            if response.status == status:
                return True
        await asyncio.sleep(0.2)
    return False


@pytest.mark.both_databases
async def test_healthz_is_503_while_the_database_is_gone_and_200_again_after(
    web_bot, database_kind, database_path: Path, request, caplog
):
    caplog.set_level(logging.WARNING)
    async with aiohttp.ClientSession() as http:
        async with http.get(web_bot.url + "healthz") as response:
            assert response.status == 200
        if database_kind == "sqlite":
            folder = database_path.parent
            moved_away = folder.rename(folder.with_name(folder.name + "-away"))
        else:
            server = request.getfixturevalue("postgres_server")
            server.stop()
        try:
            assert await answers_with(http, web_bot.url + "healthz", 503)
            for _ in range(3):
                async with http.get(web_bot.url + "healthz") as response:
                    assert response.status == 503
        finally:
            if database_kind == "sqlite":
                moved_away.rename(folder)
            else:
                server.start()
        assert await answers_with(http, web_bot.url + "healthz", 200)
    said = [r for r in caplog.records if "did not answer" in r.getMessage()]
    assert len(said) == 1, "one line a minute, however often the balancer asks"


async def test_pages_stay_served_when_the_database_fails_just_as_the_bot_starts(
    web_env, clock, caplog
):
    """The pages are served before the ballot box is checked at start: a database that stops
    answering in that moment (seen in CI under load) once stopped the whole bot."""
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in web_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    checked = asyncio.Event()

    async def database_gone() -> None:
        checked.set()
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    runtime.mix_if_due = database_gone  # type: ignore[method-assign]
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    try:
        await asyncio.wait_for(checked.wait(), 60)
        url = f"http://127.0.0.1:{settings.webhook_port}/healthz"
        async with aiohttp.ClientSession() as http:
            assert await answers_with(http, url, 200)
    finally:
        stop.set()
        await serving  # ends as asked, not with the database's error
        await runtime.close()
    assert any("not checked at start" in r.getMessage() for r in caplog.records)


async def test_metrics_name_no_citizen_and_sending_moves_nothing_an_answer_does_not(
    metrics_on, web_bot
):
    async with browser() as http, aiohttp.ClientSession() as scraper:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.press("▶️")
        for label in ("ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
            await citizen.press(label)
        for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ"):
            await citizen.press(label)
        _, before_answer = await scrape(scraper, web_bot.url)
        await citizen.press("დიახ")  # a press, as "send" is one
        _, after_press = await scrape(scraper, web_bot.url)
        await citizen.write(NEED)
        await citizen.write(SUGGESTION)
        _, before_send = await scrape(scraper, web_bot.url)
        await citizen.press("✅")
        assert "გმადლობთ" in citizen.page
        text, after_send = await scrape(scraper, web_bot.url)
        cookies = [c.value for c in http.cookie_jar]
    answering, sending = moved(before_answer, after_press), moved(before_send, after_send)
    assert sending == answering, "the send moved a figure an answer does not move"
    assert {(("route", "web"), ("status", "3xx")), (("route", "web"), ("status", "2xx"))} <= {
        labels for name, labels in sending if "http_requests" in name
    }
    assert after_send[("feedback_ballot_box_overdue", ())] == 0
    assert after_send[("feedback_database_up", ())] == 1
    assert cookies and not any(value in text for value in cookies)
    for written in (NEED, SUGGESTION, "ზამთრის", "127.0.0.1", "/done", "/p/"):
        assert written not in text
    assert "forms_waiting" not in text and "sent" not in text


async def test_metrics_are_refused_through_a_proxy_without_the_token(metrics_on, web_bot):
    url = web_bot.url + "metrics"
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers=forwarded) as response:
            assert response.status == 403
        wrong = {**forwarded, "Authorization": "Bearer not-it"}
        async with http.get(url, headers=wrong) as response:
            assert response.status == 403
        right = {**forwarded, "Authorization": f"Bearer {TOKEN}"}
        async with http.get(url, headers=right) as response:
            assert response.status == 200 and "feedback_updates" in await response.text()


def test_a_client_from_elsewhere_needs_the_token():
    health = Health(None, OnceAMinute(logging.getLogger("t")), None, TOKEN)  # type: ignore[arg-type]

    def asking(client: str, headers: list[tuple[bytes, bytes]] = []) -> Request:  # noqa: B006
        scope = {"type": "http", "client": (client, 5000), "headers": headers, "path": "/"}
        return Request(scope)

    assert not health.allowed(asking("203.0.113.9"))
    assert health.allowed(asking("203.0.113.9", [(b"authorization", f"Bearer {TOKEN}".encode())]))
    assert health.allowed(asking("127.0.0.1")) and health.allowed(asking("::1"))


async def test_metrics_are_off_unless_asked_for(web_bot):
    async with aiohttp.ClientSession() as http, http.get(web_bot.url + "metrics") as response:
        assert response.status != 200


@pytest.fixture
def backups_kept(metrics_on: dict[str, str], tmp_path: Path) -> Path:
    """One backup, three days old, where the scheduled backup keeps them."""
    folder = tmp_path / "backups"
    folder.mkdir()
    made = folder / "feedback-20261201-020000Z.backup"
    made.write_bytes(b"x")
    three_days_ago = time.time() - 3 * 86400
    os.utime(made, (three_days_ago, three_days_ago))
    (folder / "notes.txt").write_text("not a backup")
    metrics_on["BACKUP_DIR"] = str(folder)
    return folder


async def test_metrics_tell_how_many_backups_there_are_and_the_newest_ones_age(
    backups_kept, web_bot
):
    async with aiohttp.ClientSession() as http:
        _, samples = await scrape(http, web_bot.url)
    assert samples[("feedback_backups", ())] == 1
    assert 3 * 86400 <= samples[("feedback_backup_age_seconds", ())] < 3 * 86400 + 600


@pytest.fixture
def telegram_metrics(settings_env: dict[str, str]) -> dict[str, str]:
    """A Telegram bot (polling, no web page) with metrics on: the server runs for /metrics."""
    settings_env |= {"METRICS": "true", "WEBHOOK_PORT": str(free_port()), "BALLOT_BOX_SIZE": "5"}
    return settings_env


async def test_a_chats_send_moves_the_figures_a_press_does_and_names_no_chat(
    telegram_metrics, running_bot
):
    url = f"http://127.0.0.1:{running_bot.settings.webhook_port}/"
    citizen = Citizen(running_bot.api, 431000555)
    async with aiohttp.ClientSession() as scraper:
        await answer_up_to_summary(citizen)
        _, before_press = await scrape(scraper, url)
        await citizen.send("/help")  # one update, as the press that sends is
        _, after_press = await scrape(scraper, url)
        await citizen.press("✅")
        _, after_send = await scrape(scraper, url)
        async with scraper.get(url + "m/some-code/x9Yq") as response:
            assert response.status == 404
        text, _ = await scrape(scraper, url)
    assert moved(before_press, after_press) == moved(after_press, after_send)
    assert 'route="other",status="4xx"' in text and "x9Yq" not in text
    assert after_send[("feedback_updates_total", (("channel", "telegram"),))] >= 12
    for private in ("431000555", NEED, SUGGESTION, "ზამთრის"):
        assert private not in text


@pytest.fixture
def messenger_env(messenger_env: dict[str, str]) -> dict[str, str]:
    """Messenger's default (the chat hands over to the web page), with metrics on."""
    messenger_env.pop("MESSENGER_MODE")
    messenger_env |= {"WEB_ENABLED": "true", "METRICS": "true", "BALLOT_BOX_SIZE": "5"}
    return messenger_env


async def test_a_page_messenger_handed_over_counts_its_send_as_any_answer(messenger_bot):
    citizen = messenger_bot.citizen("7301234567890077")
    await citizen.get_started(ref="winter_heating")
    [link] = [url for sent in messenger_bot.graph.to(citizen.psid) for url in sent.urls]
    base = link.split("/m/")[0] + "/"
    async with browser() as http, aiohttp.ClientSession() as scraper:
        page = WebCitizen(base, http)
        await page.open(link.split("/", 3)[3])
        await page.press("▶️")
        for label in ("ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი", "4 —"):
            await page.press(label)
        await page.press("5 — ძალიან კარგი")
        _, before_press = await scrape(scraper, base)
        await page.press("4 — ცდილობდნენ")
        _, after_press = await scrape(scraper, base)
        await page.press("დიახ")
        await page.write(NEED)
        await page.write(SUGGESTION)
        _, before_send = await scrape(scraper, base)
        await page.press("✅")
        assert "გმადლობთ" in page.page
        text, after_send = await scrape(scraper, base)
    assert moved(before_press, after_press) == moved(before_send, after_send)
    assert citizen.psid not in text and NEED not in text
