"""Where the one reminder for an unfinished questionnaire goes, and until when it may."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.dialogue.events import Sender

SEPARATOR = "\x1f"
WINDOW_MARGIN = timedelta(hours=1)
"""A reminder inside a reply window comes this long before the window closes at the latest."""


@dataclass(frozen=True)
class ReminderAddress:
    """Sealed (encrypted) into the reminders table; never stored as plain text."""

    channel: str
    chat: str
    send_before: datetime | None = None

    @classmethod
    def for_sender(cls, sender: Sender, now: datetime) -> ReminderAddress:
        assert sender.chat is not None
        window = sender.reply_window
        return cls(sender.channel, sender.chat, now + window if window else None)

    def due(self, last_answer: datetime, after: timedelta) -> datetime:
        """``after`` from the draft's last answer, or earlier if the channel's reply window
        would close first."""
        if self.send_before is None:
            return last_answer + after
        return min(last_answer + after, self.send_before - WINDOW_MARGIN)

    def pack(self) -> str:
        parts = [self.channel, self.chat]
        if self.send_before is not None:
            parts.append(str(int(self.send_before.timestamp())))
        return SEPARATOR.join(parts)

    @classmethod
    def unpack(cls, text: str) -> ReminderAddress:
        """Also reads a bare chat id, the form reminders were sealed in before Messenger."""
        parts = text.split(SEPARATOR)
        if len(parts) == 1:
            return cls("telegram", parts[0])
        send_before = datetime.fromtimestamp(int(parts[2]), UTC) if len(parts) > 2 else None
        return cls(parts[0], parts[1], send_before)
