"""Municipalities are data: one YAML file each, or the environment for a single one.

An installation run by the association serves many municipalities, each with its own bot,
page, staff, calendar and languages. Each municipality becomes a ``Settings`` of its own
(the global settings with its values laid over them), so everything downstream — channels,
jobs, reports — keeps reading one settings object and never asks "which municipality?".

Secrets are never in these files: a file names the environment variable (or the line of
``SECRETS_FILE``) that holds each token, and a missing one stops the bot at start with the
municipality and the key named.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.application.municipality_file import (
    MunicipalityError,
    MunicipalityFile,
    read_files,
)
from bot.application.municipality_settings import overlay
from bot.application.refusal import Refusal
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.services import Service, offer_services, service_texts


@dataclass(frozen=True)
class Municipality:
    code: str
    names: Mapping[str, str]
    settings: Settings
    """The installation's settings with this municipality's values laid over them."""
    home: bool = False
    """Configured by the environment (``MUNICIPALITY_CODE``): owns the data of an
    installation made before there were several, and keeps its keys and addresses."""
    enabled: bool = True
    source: str = "environment"
    services: tuple[Service, ...] | None = None
    """Its own service list (``None``: the standard one); see ``offered_services``."""
    public_floor: int = 0
    """The installation's ``PUBLIC_MIN_COUNT``: a municipality's file may raise its
    threshold, never lower it (0: this municipality's own value is the floor)."""

    @property
    def offered_services(self) -> tuple[Service, ...] | None:
        return None if self.services is None else tuple(s for s in self.services if s.offered)

    @property
    def name(self) -> str:
        return self.settings.municipality_name

    @property
    def scope(self) -> str | None:
        """What keys and channel instances are scoped by: nothing for the home municipality
        (so an upgraded installation's drafts and addresses stay as they were)."""
        return None if self.home else self.code

    @property
    def languages(self) -> tuple[str, ...]:
        return self.settings.citizen_languages

    def own_content(self, standard: Content) -> Content:
        """The built-in form offering this municipality's services (the standard ones if it
        lists none), with its own services' names: what its bot asks and what its command
        line reports, checks and prints, alike (``standard``: in its language)."""
        if self.services is None:
            return standard
        language = self.settings.language
        questionnaire = offer_services(standard.questionnaire, self.services)
        texts = service_texts(questionnaire, self.services, language)
        return Content(questionnaire, standard.locale.with_texts(texts))


def secrets_from(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Named secrets: ``SECRETS_FILE`` (``NAME=value`` lines), then the environment (wins)."""
    found: dict[str, str] = {}
    if settings.secrets_file is not None:
        from dotenv import dotenv_values

        if not settings.secrets_file.is_file():
            raise Refusal("secrets_file_missing", path=settings.secrets_file)
        found |= {k: v for k, v in dotenv_values(settings.secrets_file).items() if v}
    found |= dict(os.environ if environ is None else environ)
    return found


def load_municipalities(
    settings: Settings, environ: Mapping[str, str] | None = None, disabled: bool = False
) -> list[Municipality]:
    """The home municipality (from the environment, or its own file) first, then the others
    by code; a mistake stops the start with the file, the municipality and the key named.
    ``disabled``: list the disabled ones too (``municipality list``)."""
    files = read_files(settings.municipalities_dir) if settings.municipalities_dir else {}
    secrets = secrets_from(settings, environ) if files else {}
    home_file = files.pop(settings.municipality_code, None)
    home = _home(settings, home_file, secrets)
    others = [_other(settings, path, data, secrets) for path, data in files.values()]
    found = [home, *sorted(others, key=lambda m: m.code)]
    _check_unique(found)
    return [m for m in found if m.enabled or disabled]


def _services(data: MunicipalityFile) -> tuple[Service, ...] | None:
    if data.services is None:
        return None
    return tuple(
        Service(entry, {}, {})
        if isinstance(entry, str)
        else Service(entry.code, entry.name, entry.short, entry.offered)
        for entry in data.services
    )


def _home(
    settings: Settings, data: MunicipalityFile | None, secrets: Mapping[str, str]
) -> Municipality:
    names = {"ka": settings.municipality_name}
    if data is None:
        return Municipality(
            settings.municipality_code,
            names,
            settings,
            home=True,
            public_floor=settings.public_min_count,
        )
    path = settings.municipalities_dir / f"{data.code}.yaml"  # type: ignore[operator]
    return Municipality(
        data.code,
        data.name,
        overlay(settings, data, secrets, path, home=True),
        home=True,
        enabled=data.enabled,
        source=str(path),
        services=_services(data),
        public_floor=settings.public_min_count,
    )


def _other(
    settings: Settings, path: Path, data: MunicipalityFile, secrets: Mapping[str, str]
) -> Municipality:
    return Municipality(
        data.code,
        data.name,
        overlay(settings, data, secrets, path, home=False),
        enabled=data.enabled,
        source=str(path),
        services=_services(data),
        public_floor=settings.public_min_count,
    )


def _check_unique(found: list[Municipality]) -> None:
    """Two municipalities on one bot or one page would see each other's citizens."""
    tokens: dict[str, str] = {}
    pages: dict[str | None, str] = {}
    for municipality in found:
        settings = municipality.settings
        if settings.telegram_bot_token is not None:
            token = settings.telegram_bot_token.get_secret_value()
            if token in tokens:
                raise MunicipalityError(
                    municipality.source,
                    municipality.code,
                    "telegram.token_env",
                    "same_bot",
                    other=tokens[token],
                )
            tokens[token] = municipality.code
        if settings.messenger:
            page = settings.messenger_page_id
            if page in pages:
                key = "messenger.page_id" if page else "MESSENGER_PAGE_ID"
                raise MunicipalityError(
                    municipality.source, municipality.code, key, "same_page", other=pages[page]
                )
            pages[page] = municipality.code
    if len(pages) > 1 and None in pages:
        codes = ", ".join(str(code) for code in pages.values())
        raise Refusal("messenger_page_ids", codes=codes, code=pages[None])


def pick(found: list[Municipality], code: str | None) -> Municipality:
    """The municipality a command means: named, or the only one; never a guess."""
    if code is None:
        if len(found) == 1:
            return found[0]
        codes = ", ".join(m.code for m in found)
        raise Refusal("municipality_ambiguous", codes=codes)
    for municipality in found:
        if municipality.code == code:
            return municipality
    codes = ", ".join(m.code for m in found)
    raise Refusal("municipality_unknown", code=code, codes=codes)
