"""A bare python-telegram-bot echo bot: the framework's ceiling for bench/throughput.py.

It makes the same Bot API calls per update as the feedback bot (answer the button, edit its
message, send a message with a button) with no questionnaire and no database, so the ratio
of the two is the cost of everything we add.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_BASE_URL=http://127.0.0.1:…/bot python bench/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes, TypeHandler

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("▶️", callback_data="x")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("✅")
    text = update.message.text if update.message and update.message.text else "✅"
    await context.bot.send_message(chat.id, text[:100], reply_markup=KEYBOARD)


def main() -> None:
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .build()
    )
    application.add_handler(TypeHandler(Update, echo))
    application.run_polling(poll_interval=0.0, allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
