"""``feedback-bot staff add|list|remove``: the staff console's accounts from the server's
command line (the first administrator is made here). ``add`` prints the one-time set-up
link, or e-mails it when SMTP is configured; every change is written to the audit log."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.application.municipalities import load_municipalities, pick
from bot.application.refusal import Refusal
from bot.application.staff_accounts import COMMAND_LINE, ROLES, SETUP_LIFETIME, Role, StaffAccounts
from bot.config.settings import Settings
from bot.questionnaire.content import bundled_locale, load_locale
from storage import open_database

STAFF_COMMANDS = {"staff"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    staff = commands.add_parser("staff")
    what = staff.add_subparsers(dest="action", required=True)
    add = what.add_parser("add")
    add.add_argument("email")
    add.add_argument("--role", required=True)
    add.add_argument("--municipality", metavar="CODE")
    listing = what.add_parser("list")
    listing.add_argument("--municipality", metavar="CODE")
    remove = what.add_parser("remove")
    remove.add_argument("email")
    link = what.add_parser("link")
    link.add_argument("email")


def setup_link(settings: Settings, token: str) -> str:
    """The console is on the same server as the web questionnaire: its public address's
    scheme and host, else this machine's own listening address."""
    if settings.web_base_url:
        parts = urlsplit(settings.web_base_url)
        return f"{parts.scheme}://{parts.netloc}/staff/setup/{token}"
    return f"http://{settings.webhook_host}:{settings.webhook_port}/staff/setup/{token}"


def _role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise Refusal("staff.cli.bad_role", role=value, roles=", ".join(ROLES)) from None


async def run_staff(arguments: argparse.Namespace, settings: Settings) -> list[str]:
    t = load_locale(bundled_locale(settings.language)).t
    everywhere = load_municipalities(settings)
    database = await open_database(settings.database_url, home=settings.municipality_code)
    accounts = StaffAccounts(database.staff, lambda: datetime.now(UTC))
    try:
        if arguments.action == "add":
            return await _add(arguments, settings, accounts, everywhere)
        if arguments.action == "remove":
            gone = await accounts.remove(arguments.email)
            await accounts.record(COMMAND_LINE, "account_removed", gone.municipality, gone.email)
            return [t("staff.cli.removed", email=gone.email)]
        if arguments.action == "link":
            return await _link(arguments.email, settings, accounts)
        code = pick(everywhere, arguments.municipality).code if arguments.municipality else None
        found = await accounts.accounts(code)
        if not found:
            return [t("staff.cli.none")]
        return [
            " | ".join(
                [
                    a.email,
                    a.role,
                    a.municipality or t("staff.cli.everywhere"),
                    t("staff.cli.ready") if a.password_hash else t("staff.cli.waiting"),
                ]
            )
            for a in found
        ]
    finally:
        await database.close()


async def _add(
    arguments: argparse.Namespace,
    settings: Settings,
    accounts: StaffAccounts,
    everywhere: list,  # type: ignore[type-arg]
) -> list[str]:
    t = load_locale(bundled_locale(settings.language)).t
    role = _role(arguments.role)
    code = None
    if role is not Role.NATIONAL:
        if arguments.municipality is None and len(everywhere) > 1:
            raise Refusal("staff.cli.needs_place")
        code = pick(everywhere, arguments.municipality).code
    elif arguments.municipality is not None:
        raise Refusal("staff.cli.national_only")
    token = await accounts.add(arguments.email, role, code)
    email = arguments.email.strip().lower()
    await accounts.record(COMMAND_LINE, "account_added", code, f"{email} ({role.value})")
    link, days = setup_link(settings, token), SETUP_LIFETIME.days
    named = t(f"staff.roles.{role.value}")
    if not settings.smtp_host:
        return [t("staff.cli.link", email=email, role=named, days=days, link=link)]
    from bot.channels.email_outbox import EmailOutbox
    from bot.channels.port import Delivery

    text = t("staff.cli.mail_text", role=named, days=days, link=link)
    sent = await EmailOutbox(settings).post(email, [text], subject=t("staff.cli.mail_subject"))
    if sent is not Delivery.SENT:
        return [t("staff.cli.mail_failed", days=days, link=link)]
    return [t("staff.cli.sent", email=email, role=named)]


async def _link(email: str, settings: Settings, accounts: StaffAccounts) -> list[str]:
    """A new set-up link for an existing account: the way back after a forgotten password
    or a lost phone (the server's operator vouches for the person)."""
    t = load_locale(bundled_locale(settings.language)).t
    token, account = await accounts.setup_link_again(email)
    await accounts.record(COMMAND_LINE, "setup_link_issued", account.municipality, account.email)
    link = setup_link(settings, token)
    return [t("staff.cli.relinked", email=account.email, days=SETUP_LIFETIME.days, link=link)]
