"""The applications file (the response rate's denominator) as a clerk writes it.

Headers in Georgian or English (``პერიოდი, სერვისი, რაოდენობა`` or ``period, service,
count``), services by their code, their short name or their full name as the report prints
it, saved by Excel with ``,`` or ``;`` in UTF-8 or UTF-16.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.exchange.headers import normalised
from bot.exchange.sources import open_table
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire

HEADERS = {
    "period": ("period", "პერიოდი", "კვარტალი", "quarter"),
    "service": ("service", "სერვისი", "სერვისის დასახელება", "ქვეპროგრამა", "programme"),
    "count": (
        "count",
        "რაოდენობა",
        "განაცხადები",
        "განაცხადების რაოდენობა",
        "applications",
        "ბენეფიციარები",
    ),
}


@dataclass(frozen=True)
class ApplicationLine:
    number: int
    period: str
    service: str
    count: str


class MissingHeaders(Exception):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def service_names(questionnaire: Questionnaire, locale: Locale) -> dict[str, str]:
    """Every way a service may be written -> its code."""
    service = questionnaire.with_role("service")
    assert service is not None
    names: dict[str, str] = {}
    for code in service.options:
        labels = (locale.t(f"options.{service.id}.{code}"), locale.t(f"service_names.{code}"))
        for name in (code, *labels):
            names[normalised(name)] = code
    return names


def read_lines(path: Path) -> Iterator[ApplicationLine]:
    rows = open_table(path).rows()
    header = [normalised(cell) for cell in next(rows, [])]
    index: dict[str, int] = {}
    for field, names in HEADERS.items():
        for name in names:
            if normalised(name) in header:
                index[field] = header.index(normalised(name))
                break
    missing = [field for field in HEADERS if field not in index]
    if missing:
        raise MissingHeaders(missing)
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(field: str, cells: list[str] = cells) -> str:
            position = index[field]
            return cells[position].strip() if position < len(cells) else ""

        yield ApplicationLine(number, cell("period"), cell("service"), cell("count"))
