"""What a clerk types on the command line, checked before any work starts.

Every mistake becomes a ``CliError``: one line in Georgian that names the value and shows the
form the command expects (``--quarter 2025Q3``, ``01.06.2025``), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from bot.application.refusal import Refusal
from bot.questionnaire.periods import Period, PeriodError, parse_day

REPORT_FORMATS = ("docx", "html", "xlsx", "png", "pdf")
"""``reporting.build.FORMATS``, named here so that ``run`` never loads the reporting code."""


class CliError(Refusal):
    """A command-line mistake; ``key`` names a text under ``cli.`` (or a full key)."""


class WholeWords(argparse.HelpFormatter):
    """Help wrapped between words only: never "feedback-" at a line's end and "bot" below."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = textwrap.wrap(" ".join(text.split()), width - len(indent), break_on_hyphens=False)
        return "\n".join(indent + line for line in lines)


class OneLineParser(argparse.ArgumentParser):
    """argparse's own mistakes (an unknown option, a missing argument) in one line too: no
    usage block before it, and the line says where help is. Worded through argparse's
    ``_`` like its other messages, so in the clerk's language (``cli_words``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WholeWords)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        line = argparse._("%(prog)s: error: %(message)s\n")  # type: ignore[attr-defined]
        text = line % {"prog": self.prog, "message": message}
        print(" ".join(text.split("\n")).strip(), file=sys.stderr)
        raise SystemExit(2)


def day(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return parse_day(text)
    except PeriodError:
        raise CliError("bad_date", value=text) from None


def between(start_text: str | None, end_text: str | None) -> tuple[date, date]:
    start, end = day(start_text, date.min), day(end_text, date.max)
    if end < start:
        raise CliError("end_before_start", start=start_text, end=end_text)
    return start, end


def period_between(start_text: str, end_text: str) -> Period:
    start, end = between(start_text, end_text)
    return Period(start, end)


def week(text: str) -> Period:
    from reporting.digest import parse_week

    try:
        return parse_week(text)
    except PeriodError:
        raise CliError("bad_week", value=text) from None


def existing_file(path: Path) -> Path:
    if not path.is_file():
        raise CliError("missing_file", path=path)
    return path


def output_folder(path: Path) -> Path:
    """A folder to write into: it may be created, but only inside one that exists."""
    if not (path if path.is_dir() else path.parent).is_dir():
        raise CliError("no_folder", path=path.parent if not path.is_dir() else path)
    return path


def output_file(path: Path) -> Path:
    if not path.parent.is_dir():
        raise CliError("no_folder", path=path.parent)
    return path


def report_formats(text: str) -> list[str]:
    """``--format docx,xlsx``: each one known, or the clerk is told the list (nothing is
    written for a format we cannot make, and nothing silently left out)."""
    formats = [part.strip().lower() for part in text.split(",") if part.strip()]
    for unknown in [f for f in formats if f not in REPORT_FORMATS] or ([] if formats else [text]):
        raise CliError("bad_format", value=unknown, formats=", ".join(REPORT_FORMATS))
    return formats
