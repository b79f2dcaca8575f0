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
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.settings import CITIZEN_LANGUAGES, CODE_PATTERN, Settings, StartupError

HOME_PATH = "/telegram/webhook"


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
                raise ValueError(f"not an e-mail address: {address!r}")
        return value


class SmtpFile(_Strict):
    """The municipality's own mail server (else the installation's ``SMTP_*``)."""

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password_env: str | None = None
    from_address: str | None = None
    starttls: bool = True


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

    @field_validator("name")
    @classmethod
    def _georgian_name(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("ka", "").strip():
            raise ValueError("needs the Georgian name (ka)")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        try:
            return None if value is None else ZoneInfo(value).key
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Tbilisi") from None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if code not in CITIZEN_LANGUAGES:
                raise ValueError(f"unknown language {code!r}: one of {list(CITIZEN_LANGUAGES)}")
        if not value or value[0] != "ka":
            raise ValueError("Georgian (ka) comes first")
        return value

    @field_validator("digest_cron", "quarterly_cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        from apscheduler.triggers.cron import CronTrigger

        if value is not None:
            try:
                CronTrigger.from_crontab(value)
            except ValueError as error:
                raise ValueError(f"not a crontab expression ({error})") from None
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


def secrets_from(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Named secrets: ``SECRETS_FILE`` (``NAME=value`` lines), then the environment (wins)."""
    found: dict[str, str] = {}
    if settings.secrets_file is not None:
        from dotenv import dotenv_values

        if not settings.secrets_file.is_file():
            raise StartupError(f"SECRETS_FILE: {settings.secrets_file}: file not found")
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
        raise StartupError(f"MUNICIPALITIES_DIR: {folder}: not a folder")
    found: dict[str, tuple[Path, MunicipalityFile]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_file(path)
        if data.code in found:
            raise StartupError(f"{path}: code: {data.code!r} is also in {found[data.code][0]}")
        found[data.code] = (path, data)
    return found


def read_file(path: Path) -> MunicipalityFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise StartupError(f"{path}: not readable YAML ({error})") from None
    if not isinstance(raw, dict):
        raise StartupError(f"{path}: a municipality file is a mapping of keys")
    raw.setdefault("code", path.stem)
    try:
        return MunicipalityFile.model_validate(raw)
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(part) for part in problem["loc"]) or "-"
        reason = problem["msg"]
        if problem["type"] == "extra_forbidden" and key.rsplit(".", 1)[-1] in {
            "token",
            "page_token",
            "webhook_secret",
            "password",
        }:
            reason = "secrets are never written here: name the variable that holds it (…_env)"
        raise StartupError(f"{path}: municipality {raw.get('code')!r}: {key}: {reason}") from None


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
            raise StartupError(
                f"{path}: municipality {data.code!r}: {key}: {name} is not set "
                "(in the environment or SECRETS_FILE)"
            )
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
            raise StartupError(
                f"{path}: municipality {data.code!r}: messenger: the Meta app's "
                "MESSENGER_APP_SECRET and MESSENGER_VERIFY_TOKEN must be set too"
            )
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
                raise StartupError(
                    f"{municipality.source}: municipality {municipality.code!r}: "
                    f"telegram.token_env: the same bot as {tokens[token]!r}"
                )
            tokens[token] = municipality.code
        if settings.messenger:
            page = settings.messenger_page_id
            if page in pages:
                key = "messenger.page_id" if page else "MESSENGER_PAGE_ID"
                raise StartupError(
                    f"{municipality.source}: municipality {municipality.code!r}: "
                    f"{key}: the same page as {pages[page]!r}"
                )
            pages[page] = municipality.code
    if len(pages) > 1 and None in pages:
        raise StartupError(
            f"MESSENGER_PAGE_ID: several pages share the Meta app ({', '.join(pages.values())}):"
            f" set the page id of municipality {pages[None]!r}, so each page's messages reach it"
        )


def pick(found: list[Municipality], code: str | None) -> Municipality:
    """The municipality a command means: named, or the only one; never a guess."""
    if code is None:
        if len(found) == 1:
            return found[0]
        codes = ", ".join(m.code for m in found)
        raise StartupError(f"--municipality: there are several ({codes}); name one")
    for municipality in found:
        if municipality.code == code:
            return municipality
    codes = ", ".join(m.code for m in found)
    raise StartupError(f"--municipality: no municipality {code!r} (there are: {codes})")
