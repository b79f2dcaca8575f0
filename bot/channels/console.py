"""The questionnaire in a terminal (channel ``console``), for trying it without Telegram.

Buttons are chosen by letter (a, b, c …) so that a digit typed on a rating question stays
an answer, exactly as on Telegram.
"""

from __future__ import annotations

import asyncio
import uuid
from string import ascii_lowercase
from typing import TextIO

from bot.dialogue.conversation import Conversation
from bot.dialogue.events import Button, Event, Outcome, Press, Reply, Sender, Start, Stop, Text
from bot.dialogue.prompt import State
from bot.questionnaire.i18n import Locale

CHANNEL = "console"


def show(outcome: Outcome, out: TextIO) -> list[Button]:
    buttons: list[Button] = []
    for reply in outcome.replies:
        out.write(reply.text + "\n")
        for row in reply.buttons:
            for button in row:
                out.write(f"  [{ascii_lowercase[len(buttons)]}] {button.label}\n")
                buttons.append(button)
        out.write("\n")
    out.flush()
    return buttons


def parse(line: str, buttons: list[Button]) -> Event:
    text = line.strip()
    if len(text) == 1 and text in ascii_lowercase[: len(buttons)]:
        return Press(buttons[ascii_lowercase.index(text)].data)
    if text.lower() in {"/stop", "/quit", "/exit"}:
        return Stop()
    if text.lower().startswith("/start"):
        return Start(text.partition(" ")[2].strip() or None)
    return Text(line.rstrip("\r\n"))


async def run_console(
    conversation: Conversation, locale: Locale, stdin: TextIO, out: TextIO
) -> None:
    """One console session is one citizen; it ends at the closing message, /stop or EOF."""
    sender = Sender(CHANNEL, uuid.uuid4().hex)
    buttons = show(await conversation.handle(sender, Start()), out)
    while True:
        out.write(locale.t("console.choose") + " ")
        out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        event = parse(line, buttons)
        outcome = await conversation.handle(sender, event)
        buttons = show(outcome, out)
        if isinstance(event, Stop) or any(_closing(r) for r in outcome.replies):
            break
    out.write(locale.t("console.bye") + "\n")


def _closing(reply: Reply) -> bool:
    """The questionnaire was sent: the session ends."""
    return reply.prompt is not None and reply.prompt.state is State.CLOSING
