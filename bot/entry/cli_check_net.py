"""``feedback-bot check``'s lines that ask another machine: Telegram, Messenger, e-mail and
the public address, each with a short timeout.

A token is first checked by its form (a typing mistake needs no network); then the service
is asked who the token belongs to (Telegram's ``getMe``, the Graph API's ``/me``) at the
address the settings name, so a test's fake on 127.0.0.1 answers instead. The public
address's certificate is read when the address can be reached from here; when it cannot
(a server that cannot reach its own public name), the line says it was not checked.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiosmtplib
import httpx

from bot.application.municipalities import Municipality
from bot.config.settings import Settings
from bot.questionnaire.i18n import Locale

TIMEOUT = 5.0
TELEGRAM_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{30,}")
PAGE_TOKEN = re.compile(r"[A-Za-z0-9]{40,}")
GOOD, BAD, SKIPPED = "✓", "✗", "–"
CERTIFICATE_DAYS = 14
"""A certificate closer than this to its end is a ✗: Caddy renews a month ahead."""


@dataclass(frozen=True)
class Line:
    mark: str
    text: str

    def __str__(self) -> str:
        return f"{self.mark} {self.text}"


async def channel_lines(place: Municipality, locale: Locale) -> list[Line]:
    settings, code = place.settings, place.code
    lines = []
    if settings.telegram_bot_token is not None:
        bot = await _telegram(settings, code, locale)
        lines.append(bot)
        if settings.telegram_webhook_url is not None:
            lines.append(await _webhook(settings, code, locale, ask=bot.mark == GOOD))
    if settings.messenger_page_token is not None:
        lines.append(await _messenger(settings, code, locale))
    if settings.smtp_host is not None:
        lines.append(await _email(settings, code, locale))
    if settings.web_enabled:
        lines.append(await _public_address(settings, code, locale))
    return lines


async def _telegram(settings: Settings, code: str, locale: Locale) -> Line:
    t = locale.t
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    if not TELEGRAM_TOKEN.fullmatch(token):
        return Line(BAD, t("check.telegram_format", code=code))
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            answer = await http.get(f"{settings.telegram_base_url}{token}/getMe")
    except httpx.HTTPError as error:
        where = urlsplit(settings.telegram_base_url).netloc
        return Line(BAD, t("check.unreachable", code=code, where=where, reason=_kind(error)))
    if answer.status_code != 200:
        return Line(BAD, t("check.telegram_refused", code=code, status=answer.status_code))
    username = answer.json().get("result", {}).get("username", "?")
    return Line(GOOD, t("check.telegram", code=code, username=username))


async def _webhook(settings: Settings, code: str, locale: Locale, ask: bool) -> Line:
    """The address's form, then what Telegram says of it (``getWebhookInfo``): where it
    sends updates, and the last delivery's error if there was one in the last day.
    ``ask``: the token works (else Telegram is not asked again)."""
    t = locale.t
    url = settings.telegram_webhook_url or ""
    if not url.startswith("https://"):
        return Line(BAD, t("check.webhook_https", code=code))
    if settings.telegram_webhook_secret is None:
        return Line(BAD, t("check.webhook_secret", code=code))
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    if not ask:
        return Line(SKIPPED, t("check.webhook_unasked", code=code, url=url))
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            answer = await http.get(f"{settings.telegram_base_url}{token}/getWebhookInfo")
        info = answer.json().get("result", {}) if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        info = None
    if info is None:
        return Line(SKIPPED, t("check.webhook_unasked", code=code, url=url))
    found, error = info.get("url", ""), info.get("last_error_message")
    recent = time.time() - int(info.get("last_error_date", 0)) < 24 * 3600
    if not found:
        return Line(SKIPPED, t("check.webhook_not_set", code=code, url=url))
    if found != url:
        return Line(BAD, t("check.webhook_elsewhere", code=code, url=url, found=found))
    if error and recent:
        return Line(BAD, t("check.webhook_failing", code=code, url=url, reason=error[:120]))
    return Line(GOOD, t("check.webhook", code=code, url=url))


async def _messenger(settings: Settings, code: str, locale: Locale) -> Line:
    t = locale.t
    assert settings.messenger_page_token is not None
    token = settings.messenger_page_token.get_secret_value()
    if not PAGE_TOKEN.fullmatch(token.replace("-", "").replace("_", "")):
        return Line(BAD, t("check.messenger_format", code=code))
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            answer = await http.get(
                f"{settings.messenger_graph_url}/me",
                params={"fields": "name"},
                headers={"Authorization": f"Bearer {token}"},
            )
    except httpx.HTTPError as error:
        where = urlsplit(settings.messenger_graph_url).netloc
        return Line(BAD, t("check.unreachable", code=code, where=where, reason=_kind(error)))
    if answer.status_code != 200:
        return Line(BAD, t("check.messenger_refused", code=code, status=answer.status_code))
    name = answer.json().get("name", "?")
    return Line(GOOD, t("check.messenger", code=code, name=name))


async def _email(settings: Settings, code: str, locale: Locale) -> Line:
    """Connects, says STARTTLS and logs in (when a user is set); sends nothing."""
    t = locale.t
    context = ssl.create_default_context()
    if settings.smtp_ca_file is not None:
        context.load_verify_locations(cafile=str(settings.smtp_ca_file))
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        start_tls=settings.smtp_starttls,
        tls_context=context,
        timeout=TIMEOUT,
    )
    try:
        await client.connect()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            await client.login(settings.smtp_username, password)
        await client.quit()
    except aiosmtplib.SMTPAuthenticationError:
        return Line(BAD, t("check.email_login", code=code, where=where))
    except (aiosmtplib.SMTPException, OSError) as error:
        return Line(BAD, t("check.email_unreachable", code=code, where=where, reason=_kind(error)))
    if not settings.staff_emails:
        return Line(BAD, t("check.email_nobody", code=code, where=where))
    return Line(GOOD, t("check.email", code=code, where=where))


async def _public_address(settings: Settings, code: str, locale: Locale) -> Line:
    t = locale.t
    url = settings.web_base_url
    if url is None:
        return Line(BAD, t("check.web_missing", code=code))
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return Line(BAD, t("check.web_https", code=code, url=url))
    try:
        ends = await asyncio.wait_for(_certificate_end(parts.hostname, parts.port or 443), TIMEOUT)
    except ssl.SSLCertVerificationError as error:
        return Line(
            BAD, t("check.web_certificate", code=code, url=url, reason=error.verify_message)
        )
    except (OSError, TimeoutError) as error:
        return Line(SKIPPED, t("check.web_unreachable", code=code, url=url, reason=_kind(error)))
    days = (ends - datetime.now(UTC)).days
    key = "check.web" if days >= CERTIFICATE_DAYS else "check.web_expiring"
    mark = GOOD if days >= CERTIFICATE_DAYS else BAD
    return Line(mark, t(key, code=code, url=url, date=f"{ends:%d.%m.%Y}", days=days))


async def _certificate_end(host: str, port: int) -> datetime:
    context = ssl.create_default_context()
    _reader, writer = await asyncio.open_connection(host, port, ssl=context)
    try:
        found = writer.get_extra_info("peercert")
    finally:
        writer.close()
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(found["notAfter"]), UTC)


def _kind(error: BaseException) -> str:
    """What went wrong in a few words; never a URL (a Telegram URL holds the token)."""
    words = str(error).split(":")[0].strip() if not isinstance(error, httpx.HTTPError) else ""
    return words[:80] or type(error).__name__
