"""The staff console's dashboard of analysts and admins: the quarter so far, for the built-in
form, in raw figures (``reporting.dashboard``; they read the internal report anyway).

Unlike a report it does not empty the ballot box: it counts the forms already mixed and says
how many of the municipality's forms still wait (a number, never a time), so reloading the
page cannot tell one form's answers from the next. Viewers and national analysts get no live
figure at all, only ended quarters' public ones (``bot.application.public_dashboard``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.application.chosen_form import ChosenForm, chosen_form
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.model import SATISFACTION, SERVICE
from bot.questionnaire.periods import Period
from storage import Database

if TYPE_CHECKING:
    from reporting.categories import Categoriser
    from reporting.composer import Composer
    from reporting.dashboard import Counted, Share

QUARTERS_SHOWN = 4
"""The scales' shares over this quarter and the three before it."""


@dataclass(frozen=True)
class Scale:
    title: str
    shares: list[Share]


@dataclass(frozen=True)
class Rate:
    percent: int
    applications: str
    """As printed (a public table's mark for a viewer)."""
    complete: bool
    """Every service people answered about has its applications entered."""


@dataclass(frozen=True)
class Dashboard:
    period: Period
    forms: str
    """The quarter's forms, as printed (``<k`` for a viewer when few)."""
    waiting: int | None
    """The municipality's forms in the ballot box (``None``: not for this role)."""
    weeks: Counted | None
    """Forms per week of the quarter in progress (``None``: an ended quarter's public figures,
    which print no weeks)."""
    services: Counted
    channels: Counted
    confirmed: Counted
    scales: list[Scale]
    rate: Rate | None
    to_look: int | None
    """Texts the categoriser is unsure of and nobody corrected (``None``: not for this role)."""
    k: int | None


@dataclass(frozen=True)
class Place:
    database: Database
    content: Content
    settings: Settings
    code: str


async def dashboard(
    place: Place, today: date, texts: bool, confirmed_words: tuple[str, str]
) -> Dashboard:
    """The quarter so far in raw counts; ``texts``: count the texts that need a look;
    ``confirmed_words``: the reader's words for confirmed and open forms."""
    from reporting.build import gather, report_texts
    from reporting.categories import load_categoriser
    from reporting.composer import Composer
    from reporting.dashboard import confirmed_and_open, counted, weeks
    from reporting.metrics import channel_counts, totals, with_answered

    settings, k = place.settings, None  # raw counts: analysts and admins
    quarters = settings.quarters
    period = quarters.containing(today)
    form = await chosen_form(None, place.content, place.database, settings.language, place.code)
    categoriser = load_categoriser()
    now = await gather(
        place.database, form.questionnaire, categoriser, period, municipality=place.code
    )
    composer = Composer(
        form.questionnaire, form.locale, report_texts(), categoriser, settings.municipality_name
    )
    frame, roles = now.frame, composer.roles
    week_rows = [(f"{m:%d.%m}", n) for m, n in weeks(frame, period, today)]
    service = form.questionnaire.with_role(SERVICE)
    codes = with_answered(service.options, frame, service.id) if service else ()
    answered = frame[service.id].value_counts() if service and service.id in frame else {}
    service_rows = [  # the services people answered about (a list of 17 zeros helps nobody)
        (composer.service_name(c), int(answered.get(c, 0))) for c in codes if answered.get(c, 0)
    ]
    channels = channel_counts(frame, ("paper", "telegram", "messenger", "web"))
    channel_rows = [(_channel(composer, c), n) for c, n in channels.items()]
    confirmed, open_ = confirmed_and_open(frame)
    found = totals(frame, now.applications, roles)
    rate = found.rate
    return Dashboard(
        period=period,
        forms=counted([("", len(frame))], k).total,
        waiting=await place.database.forms_waiting(place.code),
        weeks=counted(week_rows, k),
        services=counted(service_rows, k),
        channels=counted(channel_rows, k),
        confirmed=counted(list(zip(confirmed_words, (confirmed, open_), strict=True)), k),
        scales=await _scales(place, form, categoriser, period, k),
        rate=None  # a rate of 0% is a finding, not a missing figure
        if rate is None
        else Rate(round(rate * 100), str(found.applications or 0), found.complete),
        to_look=await _to_look(place, period) if texts else None,
        k=k,
    )


def _channel(composer: Composer, code: str) -> str:
    texts = composer.texts
    key = f"channels.{code}"
    return texts.t(key) if texts.has(key) else code


async def _scales(
    place: Place, form: ChosenForm, categoriser: Categoriser, period: Period, k: int | None
) -> list[Scale]:
    """Every scored question's top-two share over the last quarters (one load of them all)."""
    from reporting.build import gather
    from reporting.dashboard import top_two

    quarters = [period]
    for _ in range(QUARTERS_SHOWN - 1):
        quarters.insert(0, quarters[0].previous())
    span = Period(quarters[0].start, period.end)
    loaded = await gather(
        place.database, form.questionnaire, categoriser, span, municipality=place.code
    )
    found = []
    for question in form.questionnaire.answerable():
        if question.kind.scored:
            title = form.locale.t(f"questions.{question.id}.text")
            found.append(Scale(title, top_two(loaded.frame, question, quarters, k)))
    return found


async def _to_look(place: Place, period: Period) -> int:
    from bot.application.analyst import Analyst

    analyst = Analyst(
        place.database, place.content.questionnaire, place.settings.quarters, place.code
    )
    return sum(1 for c in await analyst.comments(period) if c.needs_look)


@dataclass(frozen=True)
class Elsewhere:
    """One municipality's row of the national analyst's overview."""

    name: str
    quarter: str
    forms: str
    satisfied: str
    """The satisfaction question's top-two share, or ``—`` when too few answered."""


async def national_row(place: Place, today: date) -> Elsewhere:
    """Its last ended quarter as its public figures print it (``PublicFigures``, kept in its
    ledger as ``national``), the same row as the national report's: a quarter still running
    would show counts that change from one visit to the next, each change one form."""
    from bot.application.public_figures import PublicFigures
    from reporting.national import public_row

    settings = place.settings
    quarter = settings.quarters.last_complete(today)
    figures = PublicFigures(place.database, place.content, settings, place.code, lambda: today)
    made = await figures.for_quarter(quarter, "national")
    satisfaction = place.content.questionnaire.with_role(SATISFACTION)
    row = public_row(
        settings.municipality_name, settings.public_min_count, made.tables, satisfaction
    )
    return Elsewhere(settings.municipality_name, quarter.label, row[1], row[4])
