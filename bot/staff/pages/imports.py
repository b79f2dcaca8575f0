"""Imports (clerks): a Google Forms export checked first, then stored; applications per period.

Uploading a file stores nothing: the page shows what saving would do (new rows, rows
imported before, rows refused with their row and column) and keeps the file in memory for
the clerk's "save". Applications are typed into a table, one count per service, or uploaded
as the applications file. Each import is written to the audit log (file name and counts).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import Response

from bot.application import file_imports
from bot.application.analyst import Analyst, AnalystError
from bot.application.chosen_form import chosen_form
from bot.application.file_imports import UPLOADS, FileProblem, Upload, on_disk
from bot.application.refusal import Refusal
from bot.application.staff_accounts import Role
from bot.exchange.imports import FORM_CHANNELS
from bot.exchange.sources import FileRefused
from bot.staff.guard import Staff, staff_page

CLERKS = {Role.CLERK, Role.ADMIN}
LARGEST = 20 * 1024 * 1024
"""An upload larger than this is refused before it is read (a year's export is far less)."""


@staff_page("/imports", roles=CLERKS, nav="imports", methods=("GET", "POST"))
async def imports(staff: Staff) -> Response:
    if staff.request.method == "GET":
        return _page(staff, notice=_notice(staff))
    action = staff.form.get("do", "")
    try:
        return await _post(staff, action)
    finally:
        for upload in staff.files.values():  # each a spooled temporary file: closed now
            await upload.close()


async def _post(staff: Staff, action: str) -> Response:
    try:
        if action == "preview":
            return await _preview(staff)
        if action == "store":
            return await _store(staff)
        if action == "applications":
            return await _applications(staff)
        if action == "applications_file":
            return await _applications_file(staff)
    except Refusal as refusal:
        return _page(staff, status=400, problem=refusal.text(staff.locale))
    except (FileProblem, AnalystError) as error:
        text = error.text if isinstance(error, FileProblem) else error.text(staff.locale)
        return _page(staff, status=400, problem=text)
    except FileRefused as refused:  # a broken or wrongly saved spreadsheet: say what to do
        return _page(staff, status=400, problem=_file_refused(staff, refused))
    return _page(staff, status=400, problem=staff.t("staff.imports.no_file"))


def _file_refused(staff: Staff, refused: FileRefused) -> str:
    """The reader's reason in the clerk's words, naming the file they chose (not the
    temporary copy the reader opened)."""
    values = dict(refused.values)
    if "path" in values:
        names = [getattr(f, "filename", "") or "" for f in staff.files.values()]
        values["path"] = next((n for n in names if n), values["path"])
    return staff.t(f"exchange.file.{refused.key}", **values)


async def _upload(staff: Staff, field: str) -> tuple[str, bytes]:
    upload = staff.files.get(field)
    name = getattr(upload, "filename", "") or ""
    if upload is None or not name:
        raise Refusal("staff.imports.no_file")
    content = await upload.read(LARGEST + 1)
    if len(content) > LARGEST:
        raise Refusal("staff.imports.too_large", megabytes=LARGEST // (1024 * 1024))
    return name.replace("\\", "/").rsplit("/", 1)[-1][:120], content


def _channel(staff: Staff) -> str | None:
    channel = staff.form.get("channel", "")
    return channel if channel in FORM_CHANNELS else None


async def _preview(staff: Staff) -> Response:
    name, content = await _upload(staff, "file")
    form = await _chosen(staff)
    channel = _channel(staff)
    with on_disk(name, content) as path:
        found = await file_imports.preview(
            staff.place.database, staff.municipality, path, form, channel, *_when(staff)
        )
    token = ""
    if found.storable:
        upload = Upload(staff.municipality, staff.account.email, name, content, time.monotonic())
        token = UPLOADS.keep(upload)
    chosen = staff.form.get("form", "")
    return _page(staff, preview=found, name=name, token=token, channel=channel or "", chosen=chosen)


async def _store(staff: Staff) -> Response:
    token = staff.form.get("token", "")
    upload = UPLOADS.get(token, staff.municipality, staff.account.email, time.monotonic())
    if upload is None:
        raise Refusal("staff.imports.upload_gone")
    form = await _chosen(staff)
    with on_disk(upload.name, upload.content) as path:
        done = await file_imports.store(
            staff.place.database, staff.municipality, path, form, _channel(staff), *_when(staff)
        )
    UPLOADS.drop(token)
    if done.refused:
        return _page(staff, status=400, preview=done, name=upload.name)
    what = staff.t(
        "staff.imports.audit_object", name=upload.name, new=done.new, already=done.already
    )
    await staff.audit("imported_forms", what)
    return staff.redirect(f"/imports?stored={done.new}&already={done.already}&masked={done.masked}")


def _analyst(staff: Staff) -> Analyst:
    place = staff.place
    return Analyst(place.database, place.content.questionnaire, place.settings.quarters, place.code)


async def _applications(staff: Staff) -> Response:
    analyst = _analyst(staff)
    try:
        period = analyst.period(staff.form.get("period", "").strip())
    except AnalystError:
        raise Refusal("staff.imports.bad_period") from None
    given = {s: staff.form.get(f"count_{s}", "").replace(" ", "") for s in analyst.services}
    typed = {s: c for s, c in given.items() if c}
    if not typed:
        raise Refusal("staff.imports.no_counts")
    for service, count in typed.items():
        analyst.check_application(service, count)  # every count checked before any is kept
    for service, count in typed.items():
        await analyst.set_applications(period, service, count)
    await staff.audit("saved_applications", f"{period.label}: {len(typed)}")
    return staff.redirect(f"/imports?applications={len(typed)}")


async def _applications_file(staff: Staff) -> Response:
    name, content = await _upload(staff, "applications_file")
    with on_disk(name, content) as path:
        count = await _analyst(staff).import_applications(path, staff.place.content.locale)
    await staff.audit("saved_applications", f"{name}: {count}")
    return staff.redirect(f"/imports?applications={count}")


async def _chosen(staff: Staff) -> Any:
    place = staff.place
    wanted = staff.form.get("form", "") or None
    return await chosen_form(
        wanted, place.content, place.database, place.settings.language, place.code
    )


def _when(staff: Staff) -> tuple[Any, Any]:
    return staff.place.settings.zone, staff.place.today()  # type: ignore[attr-defined]


def _notice(staff: Staff) -> str:
    query = staff.request.query_params
    if query.get("stored", "").isdigit():
        text = staff.t(
            "staff.imports.stored", new=int(query["stored"]), already=int(query.get("already") or 0)
        )
        masked = query.get("masked", "")
        if masked.isdigit() and int(masked):
            text += " " + staff.place.content.locale.t("exchange.masked", count=int(masked))
        return text
    if query.get("applications", "").isdigit():
        return staff.t("staff.imports.applications_saved", count=int(query["applications"]))
    return ""


def _page(staff: Staff, status: int = 200, **values: Any) -> Response:
    analyst = _analyst(staff)
    services = [
        (code, staff.place.content.locale.t(f"options.{_service_id(staff)}.{code}"))
        for code in analyst.services
    ]
    catalogue = staff.place.forms  # type: ignore[attr-defined]
    forms = [
        (q.form_id, catalogue.views(q, staff.language).heading or q.form_id)
        for q in catalogue.active
        if q.form_id
    ]
    return staff.render(
        "imports.html.j2",
        status=status,
        forms=forms,
        services=services,
        period=staff.form.get("period", "") if staff.form else "",
        channels=FORM_CHANNELS,
        **values,
    )


def _service_id(staff: Staff) -> str:
    service = staff.place.content.questionnaire.with_role("service")
    return service.id if service else "service"
