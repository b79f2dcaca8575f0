"""Staff who live in e-mail: digests and reports by SMTP, with STARTTLS.

The digest is an HTML e-mail with a plain-text part (the same words), a report comes with
its files attached. Each message is tried a few times with back-off (a mail server that is
briefly away, greylisting's 4xx); a failure is logged by its kind only — never the password,
and no address: the only addresses here are the staff's, and citizens have none.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import re
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.channels.port import Delivery
from bot.config.settings import Settings

log = logging.getLogger(__name__)
ATTEMPTS = 4
TAG = re.compile(r"<[^>]+>")
PERMANENT = (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPRecipientsRefused)


def _temporary(error: BaseException) -> bool:
    """A server away or a 4xx is tried again; a wrong password or a refused address not."""
    if isinstance(error, PERMANENT):
        return False
    return isinstance(error, aiosmtplib.SMTPException | OSError)


def plain(text: str) -> str:
    """Telegram's HTML (``<b>``, ``<i>``, escaped text) as plain text."""
    return html.unescape(TAG.sub("", text))


class EmailOutbox:
    """``StaffOutbox`` on an SMTP server (``SMTP_*`` settings, or the municipality's)."""

    channel = "email"

    def __init__(self, settings: Settings, wait: float = 1.0) -> None:
        assert settings.smtp_host is not None
        self.settings = settings
        self.sender = settings.smtp_from or settings.smtp_username or "feedback-bot@localhost"
        self._wait = wait
        self._context = ssl.create_default_context()
        if settings.smtp_ca_file is not None:
            self._context.load_verify_locations(cafile=str(settings.smtp_ca_file))

    async def post(
        self,
        chat: str,
        texts: Sequence[str] = (),
        files: Sequence[Path] = (),
        html: bool = False,
        subject: str | None = None,
    ) -> Delivery:
        message = self.compose(chat, texts, files, html, subject)
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(_temporary),
                stop=stop_after_attempt(ATTEMPTS),
                wait=wait_exponential(multiplier=self._wait, max=30 * self._wait),
                reraise=True,
            ):
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        log.info("e-mail to staff: attempt %d", attempt.retry_state.attempt_number)
                    await self._send(message)
        except (aiosmtplib.SMTPException, OSError) as error:
            log.warning("an e-mail to staff could not be delivered (%s)", type(error).__name__)
            return Delivery.FAILED
        return Delivery.SENT

    def compose(
        self,
        to: str,
        texts: Sequence[str],
        files: Sequence[Path],
        as_html: bool,
        subject: str | None,
    ) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        first = plain(texts[0]).strip().splitlines() if texts else []
        message["Subject"] = subject or " ".join(line.strip() for line in first[:2])
        words = [plain(text) if as_html else text for text in texts]
        message.set_content("\n\n".join(words) or message["Subject"])
        if as_html and texts:
            paragraphs = "".join("<p>" + text.replace("\n", "<br>\n") + "</p>\n" for text in texts)
            message.add_alternative(
                '<!doctype html><html lang="ka"><head><meta charset="utf-8"></head>'
                f'<body style="font-family:sans-serif">\n{paragraphs}</body></html>',
                subtype="html",
            )
        for path in files:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            main, _, sub = kind.partition("/")
            message.add_attachment(
                path.read_bytes(), maintype=main, subtype=sub, filename=path.name
            )
        return message

    async def _send(self, message: EmailMessage) -> None:
        settings = self.settings
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            start_tls=settings.smtp_starttls,
            tls_context=self._context,
            timeout=30,
        )


def email_outbox(settings: Settings) -> EmailOutbox | None:
    """The municipality's e-mail outbox, when SMTP and staff addresses are configured."""
    if settings.smtp_host is None or not settings.staff_emails:
        return None
    return EmailOutbox(settings)
