"""``feedback-bot run`` with Messenger only, as a process: no Telegram token needed."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

from tests.support.fake_graph_api import FakeGraphApi
from tests.support.messenger_citizen import MessengerCitizen, Webhook, page_payload
from tests.support.process import process_env


async def test_messenger_only_bot_process_answers_and_stops_cleanly(messenger_env, tmp_path):
    graph = FakeGraphApi(messenger_env["MESSENGER_PAGE_TOKEN"])
    messenger_env["MESSENGER_GRAPH_URL"] = await graph.start()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.entry.cli",
        "run",
        env=process_env(messenger_env),
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await graph.wait_until(lambda: bool(graph.profiles) or process.returncode is not None)
        assert process.returncode is None
        url = f"http://127.0.0.1:{messenger_env['WEBHOOK_PORT']}/messenger/webhook"
        async with aiohttp.ClientSession() as http:
            webhook = Webhook(url, messenger_env["MESSENGER_APP_SECRET"], http)
            citizen = MessengerCitizen(graph, webhook, "7301234567897777")
            payload = {"title": "Get Started", "payload": "start"}
            assert await webhook.post(page_payload(citizen.item(postback=payload))) == 200
            await graph.wait_until(
                lambda: any("კითხვა 1 / 10" in sent.text for sent in graph.to(citizen.psid)), 90
            )
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 90) == 0
        log = (await process.stderr.read()).decode()
        assert "webhook" in log and "Traceback" not in log
        assert citizen.psid not in log
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await graph.stop()
