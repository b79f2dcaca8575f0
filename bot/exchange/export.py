"""``feedback-bot export``: one row per response, codes as values, a row of Georgian labels."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.exchange.files import write_table
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.sections import titled
from storage import Database
from storage.analysis import VersionScope

META = ("submitted_on", "channel", "questionnaire_version")


def header(questionnaire: Questionnaire) -> list[str]:
    return [*META, *(q.id for q in questionnaire.answerable())]


def labels(questionnaire: Questionnaire, locale: Locale) -> list[str]:
    """The row of labels: each question's title after its section's (a group's) label."""
    return [locale.t(f"exchange.columns.{m}") for m in META] + [
        titled(q, locale) for q in questionnaire.answerable()
    ]


async def export(
    database: Database,
    questionnaire: Questionnaire,
    locale: Locale,
    path: Path,
    start: date = date.min,
    end: date = date.max,
    include_test_channels: bool = False,
    municipality: str | None = None,
    scope: VersionScope | None = None,
) -> int:
    """One municipality's responses (the home one unless named). Answers typed in the
    terminal (``console``) are trials: left out unless asked for."""
    from reporting.frame import TEST_CHANNELS

    ids = [q.id for q in questionnaire.answerable()]
    rows = [labels(questionnaire, locale)]
    async with database.analysis(municipality) as analysis:
        async for chunk in analysis.responses_in_chunks(start, end, scope=scope):
            for r in chunk:
                if r.channel in TEST_CHANNELS and not include_test_channels:
                    continue
                answers = [r.answers.get(q) or "" for q in ids]
                rows.append(
                    [r.submitted_on.isoformat(), r.channel, r.questionnaire_version, *answers]
                )
    write_table(path, header(questionnaire), rows)
    return len(rows) - 1
