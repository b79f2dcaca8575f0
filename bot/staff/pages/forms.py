"""Forms (admins): the municipality's questionnaires, loaded from an XLSForm as
``feedback-bot form add`` loads them.

Uploading stores nothing: the file is read whole and either every problem is shown by cell
(sheet, row, column, what is wrong) or the draft is kept in this process's memory, to be
tried as a citizen would (``form_trial``) and then published. Publishing, retiring, offering
again and each download are written to the audit log (form ids, versions, counts only).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from bot.application import form_library, form_sheets
from bot.application.file_imports import Upload, Uploads
from bot.application.refusal import Refusal
from bot.application.staff_accounts import Role
from bot.exchange.sources import FileRefused
from bot.questionnaire.xlsform import FormError, LoadedForm
from bot.questionnaire.xlsform_messages import refusal_lines
from bot.questionnaire.xlsform_sheets import FormProblem
from bot.staff.guard import Staff, staff_page
from storage.forms import Added

ADMINS = {Role.ADMIN}
LARGEST = 5 * 1024 * 1024
"""A questionnaire's spreadsheet is a few dozen kilobytes; larger is refused unread."""
DRAFTS = Uploads()
"""Checked files waiting to be tried and published: in memory, each for its own admin."""


def draft(staff: Staff, token: str) -> tuple[Upload, LoadedForm] | None:
    """The admin's own checked file and its form (``None``: unknown or forgotten)."""
    kept = DRAFTS.get(token, staff.municipality, staff.account.email, time.monotonic())
    if kept is None:
        return None
    try:
        return kept, form_library.read_upload(kept.name, kept.content)
    except (FormError, Refusal):
        return None


@staff_page("/forms", roles=ADMINS, nav="forms", order=70)
async def forms(staff: Staff) -> Response:
    return await page(staff, notice=_notice(staff))


async def page(staff: Staff, status: int = 200, **values: Any) -> Response:
    place = staff.place
    listed = await form_library.catalogue(place.database, place.code, place.content)
    return staff.render(
        "forms.html.j2",
        status=status,
        forms=listed,
        services=form_sheets.services(place.content),
        links=bool(form_sheets.bases(place.settings, _scope(staff)).links(None)),
        **values,
    )


