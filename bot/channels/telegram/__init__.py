"""Telegram: updates by polling or a webhook in, the Bot API out (``outbox``), the shared
conversation between (``channel``)."""
