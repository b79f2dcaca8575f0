"""The questionnaire in a web browser: routes on the shared HTTP server (``channel``),
sessions without identity (``session``), server-rendered pages (``templates``)."""

from __future__ import annotations

from bot.channels.port import Needs
from bot.channels.web.channel import WebChannel


def open_channel(needs: Needs) -> WebChannel:
    """The registry's entry."""
    return WebChannel(needs)
