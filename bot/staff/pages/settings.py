"""Settings (admins): the municipality's settings that are not secrets, and its services.

Read from the running bot (what citizens meet now). Where the municipality has its own
file in MUNICIPALITIES_DIR, an admin changes its names, time zone, quarter and the public
threshold there, through the same checked write as ``feedback-bot municipality set``, and
offers or withdraws its services (``municipality_services``: withdrawn ones keep their names
for earlier reports); the bot takes a change at its next start, and the page says so.
Channels, tokens, staff chats and schedules stay the operator's, on the server. Each change
is written to the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.responses import Response

from bot.application.municipality_edit import EDITABLE, file_of, set_values
from bot.application.municipality_file import MunicipalityError, read_file
from bot.application.municipality_services import (
    NewService,
    ServiceChoice,
    choosable,
    offered_now,
    set_services,
)
from bot.application.refusal import Refusal
from bot.application.staff_accounts import Role
from bot.staff.guard import Staff, staff_page

NUMBERS = frozenset({"quarter_start_month", "public_min_count"})


@staff_page("/settings", roles={Role.ADMIN}, nav="settings", order=75)
async def settings(staff: Staff) -> Response:
    notice = staff.t("staff.settings.saved") if staff.request.query_params.get("saved") else ""
    return _page(staff, notice=notice)


def _page(staff: Staff, status: int = 200, **values: Any) -> Response:
    place = staff.place
    municipality = place.municipality  # type: ignore[attr-defined]
    s = place.settings
    shown = [
        ("code", municipality.code),
        ("name", ", ".join(f"{k}: {v}" for k, v in municipality.names.items())),
        ("timezone", s.timezone),
        ("quarter_start_month", str(s.quarter_start_month)),
        ("languages", ", ".join(municipality.languages)),
        ("public_min_count", str(s.public_min_count)),
        ("ballot_box_size", str(s.ballot_box_size)),
        ("texts_kept_months", str(s.texts_kept_months)),
        ("web", _on(staff, s.web_enabled, s.web_base_url)),
        ("telegram", _on(staff, s.telegram_bot_token is not None, s.bot_username)),
        ("messenger", _on(staff, s.messenger, s.messenger_page_name)),
        ("smtp", _on(staff, bool(s.smtp_host), None)),
    ]
    path = file_of(s.municipalities_dir, municipality.code)
    return staff.render(
        "settings.html.j2",
        status=status,
        shown=shown,
        services=_services(staff),
        editable=path is not None,
        values=_values(path) if path is not None else {},
        choices=_choices(staff, path) if path is not None else None,
        **values,
    )


def _on(staff: Staff, on: bool, detail: str | None) -> str:
    said = staff.t("staff.settings.is_on") if on else staff.t("staff.settings.is_off")
    return f"{said} ({detail})" if on and detail else said


def _values(path: Path) -> dict[str, str]:
    """As the file says them (empty: the installation's own value)."""
    data = read_file(path)

    def said(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "name.ka": data.name.get("ka", ""),
        "name.en": data.name.get("en", ""),
        "timezone": said(data.timezone),
        "quarter_start_month": said(data.quarter_start_month),
        "public_min_count": said(data.public_min_count),
    }


def _services(staff: Staff) -> list[tuple[str, str, bool]]:
    """(code, name, offered now): the municipality's own list, else the standard one."""
    place = staff.place
    own = place.municipality.services  # type: ignore[attr-defined]
    if own is not None:
        language = staff.language
        return [
            (s.code, s.names.get(language) or s.names.get("ka", s.code), s.offered) for s in own
        ]
    question = place.content.questionnaire.with_role("service")
    if question is None:
        return []
    names = place.content.locale
    return [(code, names.t(f"options.{question.id}.{code}"), True) for code in question.options]


def _choices(staff: Staff, path: Path) -> dict[str, Any]:
    """The file's services for the form: standard ones by name, its own ones, and the
    languages a new one is named in (what the bot offers after its next start)."""
    offered, own = offered_now(path)
    names = staff.place.content.locale
    standard = [(c, names.t(f"service_names.{c}"), c in offered) for c in choosable()]
    mine = [
        (s["code"], s["names"].get(staff.language) or s["names"]["ka"], s["offered"]) for s in own
    ]
    languages = staff.place.municipality.languages  # type: ignore[attr-defined]
    return {"standard": standard, "own": mine, "languages": languages}


def _value(staff: Staff, key: str, given: str) -> object:
    """Empty: the installation's value (the key leaves the file); numbers as numbers."""
    if not given:
        return None
    if key in NUMBERS:
        if not given.isdigit():
            name = staff.t(f"staff.settings.keys.{key.replace('.', '_')}")
            raise Refusal("staff.settings.not_number", setting=name)
        number = int(given)
        floor = staff.place.municipality.public_floor  # type: ignore[attr-defined]
        if key == "public_min_count" and number < floor:
            raise Refusal("staff.settings.below_floor", least=floor)
        return number
    return given


@staff_page("/settings/save", roles={Role.ADMIN}, methods=("POST",))
async def save(staff: Staff) -> Response:
    place = staff.place
    path = file_of(place.settings.municipalities_dir, place.code)
    if path is None:
        return _page(staff, status=400, problem=staff.t("staff.settings.no_file"))
    changes: dict[str, object] = {}
    try:
        current = _values(path)
        for key in EDITABLE:  # every value checked before anything is written
            given = staff.form.get(key, current[key]).strip()
            if given != current[key]:
                changes[key] = _value(staff, key, given)
        if changes:
            set_values(path, changes)
    except Refusal as refusal:
        return _page(staff, status=400, problem=refusal.text(staff.locale))
    except MunicipalityError as error:
        return _page(staff, status=400, problem=error.text(staff.locale))
    if changes:
        await staff.audit("changed_settings", ", ".join(changes))
    return staff.redirect("/settings?saved=1")


@staff_page(
    "/settings/services",
    roles={Role.ADMIN},
    audit=None,
    audit_post="changed_services",
    methods=("POST",),
)
async def services(staff: Staff) -> Response:
    """Ticked: offered. A new own service when its code is filled in. One checked write."""
    place = staff.place
    path = file_of(place.settings.municipalities_dir, place.code)
    if path is None:
        return _page(staff, status=400, problem=staff.t("staff.settings.no_file"))
    ticked = frozenset(k.removeprefix("offer.") for k in staff.form if k.startswith("offer."))
    code = staff.form.get("new_code", "").strip()
    languages = place.municipality.languages  # type: ignore[attr-defined]
    new = None
    if code:
        names = {lang: staff.form.get(f"new_name.{lang}", "").strip() for lang in languages}
        new = NewService(code, names)
    try:
        changes = set_services(path, ServiceChoice(ticked, new), languages)
    except Refusal as refusal:
        return _page(staff, status=400, problem=refusal.text(staff.locale))
    except MunicipalityError as error:
        return _page(staff, status=400, problem=error.text(staff.locale))
    staff.audit_object = ", ".join(changes) or "-"
    return staff.redirect("/settings?saved=1" if changes else "/settings")