@staff_page("/forms/check", roles=ADMINS, audit_post="checked_form", methods=("POST",))
async def check(staff: Staff) -> Response:
    upload = staff.files.get("file")
    name = (getattr(upload, "filename", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:120]
    try:
        if upload is None or not name:
            raise Refusal("staff.forms.no_file")
        content = await upload.read(LARGEST + 1)
        if len(content) > LARGEST:
            raise Refusal("staff.forms.too_large", megabytes=LARGEST // (1024 * 1024))
        loaded = form_library.read_upload(name, content)
    except Refusal as refusal:
        return await page(staff, status=400, problem=refusal.text(staff.locale))
    except FileRefused as refused:  # a broken or hostile zip: what to do, not a traceback
        text = staff.t(f"exchange.file.{refused.key}", **{**refused.values, "path": name})
        return await page(staff, status=400, problem=text)
    except FormError as error:
        staff.audit_object = f"{name}: {len(error.problems)}"
        return await page(staff, status=400, name=name, problems=_cells(staff, error.problems))
    finally:
        if upload is not None:
            await upload.close()
    kept = Upload(staff.municipality, staff.account.email, name, content, time.monotonic())
    token = DRAFTS.keep(kept)
    staff.audit_object = f"{name}: {loaded.form_id}"
    return await page(staff, name=name, ready=loaded, token=token, count=_count(loaded))


@staff_page("/forms/publish", roles=ADMINS, methods=("POST",))
async def publish(staff: Staff) -> Response:
    place, token = staff.place, staff.form.get("token", "")
    found = draft(staff, token)
    if found is None:
        return await page(staff, status=400, problem=staff.t("staff.forms.draft_gone"))
    kept, loaded = found
    try:
        outcome, stored = await form_library.publish(
            place.database, place.code, place.content, loaded, datetime.now(UTC)
        )
    except Refusal as refusal:
        return await page(staff, status=400, problem=refusal.text(staff.locale))
    DRAFTS.drop(token)
    await _refresh(staff)
    await staff.audit("published_form", f"{stored.form_id} v{stored.version} ({kept.name})")
    done = "unchanged" if outcome is Added.UNCHANGED else "published"
    return staff.redirect(f"/forms?{done}={stored.form_id}&version={stored.version}")


@staff_page("/forms/retire", roles=ADMINS, methods=("POST",))
async def retire(staff: Staff) -> Response:
    place, form_id = staff.place, staff.form.get("form", "")
    try:
        if staff.form.get("do") == "offer":
            await form_library.offer_again(place.database, place.code, form_id, datetime.now(UTC))
            action = "offered_form_again"
        else:
            await form_library.retire(
                place.database, place.code, place.content, form_id, datetime.now(UTC)
            )
            action = "retired_form"
    except Refusal:
        problem = staff.t("staff.forms.unknown", form_id=form_id[:60])
        return await page(staff, status=400, problem=problem)
    await _refresh(staff)
    await staff.audit(action, form_id)
    return staff.redirect(
        f"/forms?{'offered' if action != 'retired_form' else 'retired'}={form_id}"
    )


@staff_page("/forms/qr/{form_id}", roles=ADMINS, audit="downloaded_qr_sheets")
async def qr_sheets(staff: Staff) -> Response:
    place, form_id = staff.place, staff.request.path_params["form_id"]
    known = {
        f.form_id for f in await form_library.catalogue(place.database, place.code, place.content)
    }
    if form_id not in known:
        problem = staff.t("staff.forms.unknown", form_id=form_id[:60])
        return await page(staff, status=404, problem=problem)
    try:
        pdf = await form_sheets.qr_sheets(
            place.settings, place.content, place.database, place.code, _scope(staff), form_id
        )
    except Refusal as refusal:
        return await page(staff, status=400, problem=refusal.text(staff.locale))
    staff.audit_object = form_id
    return _pdf(pdf, f"qr-{staff.municipality}-{form_id}.pdf")


@staff_page("/forms/slips", roles={Role.CLERK, Role.ADMIN}, methods=("GET", "POST"))
async def slips(staff: Staff) -> Response:
    """Receipt slips are handed out at the desk, so the clerk who hands them prints them
    (the page of its own, linked from the paper-forms page; admins also from Forms)."""
    if staff.request.method == "GET":
        return _slips_page(staff)
    place, service = staff.place, staff.form.get("service", "")
    count_text = staff.form.get("count", "").strip()
    count = int(count_text) if count_text.isdigit() else 0
    keyer = place.conversation.keyer  # type: ignore[attr-defined]
    try:
        pdf = await form_sheets.slips(
            place.settings, place.content, place.database, place.code, _scope(staff), keyer,
            service, count,
        )  # fmt: skip
    except Refusal as refusal:
        return _slips_page(staff, status=400, problem=refusal.text(staff.locale))
    await staff.audit("printed_slips", f"{service}: {count}")
    return _pdf(pdf, f"slips-{staff.municipality}-{service}.pdf")


def _slips_page(staff: Staff, status: int = 200, **values: Any) -> Response:
    place = staff.place
    return staff.render(
        "slips.html.j2",
        status=status,
        services=form_sheets.services(place.content),
        links=bool(form_sheets.bases(place.settings, _scope(staff)).links(None)),
        **values,
    )


def _cells(staff: Staff, problems: tuple[FormProblem, ...] | list[FormProblem]) -> list[Any]:
    """Each problem with its place apart (a table), its reason in the staff's words; the
    lists of what is allowed follow, as the command line says them."""
    rows = [
        (p.sheet, p.row or "", p.column, staff.t(f"forms.errors.{p.code}", **p.values))
        for p in problems
    ]
    extra = refusal_lines(problems, staff.t)[1 + len(problems) :]
    return [rows, [line.strip() for line in extra]]


def _count(loaded: LoadedForm) -> int:
    from bot.questionnaire.numbering import numbered_count

    return numbered_count(loaded.questionnaire)


def _scope(staff: Staff) -> str | None:
    return staff.place.municipality.scope  # type: ignore[attr-defined]


async def _refresh(staff: Staff) -> None:
    """Citizens see the change now, not at the next scheduler tick."""
    refresh = getattr(staff.place, "refresh_forms", None)
    if refresh is not None:
        await refresh()


def _notice(staff: Staff) -> str:
    query = staff.request.query_params
    for done in ("published", "unchanged", "retired", "offered"):
        if query.get(done):
            return staff.t(
                f"staff.forms.{done}",
                form_id=query[done][:60],
                version=query.get("version", "")[:20],
            )
    return ""


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
