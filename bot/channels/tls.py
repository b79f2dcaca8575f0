"""One TLS context for every HTTPS client in the process.

Each httpx client otherwise loads the whole CA bundle into a context of its own: about
0.8 MB each, two per Telegram bot and one per Facebook page, so 64 municipalities' bots
cost 100 MB in certificates alone (bench/municipalities.py). The context is read-only
once made, so sharing it changes nothing about what is verified.
"""

from __future__ import annotations

import ssl
from functools import cache


@cache
def shared_context() -> ssl.SSLContext:
    import certifi  # httpx's own trust store, as each client would have loaded it

    return ssl.create_default_context(cafile=certifi.where())
