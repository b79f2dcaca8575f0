"""The one place that builds the application's parts from the settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial

from bot.application.analyst_desk import AnalystDesk
from bot.application.municipalities import Municipality, load_municipalities
from bot.application.reports import Reports
from bot.application.results import address as results_address
from bot.config.secret_file import SecretFileError, load_or_create_secret
from bot.config.settings import Settings, StartupError
from bot.dialogue.conversation import SEEN_UPDATES_KEPT, Conversation, Limits
from bot.dialogue.forms import FormCatalogue
from bot.dialogue.paper import PaperDesk
from bot.dialogue.router import AnalystHandler, Router, StaffReplies
from bot.dialogue.store import StaleDraft
from bot.dialogue.views import Views
from bot.questionnaire.content import Content, load_citizen_locale, load_content
from bot.questionnaire.i18n import Locale
from bot.questionnaire.identity import Keyer
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.services import service_texts
from storage import Database, open_database

log = logging.getLogger(__name__)
__all__ = ["Runtime", "StartupError", "build_runtime"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def resolve_secret(settings: Settings, content: Content) -> bytes:
    if settings.feedback_secret is not None:
        return settings.feedback_secret.get_secret_value().encode()
    database_file = settings.sqlite_path
    if database_file is None:
        raise StartupError(content.locale.t("cli.secret_required"))
    path = database_file.with_name(database_file.stem + ".secret")
    has_data = database_file.is_file() and database_file.stat().st_size > 0
    try:
        secret, created = load_or_create_secret(path, database_has_data=has_data)
    except SecretFileError as error:
        raise StartupError(
            content.locale.t(error.key, path=error.path, database=database_file)
        ) from None
    if created:
        log.warning(
            "FEEDBACK_SECRET was not set: a new one was made and kept in %s; keep this file "
            "with the database",
            path,
        )
    return secret


@dataclass
class Runtime:
    """One municipality's parts; ``places`` holds every municipality's (this one's too),
    all on one database and one secret. ``build_runtime`` returns the first (the home
    municipality's, unless it is disabled), so a single-municipality installation sees
    exactly what it saw before there were several."""

    settings: Settings
    content: Content
    database: Database
    conversation: Conversation
    paper: PaperDesk
    clock: Callable[[], datetime]
    router: Router
    municipality: Municipality
    places: dict[str, Runtime] = field(default_factory=dict, repr=False)

    @property
    def code(self) -> str:
        return self.municipality.code

    def of(self, code: str) -> Runtime:
        return self.places[code]

    @property
    def everywhere(self) -> list[Runtime]:
        return list(self.places.values())

    @property
    def reports(self) -> Reports:
        """This municipality's reports (``bot.application.reports``: one service for every
        front door)."""
        return Reports(self.database, self.content, self.settings, self.code, self.today)

    def today(self) -> date:
        return self.clock().astimezone(self.settings.zone).date()

    @property
    def forms(self) -> FormCatalogue:
        return self.conversation.forms

    async def refresh_forms(self) -> None:
        """Forms staff loaded or retired (``feedback-bot form …``, maybe in another process)
        reach citizens at the next scheduler tick."""
        async with self.database.forms(self.code) as stored:
            self.forms.replace(await stored.offered(self.content.questionnaire))

    async def mix_if_due(self) -> None:
        """Forms a crash left in the ballot box reach ``responses`` once they are due, at
        start as at every upkeep, not a minute later."""
        await self.database.empty_box_if_due(self.today(), self.settings.ballot_box_size)

    async def purge(self) -> int:
        """Regular upkeep: mixes the ballot box when it is due, then deletes what expired."""
        now = self.clock()
        await self.database.empty_box_if_due(self.today(), self.settings.ballot_box_size)
        return await self.database.purge(
            drafts_before=now - timedelta(days=self.settings.draft_ttl_days),
            seen_before=now - SEEN_UPDATES_KEPT,
            today=self.today(),
        )

    async def close(self) -> None:
        await self.database.close()


async def build_runtime(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Runtime:
    """Every enabled municipality's parts, on one database; see ``Runtime``."""
    municipalities = load_municipalities(settings)
    if not municipalities:
        raise StartupError("MUNICIPALITIES_DIR: every municipality is disabled")
    contents: dict[str, Content] = {}
    first = _content(settings.language, contents)
    keyer = Keyer(resolve_secret(settings, first))
    database = await open_database(settings.database_url, home=settings.municipality_code)
    places: dict[str, Runtime] = {}
    locales: dict[str, Locale] = {}
    for municipality in municipalities:
        language = municipality.settings.language
        standard = _content(language, contents)
        content = municipality.own_content(standard)
        spoken = {
            language: _spoken(
                _citizen_locale(language, standard, locales), content, municipality, language
            )
            for language in municipality.languages
        }
        places[municipality.code] = await _place(
            municipality, content, database, keyer, clock, spoken
        )
    for place in places.values():
        place.places = places
    return places[municipalities[0].code]


def _content(language: str, loaded: dict[str, Content]) -> Content:
    if language not in loaded:
        loaded[language] = load_content(language)
    return loaded[language]


def _spoken(locale: Locale, content: Content, municipality: Municipality, language: str) -> Locale:
    services = municipality.services or ()
    return locale.with_texts(service_texts(content.questionnaire, services, language))


def _citizen_locale(language: str, content: Content, loaded: dict[str, Locale]) -> Locale:
    """Checked at start: a missing citizen text of any language stops it, named."""
    if language not in loaded:
        if language in ("ka", "en"):
            loaded[language] = load_content(language).locale
        else:
            loaded[language] = load_citizen_locale(language, content.questionnaire)
    return loaded[language]


async def _place(
    municipality: Municipality,
    content: Content,
    database: Database,
    keyer: Keyer,
    clock: Callable[[], datetime],
    spoken: dict[str, Locale] | None = None,
) -> Runtime:
    """One municipality: its own conversation, desks and router, keys scoped to it."""
    settings, scope = municipality.settings, municipality.scope
    name = settings.municipality_name
    languages = {
        language: Views(content.questionnaire, locale, municipality.names.get(language, name))
        for language, locale in (spoken or {}).items()
    }
    turn = partial(database.turn, municipality.code, stale=StaleDraft)
    views = Views(content.questionnaire, content.locale, settings.municipality_name)

    def views_of(questionnaire: Questionnaire, language: str | None) -> Views:
        """A form's views in a citizen's language: its own labels in that language (else
        in its default one) over the municipality's texts in it."""
        if questionnaire == content.questionnaire:
            return languages.get(language or "", views)
        locale = (spoken or {}).get(language or "", content.locale)
        texts = questionnaire.texts_in(language or settings.language)
        shown = municipality.names.get(language, name) if language else name
        return Views(questionnaire, locale.with_texts(texts), shown)

    forms = FormCatalogue(views_of)
    async with database.forms(municipality.code) as stored:
        forms.replace(await stored.offered(content.questionnaire))
    paper = PaperDesk(
        questionnaire=content.questionnaire,
        views=views,
        keyer=keyer,
        clock=clock,
        zone=settings.zone,
        scope=scope,
        forms=forms,
    )
    conversation = Conversation(
        questionnaire=content.questionnaire,
        views=views,
        transaction=turn,
        keyer=keyer,
        clock=clock,
        zone=settings.zone,
        limits=Limits(
            responses_per_day=settings.max_responses_per_day,
            draft_ttl=timedelta(days=settings.draft_ttl_days),
            reminder_after=timedelta(hours=settings.reminder_after_hours) or None,
        ),
        empty_box=partial(database.empty_box_if_due, batch=settings.ballot_box_size),
        scope=scope,
        languages=languages if len(languages) > 1 else None,
        forms=forms,
        results_url=results_address(settings, scope),
    )
    router = Router(
        units=turn,
        conversation=conversation,
        paper=paper,
        locale=content.locale,
        clock=clock,
    )
    runtime = Runtime(settings, content, database, conversation, paper, clock, router, municipality)
    router.analyst = _analyst_desk(runtime)
    return runtime


def _analyst_desk(runtime: Runtime) -> AnalystHandler:
    """Built on an analyst's first command: the categoriser takes a moment to load."""
    desks: list[AnalystDesk] = []

    async def handle(name: str, rest: str, staff: StaffReplies) -> list[str]:
        if not desks:
            from bot.application.analyst import Analyst

            questionnaire, quarters = runtime.content.questionnaire, runtime.settings.quarters
            analyst = Analyst(runtime.database, questionnaire, quarters, runtime.code)
            desks.append(
                AnalystDesk(
                    analyst,
                    runtime.content.locale,
                    runtime.reports,
                    runtime.today,
                    everywhere=lambda: [place.municipality for place in runtime.everywhere],
                    form_ids=lambda: {form.form_id for form in runtime.forms.active},
                )
            )
        return await desks[0].handle(name, rest, staff)

    return handle
