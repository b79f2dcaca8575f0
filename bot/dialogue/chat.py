"""The one chat rendering of a prompt: a message's text and its keyboard.

Telegram, Messenger and the console send ``Reply.text`` and ``Reply.buttons``; both are
made here from the ``Prompt`` the reply carries, so every chat channel shows the same words
in the same order: the progress line, the question, the answer given before, the hint, each
separated by a blank line; one option per row (long Georgian labels stay readable on a
phone), then the navigation rows.
"""

from __future__ import annotations

from bot.dialogue.events import Button, Reply
from bot.dialogue.prompt import Nav, Option, Prompt

Keyboard = tuple[tuple[Button, ...], ...]


def body(prompt: Prompt) -> str:
    """Everything but the progress line (a page shows that line apart)."""
    blocks = (prompt.section, prompt.text, "\n".join(prompt.answers), prompt.current, prompt.hint)
    return ("\n" if prompt.dense else "\n\n").join(block for block in blocks if block)


def text(prompt: Prompt) -> str:
    if prompt.progress is None:
        return body(prompt)
    return ("\n" if prompt.dense else "\n\n").join((prompt.progress.label, body(prompt)))


def keyboard(options: tuple[Option, ...], navigation: tuple[tuple[Nav, ...], ...]) -> Keyboard:
    """Built once per question and language by ``Views`` where the options do not change,
    so a channel can keep what it made of it (Telegram: the keyboard's JSON)."""
    rows = [(Button(option.label, option.data, option.key),) for option in options]
    rows += [tuple(Button(nav.label, nav.data) for nav in row) for row in navigation if row]
    return tuple(rows)


def reply(prompt: Prompt, buttons: Keyboard | None = None) -> Reply:
    """``buttons``: the prompt's keyboard, if the caller kept it from an earlier turn."""
    if buttons is None:
        buttons = keyboard(prompt.options, prompt.navigation)
    return Reply(text(prompt), buttons, prompt=prompt)
