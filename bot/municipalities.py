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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.questionnaire.content import Content
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import SERVICE
from bot.questionnaire.services import Service, offer_services, service_texts
from bot.refusal import Refusal
from bot.settings import CITIZEN_LANGUAGES, CODE_PATTERN, Settings, StartupError

HOME_PATH = "/telegram/webhook"
SECRET_KEYS = frozenset({"token", "page_token", "webhook_secret", "password"})


class MunicipalityError(StartupError):
    """A mistake in a municipality's file, for the clerk who fixes it: the file, the
    municipality and the key, in a sentence of the staff's language (``cli.municipality``).

    ``reason`` names a text under ``cli.municipality_reasons``; a check of pydantic's own
    that has no text of ours keeps its (English) words in ``detail``, as settings errors do.
    """

    def __init__(self, path: Path | str, code: object, key: str, reason: str, **values: object):
        self.path, self.code, self.key = str(path), str(code), key
        self.reason, self.values = reason, values
        super().__init__(self.path)

    def text(self, locale: Locale) -> str:
        reason = locale.t(f"cli.municipality_reasons.{self.reason}", **self.values)
        return locale.t(
            "cli.municipality", path=self.path, code=self.code, setting=self.key, reason=reason
        )

    def __str__(self) -> str:
        from bot.questionnaire.content import bundled_locale, load_locale

        return self.text(load_locale(bundled_locale("ka")))


class Reason(ValueError):
    """What our own checks found, by the key of its text (``cli.municipality_reasons``)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramFile(_Strict):
    token_env: str
    """The NAME of the variable holding the bot's token, never the token."""
    webhook_url: str | None = None
    webhook_secret_env: str | None = None
    username: str | None = None


class MessengerFile(_Strict):
    page_id: str
    page_token_env: str
    page_name: str | None = None


class StaffFile(_Strict):
    analysts: tuple[int, ...] = ()
    paper: tuple[int, ...] = ()
    """Telegram ids of the staff who type in paper forms."""
    chats: tuple[int, ...] = ()
    emails: tuple[str, ...] = ()

    @field_validator("emails")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
                raise Reason("not_email", value=address)
        return value


class SmtpFile(_Strict):
    """The municipality's own mail server (else the installation's ``SMTP_*``)."""

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password_env: str | None = None
    from_address: str | None = None
    starttls: bool = True


