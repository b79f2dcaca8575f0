"""The printed ways into a form, as files to download: its QR sheets (one PDF, every sheet)
and desk slips with one-use codes. The same drawing as ``feedback-bot qr`` and
``feedback-bot codes print`` (``bot.application.offer``, ``bot.application.slips``); only
the result goes to the browser instead of a folder.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bot.application.chosen_form import chosen_form
from bot.application.offer import Bases
from bot.application.refusal import Refusal
from bot.application.results import address
from bot.config.settings import Settings
from bot.questionnaire.content import Content
from bot.questionnaire.identity import Keyer
from storage import Database


def bases(settings: Settings, scope: str | None) -> Bases:
    """Where the links open: the web questionnaire (``m/<code>/`` below the address for a
    municipality of several), Messenger, and Telegram when its username is configured
    (the console asks no outside server for it)."""
    web = settings.web_base_url
    if web is not None and scope is not None:
        web = f"{web.rstrip('/')}/m/{scope}/"
    return Bases(telegram=settings.bot_username, messenger=settings.messenger_page_name, web=web)


async def qr_sheets(
    settings: Settings,
    content: Content,
    database: Database,
    municipality: str,
    scope: str | None,
    form_id: str,
) -> bytes:
    """Every sheet of the form (its general one and one per service or first choice) in
    one PDF, ready to print."""
    from bot.application.offer import entries, write_all
    from bot.questionnaire.numbering import numbered_count

    links = bases(settings, scope)
    if not links.links(None):
        raise Refusal("staff.forms.no_links")
    form = await chosen_form(form_id, content, database, settings.language, municipality)
    loaded = form.title is not None
    found = entries(
        form.questionnaire,
        form.locale,
        links,
        form.questionnaire.form_id if loaded else None,
        form.title,
    )
    count = numbered_count(form.questionnaire)
    results = address(settings, scope)
    with tempfile.TemporaryDirectory(prefix="staff-qr-") as folder:
        await asyncio.to_thread(
            write_all,
            found,
            form.locale,
            settings.municipality_name,
            Path(folder),
            count,
            results,
        )
        return (Path(folder) / "sheets_all.pdf").read_bytes()


def services(content: Content) -> list[tuple[str, str]]:
    """The services a slip may name: (code, name in the municipality's words)."""
    from bot.questionnaire.model import SERVICE

    question = content.questionnaire.with_role(SERVICE)
    if question is None:
        return []
    return [(code, content.locale.t(f"options.{question.id}.{code}")) for code in question.options]


async def slips(
    settings: Settings,
    content: Content,
    database: Database,
    municipality: str,
    scope: str | None,
    keyer: Keyer,
    service: str,
    count: int,
) -> bytes:
    """``count`` slips of ``service``, ten a page; their codes are stored (keyed, shuffled
    among the service's others) only once the PDF is drawn."""
    from bot.application.slips import MAX_COUNT, Slip, SlipText, slip_link, write_pdf
    from bot.questionnaire import slip_codes

    named = dict(services(content))
    if service not in named:
        raise Refusal("slips.unknown_service", service=service, services=", ".join(named))
    if not 1 <= count <= MAX_COUNT:
        raise Refusal("slips.bad_count", limit=MAX_COUNT)
    links = bases(settings, scope)
    if not links.links(None):
        raise Refusal("staff.forms.no_links")
    codes = slip_codes.new_codes(count)
    drawn = [Slip(code, slip_link(links, service, code)) for code in codes]
    text = SlipText.of(content.locale, settings.municipality_name, named[service])
    with tempfile.TemporaryDirectory(prefix="staff-slips-") as folder:
        path = Path(folder) / "slips.pdf"
        await asyncio.to_thread(write_pdf, path, drawn, text)
        pdf = path.read_bytes()
    keys = [keyer.code_key(scope, code) for code in codes]
    async with database.transaction(municipality) as tx:
        await tx.codes.issue(keys, service)
        await tx.commit()
    return pdf
