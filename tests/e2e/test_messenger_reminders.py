"""The one Messenger reminder: only inside the 24-hour window Meta allows, at most once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels.messenger.channel import MessengerChannel
from bot.channels.messenger.graph import GraphClient
from bot.entry.jobs import Jobs

pytestmark = pytest.mark.both_databases

REMINDER = "ბოლომდე არ შეავსეთ"


def scheduler_channel(messenger_bot) -> MessengerChannel:
    """The Messenger side of the scheduled jobs, as the running bot builds it."""
    settings, runtime = messenger_bot.settings, messenger_bot.runtime
    token = settings.messenger_page_token.get_secret_value()
    graph = GraphClient(settings.messenger_graph_url, token)
    return MessengerChannel(runtime.router, graph, runtime.content.locale)


def reminders(graph, psid: str) -> list:
    return [sent for sent in graph.to(psid) if REMINDER in sent.text]


async def test_reminder_comes_inside_the_window_once_and_continues(messenger_bot, clock):
    graph, runtime = messenger_bot.graph, messenger_bot.runtime
    citizen = messenger_bot.citizen("7301234567894444")
    await citizen.get_started()
    await citizen.say("15")
    finished_early = messenger_bot.citizen("7301234567895555")
    await finished_early.get_started()
    await finished_early.deliver(finished_early.item(postback={"payload": "stop"}))

    channel = scheduler_channel(messenger_bot)
    jobs = Jobs(runtime, None, [channel])
    try:
        clock.now += timedelta(hours=22)
        assert not any(run.startswith("reminders") for run in await jobs.tick())
        clock.now += timedelta(hours=1)
        assert "reminders:1" in await jobs.tick(), "due an hour before the window closes"
        clock.now += timedelta(minutes=30)
        assert not any(run.startswith("reminders") for run in await jobs.tick())
    finally:
        await channel.graph.close()
    [reminder] = reminders(graph, citizen.psid)
    assert reminder.messaging_type == "UPDATE"
    assert reminders(graph, finished_early.psid) == []
    citizen.received.append(reminder)
    replies = await citizen.tap("▶️")
    assert "კითხვა 2 / 10" in replies[-1]


async def test_no_reminder_once_the_window_has_closed(messenger_bot, clock):
    graph, runtime = messenger_bot.graph, messenger_bot.runtime
    citizen = messenger_bot.citizen("7301234567896666")
    await citizen.get_started()
    channel = scheduler_channel(messenger_bot)
    try:
        clock.now += timedelta(hours=25)  # the bot was down while the reminder was due
        await Jobs(runtime, None, [channel]).tick()
    finally:
        await channel.graph.close()
    assert reminders(graph, citizen.psid) == []