class ServiceFile(_Strict):
    """One of the municipality's own services (a standard one is named by its code alone)."""

    code: str = Field(pattern=f"^{CODE_PATTERN}$")
    name: dict[str, str]
    short: dict[str, str] = {}
    """The button's label, at most about 30 characters (Messenger shows 20); else the name."""
    offered: bool = True
    """``false``: no longer offered to citizens, still named in reports of earlier periods."""

    @field_validator("name")
    @classmethod
    def _georgian_name(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("ka", "").strip():
            raise Reason("no_georgian_name")
        return value


class MunicipalityFile(_Strict):
    code: str = Field(pattern=f"^{CODE_PATTERN}$")
    name: dict[str, str]
    timezone: str | None = None
    quarter_start_month: int | None = Field(default=None, ge=1, le=12)
    languages: tuple[str, ...] = ("ka",)
    public_min_count: int | None = Field(default=None, ge=1)
    enabled: bool = True
    web: bool | None = None
    telegram: TelegramFile | None = None
    messenger: MessengerFile | None = None
    staff: StaffFile = StaffFile()
    smtp: SmtpFile | None = None
    digest_cron: str | None = None
    quarterly_cron: str | None = None
    services: tuple[ServiceFile | str, ...] | None = None
    """The service question's choices, in order (``other`` is always last); unset: the
    standard ones."""

    @field_validator("name")
    @classmethod
    def _georgian_name(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("ka", "").strip():
            raise Reason("no_georgian_name")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        try:
            return None if value is None else ZoneInfo(value).key
        except (ZoneInfoNotFoundError, ValueError):
            raise Reason("unknown_timezone", value=value) from None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if code not in CITIZEN_LANGUAGES:
                raise Reason("unknown_language", value=code, known=", ".join(CITIZEN_LANGUAGES))
        if not value or value[0] != "ka":
            raise Reason("georgian_first")
        return value

    @field_validator("digest_cron", "quarterly_cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        from apscheduler.triggers.cron import CronTrigger

        if value is not None:
            try:
                CronTrigger.from_crontab(value)
            except ValueError:
                raise Reason("not_crontab", value=value) from None
        return value


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


def read_files(folder: Path) -> dict[str, tuple[Path, MunicipalityFile]]:
    if not folder.is_dir():
        raise Refusal("municipalities_dir_missing", path=folder)
    found: dict[str, tuple[Path, MunicipalityFile]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_file(path)
        if data.code in found:
            other = found[data.code][0]
            raise MunicipalityError(path, data.code, "code", "same_code", other=other)
        found[data.code] = (path, data)
    return found


def read_file(path: Path) -> MunicipalityFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        detail = " ".join(str(error).split())
        raise MunicipalityError(path, path.stem, "-", "not_yaml", detail=detail) from None
    if not isinstance(raw, dict):
        raise MunicipalityError(path, path.stem, "-", "not_mapping")
    raw.setdefault("code", path.stem)
    try:
        data = MunicipalityFile.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        secrets = [p for p in problems if p["type"] == "extra_forbidden" and _secret(p)]
        problem = (secrets or problems)[0]  # a token written in: the first thing to say
        key = ".".join(_parts(problem["loc"])) or "-"
        reason, values = _reason(problem, key)
        raise MunicipalityError(path, raw.get("code"), key, reason, **values) from None
    _check_services(path, data)
    return data


def _check_services(path: Path, data: MunicipalityFile) -> None:
    """A service named by its code alone must be a standard one (its names are known)."""
    standard = standard_services()
    for index, entry in enumerate(data.services or ()):
        if isinstance(entry, str) and entry not in standard:
            known = ", ".join(standard)
            key = f"services.{index}"
            raise MunicipalityError(
                path, data.code, key, "unknown_service", value=entry, known=known
            )


@cache
def standard_services() -> tuple[str, ...]:
    from bot.questionnaire.content import bundled_definition, load_questionnaire

    question = load_questionnaire(bundled_definition()).with_role(SERVICE)
    return question.options if question else ()


def _services(data: MunicipalityFile) -> tuple[Service, ...] | None:
    if data.services is None:
        return None
    return tuple(
        Service(entry, {}, {})
        if isinstance(entry, str)
        else Service(entry.code, entry.name, entry.short, entry.offered)
        for entry in data.services
    )


def _parts(location: Any) -> list[str]:
    """The key as the file writes it: without pydantic's names of the union's branches."""
    return [
        str(p) for p in location if not (isinstance(p, str) and (p[:1].isupper() or p == "str"))
    ]


def _secret(problem: Any) -> bool:
    return str(problem["loc"][-1]) in SECRET_KEYS


def _reason(problem: Any, key: str) -> tuple[str, dict[str, object]]:
    """Which of our texts says what is wrong (``detail``: pydantic's words, for the rest)."""
    kind = problem["type"]
    found = (problem.get("ctx") or {}).get("error")
    if isinstance(found, Reason):
        return found.key, found.values
    if kind == "extra_forbidden":
        return ("secret" if _secret(problem) else "unknown_key"), {}
    if kind == "missing":
        return "missing", {}
    return "invalid", {"detail": " ".join(str(problem["msg"]).split())}


def _home(
    settings: Settings, data: MunicipalityFile | None, secrets: Mapping[str, str]
) -> Municipality:
    names = {"ka": settings.municipality_name}
    if data is None:
        return Municipality(settings.municipality_code, names, settings, home=True)
    path = settings.municipalities_dir / f"{data.code}.yaml"  # type: ignore[operator]
    return Municipality(
        data.code,
        data.name,
        _overlay(settings, data, secrets, path, home=True),
        home=True,
        enabled=data.enabled,
        source=str(path),
        services=_services(data),
    )


def _other(
    settings: Settings, path: Path, data: MunicipalityFile, secrets: Mapping[str, str]
) -> Municipality:
    return Municipality(
        data.code,
        data.name,
        _overlay(settings, data, secrets, path, home=False),
        enabled=data.enabled,
        source=str(path),
        services=_services(data),
    )


def _overlay(
    base: Settings,
    data: MunicipalityFile,
    secrets: Mapping[str, str],
    path: Path,
    home: bool,
) -> Settings:
    """The municipality's settings. Unset keys fall back to the installation's settings;
    for any municipality but the home one, channels and staff do not (they are its own)."""

    def secret(key: str, name: str | None) -> SecretStr | None:
        if name is None:
            return None
        value = secrets.get(name, "").strip()
        if not value:
            raise MunicipalityError(path, data.code, key, "secret_unset", name=name)
        return SecretStr(value)

    def own(value: Any, fallback: Any, empty: Any = None) -> Any:
        if value not in (None, ()):
            return value
        return fallback if home else empty

    language = base.language if base.language in data.name else "ka"
    telegram, messenger, staff = data.telegram, data.messenger, data.staff
    update: dict[str, Any] = {
        "municipality_code": data.code,
        "municipality_name": data.name[language],
        "timezone": data.timezone or base.timezone,
        "quarter_start_month": data.quarter_start_month or base.quarter_start_month,
        "public_min_count": data.public_min_count or base.public_min_count,
        "languages": data.languages,
        "digest_cron": data.digest_cron or base.digest_cron,
        "quarterly_cron": data.quarterly_cron or base.quarterly_cron,
        "web_enabled": base.web_enabled if data.web is None else data.web,
        "analyst_ids": own(staff.analysts, base.analyst_ids, ()),
        "staff_ids": own(staff.paper, base.staff_ids, ()),
        "staff_chat_ids": own(staff.chats, base.staff_chat_ids, ()),
        "staff_emails": own(staff.emails, base.staff_emails, ()),
    }
    if telegram is not None:
        update |= {
            "telegram_bot_token": secret("telegram.token_env", telegram.token_env),
            "telegram_webhook_url": telegram.webhook_url
            or webhook_url_for(base.telegram_webhook_url, None if home else data.code),
            "telegram_webhook_secret": secret(
                "telegram.webhook_secret_env", telegram.webhook_secret_env
            ),
            "bot_username": telegram.username,
        }
    elif not home:
        update |= {
            "telegram_bot_token": None,
            "telegram_webhook_url": None,
            "telegram_webhook_secret": None,
            "bot_username": None,
        }
    if messenger is not None:
        update |= {
            "messenger_page_id": messenger.page_id,
            "messenger_page_token": secret("messenger.page_token_env", messenger.page_token_env),
            "messenger_page_name": messenger.page_name,
        }
        if base.messenger_app_secret is None or base.messenger_verify_token is None:
            raise MunicipalityError(path, data.code, "messenger", "meta_app")
    elif not home:
        update |= {
            "messenger_page_id": None,
            "messenger_page_token": None,
            "messenger_page_name": None,
        }
    if data.smtp is not None:
        update |= {
            "smtp_host": data.smtp.host,
            "smtp_port": data.smtp.port,
            "smtp_username": data.smtp.username,
            "smtp_password": secret("smtp.password_env", data.smtp.password_env),
            "smtp_from": data.smtp.from_address,
            "smtp_starttls": data.smtp.starttls,
        }
    return base.model_copy(update=update)


def webhook_url_for(url: str | None, code: str | None) -> str | None:
    """``…/telegram/webhook`` becomes ``…/telegram/<code>/webhook`` for a municipality."""
    if url is None or code is None:
        return url
    if url.endswith(HOME_PATH):
        return url.removesuffix(HOME_PATH) + f"/telegram/{code}/webhook"
    return None


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
