"""``LOG_FORMAT=json``: one JSON object per line, for journald and log shippers.

Each event is one line whatever it holds: a traceback (already reduced to its frames and
exception types by ``bot.wiring.log_privacy``) is a field, its newlines escaped, so a log
shipper never splits one event into several or glues two together. The fields are the
time (UTC, to the millisecond), the level, the logger and the message: nothing else of the
record (no thread or process ids, no path of the caller) and, as in the text format, no
personal data, since the same privacy filter runs before this formatter.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.wiring.log_privacy import frames_only


class JsonLines(logging.Formatter):
    """A record as one line of JSON: ``time``, ``level``, ``logger``, ``message``, and
    ``error`` (the frames of a traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, str] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            line["error"] = record.exc_text or frames_only(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False)


def use_json(handlers: list[logging.Handler]) -> None:
    for handler in handlers:
        handler.setFormatter(JsonLines())
