"""What analysts do between the data and the report, shared by the bot and the CLI.

Every refusal is an ``AnalystError`` carrying a locale key, so both front ends answer in the
same plain Georgian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import SERVICE, SUGGESTIONS, Questionnaire
from reporting.periods import Period, PeriodError, Quarters
from storage import Database

ID_LENGTH = 8


class AnalystError(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, locale: Locale) -> str:
        values = {
            name: value.text(locale) if isinstance(value, AnalystError) else value
            for name, value in self.values.items()
        }
        return locale.t(f"analyst.{self.key}", **values)


@dataclass(frozen=True)
class Comment:
    id: str
    submitted_on: date
    text: str
    categories: tuple[str, ...]
    corrected: bool
    publishable: bool
    needs_look: bool = False


class Analyst:
    def __init__(
        self, database: Database, questionnaire: Questionnaire, quarters: Quarters | None = None
    ) -> None:
        from reporting.categories import load_categoriser

        self.database = database
        self.questionnaire = questionnaire
        self.quarters = quarters or Quarters()
        self.services = questionnaire.with_role(SERVICE).options  # type: ignore[union-attr]
        self.suggestions = questionnaire.role_id(SUGGESTIONS) or SUGGESTIONS
        self.categoriser = load_categoriser()

    def period(self, text: str) -> Period:
        try:
            return self.quarters.parse(text)
        except PeriodError:
            raise AnalystError("bad_period") from None

    def check_application(self, service: str, count: str) -> int:
        if service not in self.services:
            raise AnalystError("bad_service", code=service, codes=", ".join(self.services))
        if not count.isdigit():
            raise AnalystError("bad_count", value=count)
        return int(count)

    async def set_applications(self, period: Period, service: str, count: str) -> int:
        number = self.check_application(service, count)
        async with self.database.analysis() as analysis:
            await analysis.set_applications(period.start, period.end, service, number)
            await analysis.commit()
        return number

    async def import_applications(self, path: Path, locale: Locale) -> int:
        """Columns period, service, count (or პერიოდი, სერვისი, რაოდენობა); all rows or none."""
        from bot.applications_file import MissingHeaders, read_lines, service_names
        from bot.exchange.headers import normalised

        names = service_names(self.questionnaire, locale)
        rows = []
        try:
            for line in read_lines(path):
                try:
                    period = self.period(line.period)
                    service = names.get(normalised(line.service))
                    if service is None:
                        raise AnalystError(
                            "bad_service_name", code=line.service, codes=", ".join(self.services)
                        )
                    count = self.check_application(service, line.count.replace(" ", ""))
                except AnalystError as error:
                    raise AnalystError("bad_file_row", row=line.number, reason=error) from None
                rows.append((period, service, count))
        except MissingHeaders as error:
            missing = ", ".join(error.missing)
            raise AnalystError("bad_applications_header", columns=missing) from None
        async with self.database.analysis() as analysis:
            for period, service, count in rows:
                await analysis.set_applications(period.start, period.end, service, count)
            await analysis.commit()
        return len(rows)

    async def comments(self, period: Period) -> list[Comment]:
        """Every comment of the period; corrections win, and categorise the rest by example."""
        async with self.database.analysis() as analysis:
            responses = await analysis.responses_between(period.start, period.end)
            reviews = await analysis.reviews()
            categoriser = self.categoriser.learn(
                await analysis.corrected_comments(self.suggestions)
            )
        found = []
        for response in responses:
            text = response.answers.get(self.suggestions)
            if not text:
                continue
            review = reviews.get(response.id)
            fixed = review.categories if review else None
            verdict = categoriser.assess(text)
            found.append(
                Comment(
                    id=response.id[:ID_LENGTH],
                    submitted_on=response.submitted_on,
                    text=text,
                    categories=fixed if fixed is not None else verdict.categories,
                    corrected=fixed is not None,
                    publishable=bool(review and review.publishable),
                    needs_look=fixed is None and verdict.needs_look,
                )
            )
        return found

    async def correct(self, short_id: str, codes: str) -> tuple[str, ...]:
        categories = tuple(dict.fromkeys(c.strip() for c in codes.split(",") if c.strip()))
        known = list(self.categoriser.labels)
        for code in categories or ("",):
            if code not in known:
                raise AnalystError("bad_category", code=code, codes=", ".join(known))
        await self._review(short_id, categories=categories)
        return categories

    async def publish(self, short_id: str, publishable: bool) -> None:
        await self._review(short_id, publishable=publishable)

    async def _review(self, short_id: str, **change: object) -> None:
        async with self.database.analysis() as analysis:
            ids = await analysis.response_ids_starting(short_id.lstrip("#"))
            if len(ids) != 1 or len(short_id.lstrip("#")) < 4:
                raise AnalystError("unknown_comment", id=short_id.lstrip("#"))
            await analysis.review(ids[0], **change)  # type: ignore[arg-type]
            await analysis.commit()

    async def set_note(self, period: Period, kind: str, text: str) -> None:
        async with self.database.analysis() as analysis:
            await analysis.set_note(period.start, period.end, kind, text)
            await analysis.commit()
