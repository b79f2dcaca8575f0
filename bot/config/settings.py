"""The one place that reads the environment (and an optional ``.env``)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.questionnaire.periods import Quarters

ASYNC_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}
CODE_PATTERN = r"[a-z][a-z0-9_-]{1,23}"
CITIZEN_LANGUAGES = ("ka", "en", "az", "hy", "ru")
"""Languages a citizen may answer in; staff texts, reports and digests stay ka (and en)."""


class StartupError(Exception):
    """A problem an operator fixes in the configuration; shown as one line, no traceback."""


class Settings(BaseSettings):
    """Validated, frozen configuration; built once by the CLI and passed in from there."""

    model_config = SettingsConfigDict(env_file=".env", frozen=True, extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite+aiosqlite:///feedback.db"
    feedback_secret: SecretStr | None = None
    timezone: str = "Asia/Tbilisi"
    max_responses_per_day: int = Field(default=3, ge=1)
    draft_ttl_days: int = Field(default=7, ge=1)
    reminder_after_hours: int = Field(default=24, ge=0)
    language: str = "ka"
    municipality_name: str = "ამბროლაურის მუნიციპალიტეტი"
    log_level: str = "INFO"
    bot_username: str | None = None
    analyst_ids: Annotated[tuple[int, ...], NoDecode] = ()
    staff_ids: Annotated[tuple[int, ...], NoDecode] = ()
    staff_chat_ids: Annotated[tuple[int, ...], NoDecode] = ()
    public_min_count: int = Field(default=3, ge=1)
    ballot_box_size: int = Field(default=5, ge=1)
    headline_counts: Literal["all", "confirmed"] = "all"
    """Which count digests and reports put first: every form, or those begun with a desk
    slip (or typed in from paper); both are always shown."""
    digest_cron: str = "0 9 * * mon"
    quarter_start_month: int = Field(default=6, ge=1, le=12)
    """The month the municipality's first quarter starts in (Ambrolauri: June)."""
    quarterly_cron: str | None = None
    """Default: 09:00 on the first day of each of the municipality's quarters."""
    scheduled_jobs: bool = True
    results_wait_seconds: float = Field(default=3.0, ge=0)
    """How long a request for the results page waits for figures still being worked out
    (after a start, a quarter's end) before a short page asks to come back in a minute."""
    telegram_rate_limit: bool = True
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    messenger_page_token: SecretStr | None = None
    messenger_app_secret: SecretStr | None = None
    messenger_verify_token: SecretStr | None = None
    messenger_graph_url: str = "https://graph.facebook.com/v23.0"
    messenger_page_name: str | None = None
    """The page's name in ``m.me/<name>`` links (QR codes)."""
    messenger_mode: Literal["web", "chat"] = "web"
    """``web``: the chat opens the web questionnaire, so no answer is a message in the
    page's inbox; ``chat``: the questionnaire in the chat itself (the page sees it)."""
    web_enabled: bool = True
    web_base_url: str | None = None
    """The public address of the web questionnaire (links, QR codes), e.g. https://…/"""
    web_forms_per_hour: int = Field(default=6, ge=1)
    """Completed web forms one address may send in an hour (page views have their own,
    much larger budget); a registered kiosk has its own limit. Counted in memory, per
    process."""
    web_forms_per_hour_total: int | None = Field(default=None, ge=1)
    """Completed web forms all addresses together may send in an hour, per process (kiosks
    apart): a ceiling against a script with many addresses; none by default."""
    staff_console: bool | None = None
    """The staff console under ``/staff/`` on the same server (``bot.staff``); default: on
    when the web questionnaire is (``WEB_ENABLED``)."""
    staff_idle_minutes: int = Field(default=30, ge=1)
    """A console session ends after this many minutes without a request."""
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    forwarded_allow_ips: Annotated[tuple[str, ...], NoDecode] = ()
    """The reverse proxies whose ``X-Forwarded-For``/``-Proto`` are believed (addresses or
    networks, ``*`` for any); none by default, so a forged header is only a header."""
    http_max_connections: int = Field(default=1000, ge=16)
    """Lowered at start to fit the open-file limit (``bot.wiring.http_server.Bounds``)."""
    http_max_requests: int = Field(default=100, ge=1)
    http_header_timeout: float = Field(default=10.0, gt=0)
    http_body_timeout: float = Field(default=30.0, gt=0)
    municipality_code: str = "default"
    """The code of the municipality these variables configure (and that owns the data of an
    installation made before there were several)."""
    municipalities_dir: Path | None = None
    """A folder with one ``<code>.yaml`` per municipality (``bot.application.municipalities``)."""
    secrets_file: Path | None = None
    """``NAME=value`` lines: the secrets municipality files refer to by name."""
    languages: Annotated[tuple[str, ...], NoDecode] = ()
    """The citizens' languages, Georgian first (``ka,ru``); default: ``LANGUAGE`` alone."""
    messenger_page_id: str | None = None
    """The page's id: routes its webhook entries here when several pages share the app."""
    national_analyst_ids: Annotated[tuple[int, ...], NoDecode] = ()
    """Telegram user ids of the association's analysts: the national comparison only."""
    staff_emails: Annotated[tuple[str, ...], NoDecode] = ()
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    smtp_ca_file: Path | None = None
    """A CA certificate to trust for the SMTP server besides the system's (tests, own CA)."""
    metrics: bool = False
    """``/metrics`` (Prometheus): off by default; on, it is served to this machine's own
    clients only, or to anyone sending ``Authorization: Bearer <METRICS_TOKEN>``."""
    metrics_token: SecretStr | None = None
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object per line, for journald and log shippers."""
    texts_kept_months: int = Field(default=24, ge=1)
    """Free texts and the day of responses are kept this many whole months after their month;
    then the texts are deleted (categories remain) and the day becomes the month's first."""

    backup_cron: str | None = None
    """When the scheduled backup runs (e.g. ``30 2 * * *``, at night: see docs/anonymity.md);
    none by default. Needs ``BACKUP_DIR``."""
    backup_dir: Path | None = None
    backup_keep: int = Field(default=14, ge=1)
    """The scheduled backups kept in ``BACKUP_DIR``: the newest N, older ones deleted."""
    backup_passphrase: SecretStr | None = None
    """Backups are encrypted with a key derived from it (scrypt, AES-GCM) when it is set."""
    pg_bin_dir: Path | None = None
    """Where ``pg_dump`` and ``pg_restore`` are; default: Debian's newest, else the PATH."""

    @field_validator("digest_cron", "quarterly_cron", "backup_cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        from apscheduler.triggers.cron import CronTrigger

        if value is None or not value.strip():
            return None
        try:
            CronTrigger.from_crontab(value)
        except ValueError as error:
            raise ValueError(f"not a crontab expression ({error})") from None
        return value

    @field_validator("languages", "staff_emails", mode="before")
    @classmethod
    def _comma_separated_words(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part for part in value.replace(" ", "").split(",") if part)
        return value

    @field_validator("forwarded_allow_ips", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        """``FORWARDED_ALLOW_IPS=10.0.0.5,192.168.1.0/24``: each an address or a network."""
        if not isinstance(value, str):
            return value
        proxies = tuple(part for part in value.replace(" ", "").split(",") if part)
        for proxy in proxies:
            if proxy != "*":
                try:
                    ipaddress.ip_network(proxy, strict=False)
                except ValueError:
                    raise ValueError(f"{proxy!r} is not an IP address or network") from None
        return proxies

    @field_validator("municipality_code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not re.fullmatch(CODE_PATTERN, value):
            raise ValueError("2-24 characters: a-z, 0-9, _ and -, starting with a letter")
        return value

    @field_validator("languages")
    @classmethod
    def _citizen_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in CITIZEN_LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language {unknown[0]!r}: one of {sorted(CITIZEN_LANGUAGES)}")
        if value and value[0] != "ka":
            raise ValueError("Georgian (ka) comes first")
        return value

    @field_validator(
        "analyst_ids", "staff_ids", "staff_chat_ids", "national_analyst_ids", mode="before"
    )
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        """``ANALYST_IDS=111,222``: Telegram user ids, the only ids we ever configure."""
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "messenger_page_token",
        "messenger_app_secret",
        "messenger_verify_token",
        "web_base_url",
        "smtp_host",
        "smtp_password",
        "messenger_page_id",
        "backup_passphrase",
        "backup_cron",
        "metrics_token",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``MESSENGER_PAGE_TOKEN=`` left empty in ``.env`` means "not used", not "empty"."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _messenger_complete(self) -> Settings:
        """A page token without the app secret would accept forged webhook calls."""
        if self.messenger_page_token is not None:
            missing = [
                name.upper()
                for name in ("messenger_app_secret", "messenger_verify_token")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"MESSENGER_PAGE_TOKEN is set, so set {' and '.join(missing)}")
            if self.messenger_mode == "web" and not self.web_enabled:
                raise ValueError("MESSENGER_MODE=web opens the web questionnaire: WEB_ENABLED")
        return self

    @model_validator(mode="after")
    def _backup_place(self) -> Settings:
        """A scheduled backup must know where its files go."""
        if self.backup_cron and self.backup_dir is None:
            raise ValueError("BACKUP_CRON is set, so set BACKUP_DIR")
        return self

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_token_characters(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - in the secret token."""
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("1-256 characters: letters, digits, _ and -")
        return value

    @field_validator(
        "telegram_base_url", "messenger_graph_url", "telegram_webhook_url", "web_base_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_database(cls, value: str) -> str:
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            raise ValueError("not a SQLAlchemy URL, e.g. sqlite+aiosqlite:///feedback.db") from None
        if driver not in ASYNC_DRIVERS:
            raise ValueError(f"use one of {sorted(ASYNC_DRIVERS)}, not {driver!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Tbilisi") from None
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in {"ka", "en"}:
            raise ValueError("ka or en")
        return value

    @property
    def citizen_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def console(self) -> bool:
        return self.web_enabled if self.staff_console is None else self.staff_console

    @property
    def email(self) -> bool:
        return self.smtp_host is not None

    @property
    def messenger(self) -> bool:
        return self.messenger_page_token is not None

    @property
    def quarters(self) -> Quarters:
        return Quarters(self.quarter_start_month)

    @property
    def quarterly_schedule(self) -> str:
        """``QUARTERLY_CRON``, or the day after each of the municipality's quarters ends."""
        if self.quarterly_cron:
            return self.quarterly_cron
        months = ",".join(map(str, self.quarters.start_months()))
        return f"0 9 1 {months} *"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is an SQLite file, else ``None``."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database)
