"""A bare python-telegram-bot echo bot: the framework's floor for bench/throughput.py.

With ``ECHO_SCRIPT`` (the fair comparison) it makes, for each update, exactly the Bot API
calls the feedback bot made for the same update of the questionnaire — the same texts,
the same keyboards, the same number of calls — from a script bench/throughput.py recorded
from our bot; the n-th update of a chat gets the n-th step. No questionnaire, no database:
the ratio of the two is the cost of our code alone. Without it (the old comparison) every
update gets one short answer with one button, after answering and editing a pressed one.

It is written as a bot usually is: the client's methods (whose results are parsed), and
keyboards built once at start. The fair one handles updates of different chats at once,
at most ``MOST_AT_ONCE`` (python-telegram-bot's ``concurrent_updates``), as ours does (ours
also keeps each person's updates in order); the old one one after the other, as before
issue 16. ``WEBHOOK_PORT`` makes it receive updates over HTTP on the same server
stack as ours (uvicorn, starlette) instead of polling.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_BASE_URL=http://127.0.0.1:…/bot python bench/echo_bot.py
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes, TypeHandler

MOST_AT_ONCE = 8
"""As ``bot.channels.telegram.updates``: updates in progress at once."""

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("▶️", callback_data="x")]])
Step = list[tuple[str, str, InlineKeyboardMarkup | None]]


def load_script(path: str) -> list[Step]:
    steps = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        [
            (
                call["method"],
                call.get("text", ""),
                InlineKeyboardMarkup.de_json(call["reply_markup"], None)
                if call.get("reply_markup")
                else None,
            )
            for call in step
        ]
        for step in steps
    ]


class Echo:
    def __init__(self, script: list[Step] | None) -> None:
        self.script = script
        self.position: dict[int, int] = {}

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if self.script is None:
            await self.old(update, context, chat.id)
            return
        number = self.position.get(chat.id, 0)
        self.position[chat.id] = number + 1
        query = update.callback_query
        for method, text, markup in self.script[number % len(self.script)]:
            if method == "answerCallbackQuery" and query is not None:
                await query.answer()
            elif method == "editMessageText" and query is not None:
                await query.edit_message_text(text)
            elif method == "editMessageReplyMarkup" and query is not None:
                await query.edit_message_reply_markup(None)
            elif method == "sendMessage":
                await context.bot.send_message(chat.id, text, reply_markup=markup)

    async def old(self, update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()
            await update.callback_query.edit_message_text("✅")
        text = update.message.text if update.message and update.message.text else "✅"
        await context.bot.send_message(chat, text[:100], reply_markup=KEYBOARD)


def build() -> Application:
    script = os.environ.get("ECHO_SCRIPT")
    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
    )
    if script:  # handles different chats at once, as ours does
        builder = builder.concurrent_updates(MOST_AT_ONCE)
    application = builder.build()
    application.add_handler(TypeHandler(Update, Echo(load_script(script) if script else None)))
    return application


async def serve_webhook(application: Application, port: int) -> None:
    """Updates over HTTP, handled before the answer goes back (as ours does)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    secret = "echo-secret"

    async def receive(request: Request) -> Response:
        if request.headers.get("x-telegram-bot-api-secret-token") != secret:
            return PlainTextResponse("forbidden", status_code=403)
        data: Any = json.loads(await request.body())
        update = Update.de_json(data, application.bot)
        if os.environ.get("ECHO_SCRIPT"):  # through the update processor, as ours
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        else:  # the old echo, as it was: every call at once
            await application.process_update(update)
        return PlainTextResponse("ok")

    routes = [Route("/telegram/webhook", receive, methods=["POST"])]
    config = uvicorn.Config(
        Starlette(routes=routes), host="127.0.0.1", port=port, log_level="warning",
        access_log=False, lifespan="off",
    )  # fmt: skip

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:  # SIGTERM is ours, as in bot.entry.runner
            yield

    server = Server(config)
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    async with application:
        await application.start()
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        await application.bot.set_webhook(url, secret_token=secret)
        await stop.wait()
        server.should_exit = True
        await serving
        await application.stop()


def main() -> None:
    application = build()
    port = os.environ.get("WEBHOOK_PORT")
    if port:
        asyncio.run(serve_webhook(application, int(port)))
    else:
        application.run_polling(poll_interval=0.0, allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
