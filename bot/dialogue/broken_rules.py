"""Rules of a form that could not be worked out while a citizen answered, said once in the log.

The engine takes such a rule as holding, so the citizen goes on (docs/questionnaire.md), and
names it in its step; here it is logged the first time it is met in this process, never once
per citizen or per answer. The line names the form version, the question and the column:
never an answer, a citizen or a draft.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

KEPT = 1000
"""Rules remembered at most: a form has a few; a bound keeps memory flat whatever happens."""


class BrokenRules:
    """The rules already reported, in memory: a restart reports each once more."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str, str]] = set()

    def report(self, version: str, broken: Iterable[tuple[str, str]]) -> None:
        for question, column in broken:
            key = (version, question, column)
            if key in self._seen or len(self._seen) >= KEPT:
                continue
            self._seen.add(key)
            log.warning(
                "form %s: the %s of question %s could not be worked out and is taken as "
                "holding, so citizens go on; please correct it (feedback-bot form show)",
                version,
                column,
                question,
            )
