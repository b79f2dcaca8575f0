"""Every channel there is, in one place: its name, when it is on, how it is built.

Adding a channel is a folder under ``bot/channels/`` and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.channels.port import Channel, Needs
from bot.config.settings import Settings


@dataclass(frozen=True)
class Registration:
    name: str
    configured: Callable[[Settings], bool]
    open: Callable[[Needs], Channel]


def _telegram(needs: Needs) -> Channel:
    from bot.channels.telegram.channel import open_channel

    return open_channel(needs)


def _messenger(needs: Needs) -> Channel:
    from bot.channels.messenger.channel import open_channel

    return open_channel(needs)


def _web(needs: Needs) -> Channel:
    from bot.channels.web import open_channel

    return open_channel(needs)


REGISTRY: tuple[Registration, ...] = (
    Registration("telegram", lambda s: s.telegram_bot_token is not None, _telegram),
    Registration("messenger", lambda s: s.messenger, _messenger),
    Registration("web", lambda s: s.web_enabled, _web),
)


def configured(settings: Settings) -> list[Registration]:
    return [registration for registration in REGISTRY if registration.configured(settings)]
