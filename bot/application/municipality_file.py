"""A municipality's file, read and checked: what a clerk wrote, and each mistake named by
the file, the municipality and the key in the staff's language (``cli.municipality``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.application.refusal import Refusal
from bot.config.settings import CITIZEN_LANGUAGES, CODE_PATTERN, StartupError
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import SERVICE

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


def _named_in_georgian(names: dict[str, str]) -> dict[str, str]:
    """Georgian first: a municipality or service without a Georgian name is refused."""
    if not names.get("ka", "").strip():
        raise Reason("no_georgian_name")
    return names


GeorgianNames = Annotated[dict[str, str], AfterValidator(_named_in_georgian)]


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
    name: GeorgianNames
    short: dict[str, str] = {}
    """The button's label, at most about 30 characters (Messenger shows 20); else the name."""
    offered: bool = True
    """``false``: no longer offered to citizens, still named in reports of earlier periods."""


class MunicipalityFile(_Strict):
    code: str = Field(pattern=f"^{CODE_PATTERN}$")
    name: GeorgianNames
    timezone: str | None = None
    quarter_start_month: int | None = Field(default=None, ge=1, le=12)
    languages: tuple[str, ...] = ("ka",)
    public_min_count: int | None = Field(default=None, ge=1)
    texts_kept_months: int | None = Field(default=None, ge=1)
    """Months free texts and days are kept (``TEXTS_KEPT_MONTHS``; docs/privacy.md)."""
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
