"""What analysts do between the data and the report, shared by the bot and the CLI.

Every refusal is an ``AnalystError`` carrying a locale key, so both front ends answer in the
same plain Georgian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import NEEDS, SERVICE, SUGGESTIONS, Questionnaire
from bot.questionnaire.periods import Period, PeriodError, Quarters
from storage import Database
from storage.analysis import VersionScope, application_key

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
    field: str = ""
    """Which free text: ``""`` the main comment, else its question's name (as in ``id``)."""
    service: str = ""
    """The service the form was about (its code; ``""`` when the form has no such question):
    the staff console filters the texts by it."""


class Analyst:
    def __init__(
        self,
        database: Database,
        questionnaire: Questionnaire,
        quarters: Quarters | None = None,
        municipality: str | None = None,
        form: str | None = None,
        scope: VersionScope | None = None,
    ) -> None:
        """``municipality``: whose data this analyst works on, and nobody else's; ``form``:
        a loaded form's id when ``questionnaire`` is that form (its services, its texts)."""
        from reporting.categories import load_categoriser
        from reporting.roles import Roles

        self.database = database
        self.municipality = municipality
        self.questionnaire = questionnaire
        self.quarters = quarters or Quarters()
        self.form, self.scope = form, scope
        self.fields = Roles.of(questionnaire).reviewed_fields
        """The free texts besides the main comment (the described need, a loaded form's
        texts without a role): each listed and reviewed on its own as ``id/name``."""
        service = questionnaire.with_role(SERVICE)
        self.services = service.options if service else ()
        self.suggestions = questionnaire.role_id(SUGGESTIONS) or SUGGESTIONS
        needs = questionnaire.role_id(NEEDS)
        self.needs = needs
        """The described need's question: its texts have categories of their own."""
        self.aliases = {SUGGESTIONS: "", self.suggestions: "", **({NEEDS: needs} if needs else {})}
        """A role's word names its text too (``#1a2b3c4d/needs``), unless a question is so named."""
        self.categoriser = load_categoriser()

    def period(self, text: str) -> Period:
        try:
            return self.quarters.parse(text)
        except PeriodError:
            raise AnalystError("bad_period") from None

    def check_application(self, service: str, count: str) -> int:
        if not self.services:
            raise AnalystError("no_service_role", form=self.form or "")
        if service not in self.services:
            raise AnalystError("bad_service", code=service, codes=", ".join(self.services))
        if not count.isdigit():
            raise AnalystError("bad_count", value=count)
        return int(count)

    async def set_applications(self, period: Period, service: str, count: str) -> int:
        number = self.check_application(service, count)
        async with self.database.analysis(self.municipality) as analysis:
            key = application_key(self.form, service)
            await analysis.set_applications(period.start, period.end, key, number)
            await analysis.commit()
        return number

    async def import_applications(self, path: Path, locale: Locale) -> int:
        """Columns period, service, count (or პერიოდი, სერვისი, რაოდენობა); all rows or none."""
        from bot.application.applications_file import MissingHeaders, read_lines, service_names
        from bot.exchange.headers import normalised

        if not self.services:
            raise AnalystError("no_service_role", form=self.form or "")
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
        async with self.database.analysis(self.municipality) as analysis:
            for period, service, count in rows:
                key = application_key(self.form, service)
                await analysis.set_applications(period.start, period.end, key, count)
            await analysis.commit()
        return len(rows)

    async def comments(self, period: Period) -> list[Comment]:
        """Every free text of the period (of the form's responses, with ``scope``), each an
        item of its own: the comment, then the described need and a loaded form's other texts
        (``id/name``); corrections win, and categorise the rest by example."""
        async with self.database.analysis(self.municipality) as analysis:
            responses = await analysis.responses_between(period.start, period.end, self.scope)
            reviews = {field: await analysis.reviews(field) for field in ("", *self.fields)}
            corrected = await analysis.corrected_texts(self.suggestions)
            categoriser = self.categoriser.taught(corrected, self.needs)
        found, about = [], self.questionnaire.role_id(SERVICE)
        for response in responses:
            service = response.answers.get(about) if about else None
            for field in ("", *self.fields):
                text = response.answers.get(field or self.suggestions)
                if not isinstance(text, str) or not text:
                    continue
                review = reviews[field].get(response.id)
                fixed = review.categories if review else None
                verdict = categoriser.of_text(field, self.needs).assess(text)
                found.append(
                    Comment(
                        id=response.id[:ID_LENGTH] + (f"/{field}" if field else ""),
                        submitted_on=response.submitted_on,
                        text=text,
                        categories=fixed if fixed is not None else verdict.categories,
                        corrected=fixed is not None,
                        publishable=bool(review and review.publishable),
                        needs_look=fixed is None and verdict.needs_look,
                        field=field,
                        service=service if isinstance(service, str) else "",
                    )
                )
        return found

    def labels_of(self, field: str) -> dict[str, str]:
        """The categories offered for one free text (code -> name): the extra needs' for the
        described need, the suggestions' for every other text."""
        return dict(self.categoriser.of_text(field, self.needs).labels)

    def field_of(self, short_id: str) -> str:
        """The free text an id names: ``""`` the main comment, else its question's name."""
        field = short_id.lstrip("#").partition("/")[2]
        return field if field in self.fields else self.aliases.get(field, field)

    async def correct(self, short_id: str, codes: str) -> tuple[str, ...]:
        categories = tuple(dict.fromkeys(c.strip() for c in codes.split(",") if c.strip()))
        known = list(self.labels_of(self.field_of(short_id)))
        for code in categories or ("",):
            if code not in known:
                raise AnalystError("bad_category", code=code, codes=", ".join(known))
        await self._review(short_id, categories=categories)
        return categories

    async def publish(self, short_id: str, publishable: bool) -> None:
        await self._review(short_id, publishable=publishable)

    async def _review(self, short_id: str, **change: object) -> None:
        """``short_id``: a response's first characters, ``/name`` for another free text; the
        review is that text's alone."""
        prefix, field = short_id.lstrip("#").partition("/")[0], self.field_of(short_id)
        async with self.database.analysis(self.municipality) as analysis:
            ids = await analysis.response_ids_starting(prefix)
            if len(ids) != 1 or len(prefix) < 4 or (field and field not in self.fields):
                raise AnalystError("unknown_comment", id=short_id.lstrip("#"))
            await analysis.review(ids[0], field=field, **change)  # type: ignore[arg-type]
            await analysis.commit()

    async def notes(self, period: Period) -> tuple[str | None, str | None]:
        """The report's summary and changes for the period, as last written."""
        async with self.database.analysis(self.municipality) as analysis:
            return await analysis.notes(period.start, period.end)

    async def set_note(self, period: Period, kind: str, text: str) -> None:
        async with self.database.analysis(self.municipality) as analysis:
            await analysis.set_note(period.start, period.end, kind, text)
            await analysis.commit()
