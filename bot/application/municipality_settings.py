"""A municipality's ``Settings``: its file's values laid over the installation's.

Unset keys fall back to the installation's settings; for any municipality but the home one,
channels and staff do not (they are its own, and another's would reach the wrong citizens).
A secret is named in the file and read from the environment or ``SECRETS_FILE``; a missing
one stops the start with the municipality and the key named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.application.municipality_file import MunicipalityError, MunicipalityFile
from bot.config.settings import Settings

HOME_PATH = "/telegram/webhook"


@dataclass(frozen=True)
class _Secrets:
    secrets: Mapping[str, str]
    path: Path
    code: str

    def get(self, key: str, name: str | None) -> SecretStr | None:
        if name is None:
            return None
        value = self.secrets.get(name, "").strip()
        if not value:
            raise MunicipalityError(self.path, self.code, key, "secret_unset", name=name)
        return SecretStr(value)


def overlay(
    base: Settings,
    data: MunicipalityFile,
    secrets: Mapping[str, str],
    path: Path,
    home: bool,
) -> Settings:
    """The municipality's settings (see the module's docstring for what falls back)."""
    secret = _Secrets(secrets, path, data.code)
    update = _general(base, data, home)
    update |= _telegram(base, data, secret, home)
    update |= _messenger(base, data, secret, path, home)
    update |= _smtp(data, secret)
    return base.model_copy(update=update)


def _general(base: Settings, data: MunicipalityFile, home: bool) -> dict[str, Any]:
    def own(value: Any, fallback: Any, empty: Any = None) -> Any:
        if value not in (None, ()):
            return value
        return fallback if home else empty

    language = base.language if base.language in data.name else "ka"
    staff = data.staff
    return {
        "municipality_code": data.code,
        "municipality_name": data.name[language],
        "timezone": data.timezone or base.timezone,
        "quarter_start_month": data.quarter_start_month or base.quarter_start_month,
        "public_min_count": max(data.public_min_count or 0, base.public_min_count),
        "texts_kept_months": data.texts_kept_months or base.texts_kept_months,
        "languages": data.languages,
        "digest_cron": data.digest_cron or base.digest_cron,
        "quarterly_cron": data.quarterly_cron or base.quarterly_cron,
        "web_enabled": base.web_enabled if data.web is None else data.web,
        "analyst_ids": own(staff.analysts, base.analyst_ids, ()),
        "staff_ids": own(staff.paper, base.staff_ids, ()),
        "staff_chat_ids": own(staff.chats, base.staff_chat_ids, ()),
        "staff_emails": own(staff.emails, base.staff_emails, ()),
    }


def _telegram(
    base: Settings, data: MunicipalityFile, secret: _Secrets, home: bool
) -> dict[str, Any]:
    telegram = data.telegram
    if telegram is not None:
        return {
            "telegram_bot_token": secret.get("telegram.token_env", telegram.token_env),
            "telegram_webhook_url": telegram.webhook_url
            or webhook_url_for(base.telegram_webhook_url, None if home else data.code),
            "telegram_webhook_secret": secret.get(
                "telegram.webhook_secret_env", telegram.webhook_secret_env
            ),
            "bot_username": telegram.username,
        }
    if home:
        return {}
    return {
        "telegram_bot_token": None,
        "telegram_webhook_url": None,
        "telegram_webhook_secret": None,
        "bot_username": None,
    }


def _messenger(
    base: Settings, data: MunicipalityFile, secret: _Secrets, path: Path, home: bool
) -> dict[str, Any]:
    """A page of its own needs the installation's Meta app (one app serves every page)."""
    messenger = data.messenger
    if messenger is not None:
        update = {
            "messenger_page_id": messenger.page_id,
            "messenger_page_token": secret.get(
                "messenger.page_token_env", messenger.page_token_env
            ),
            "messenger_page_name": messenger.page_name,
        }
        if base.messenger_app_secret is None or base.messenger_verify_token is None:
            raise MunicipalityError(path, data.code, "messenger", "meta_app")
        return update
    if home:
        return {}
    return {"messenger_page_id": None, "messenger_page_token": None, "messenger_page_name": None}


def _smtp(data: MunicipalityFile, secret: _Secrets) -> dict[str, Any]:
    if data.smtp is None:
        return {}
    return {
        "smtp_host": data.smtp.host,
        "smtp_port": data.smtp.port,
        "smtp_username": data.smtp.username,
        "smtp_password": secret.get("smtp.password_env", data.smtp.password_env),
        "smtp_from": data.smtp.from_address,
        "smtp_starttls": data.smtp.starttls,
    }


def webhook_url_for(url: str | None, code: str | None) -> str | None:
    """``…/telegram/webhook`` becomes ``…/telegram/<code>/webhook`` for a municipality."""
    if url is None or code is None:
        return url
    if url.endswith(HOME_PATH):
        return url.removesuffix(HOME_PATH) + f"/telegram/{code}/webhook"
    return None
