"""Facebook Messenger: a webhook in, the Graph Send API out, the shared conversation between."""

from datetime import timedelta

CHANNEL = "messenger"
REPLY_WINDOW = timedelta(hours=24)
"""Meta lets a page message a person within 24 hours of their last message to it."""
