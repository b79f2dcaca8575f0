"""A municipality's questionnaires as the staff console keeps them: a spreadsheet checked
whole (every problem with its sheet, row and column, nothing stored), then published,
retired or offered again; each form's versions, newest last.

The same reader and the same store as ``feedback-bot form add|list|retire``
(``bot.questionnaire.xlsform.read_xlsform``, ``storage.forms.Forms``), so a form the console
accepts is exactly one the command line accepts, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.application.file_imports import on_disk
from bot.application.refusal import Refusal
from bot.questionnaire.content import Content
from bot.questionnaire.numbering import numbered_count
from bot.questionnaire.xlsform import LoadedForm, read_xlsform
from storage import Database
from storage.forms import Added, StoredForm, builtin_version

FORM_FILES = (".xlsx", ".xlsm", ".xls")
"""What pyxform reads, so what ODK and KoboToolbox users have (the older Excel too)."""


@dataclass(frozen=True)
class Version:
    version: str
    loaded_at: datetime | None
    """``None`` for the version the bot ships (never loaded)."""
    questions: int


@dataclass(frozen=True)
class FormEntry:
    """One form with its versions (oldest first), as the Forms page lists it."""

    form_id: str
    title: str
    active: bool
    builtin: bool
    versions: tuple[Version, ...]


def read_upload(name: str, data: bytes) -> LoadedForm:
    """The uploaded spreadsheet read as ``form add`` reads a file; ``FormError`` (with every
    problem) when it is not a form the bot can ask, ``Refusal`` when it is no spreadsheet."""
    from bot.exchange.sources import check_archive

    if Path(name).suffix.lower() not in FORM_FILES:
        raise Refusal("forms.not_xlsx", path=name)
    with on_disk(name, data) as path:
        if data[:4] == b"PK\x03\x04":  # .xlsx, .xlsm; an old .xls is not a zip
            check_archive(path, sheet_size=False)
        return read_xlsform(path)


async def publish(
    database: Database, municipality: str, content: Content, loaded: LoadedForm, now: datetime
) -> tuple[Added, StoredForm]:
    """Stored and offered (its earlier versions stay, for their answers' reports); the same
    file again changes nothing; another file under a taken version number is refused."""
    async with database.forms(municipality) as forms:
        outcome, stored = await forms.add(loaded, now, content.questionnaire)
        if outcome is Added.VERSION_TAKEN:
            raise Refusal("forms.version_taken", form_id=stored.form_id, version=stored.version)
        await forms.commit()
        versions = await forms.versions(stored.form_id)
    same = [v for v in versions if v.version == stored.version]
    return outcome, same[-1] if same else _shipped(content, now)


async def retire(
    database: Database, municipality: str, content: Content, form_id: str, now: datetime
) -> None:
    """No longer offered; its answers and reports stay. The built-in form, never loaded, is
    kept as a row marked retired (as ``form retire`` does)."""
    builtin = content.questionnaire
    async with database.forms(municipality) as forms:
        if not await forms.versions(form_id):
            if form_id != builtin.form_id:
                raise Refusal("forms.unknown", form_id=form_id)
            title = content.locale.t("forms.social_services_title")
            shipped = LoadedForm(builtin, form_id, builtin_version(builtin), title)
            await forms.add(shipped, now)
        await forms.retire(form_id)
        await forms.commit()


async def offer_again(database: Database, municipality: str, form_id: str, now: datetime) -> None:
    """A retired form offered again, in its newest version (the same version stored again
    changes nothing but its being offered)."""
    async with database.forms(municipality) as forms:
        versions = await forms.versions(form_id)
        if not versions:
            raise Refusal("forms.unknown", form_id=form_id)
        last = versions[-1]
        again = LoadedForm(last.questionnaire, last.form_id, last.version, last.title)
        await forms.add(again, now)
        await forms.commit()


async def catalogue(database: Database, municipality: str, content: Content) -> list[FormEntry]:
    """Every form the municipality has, the built-in one first (as ``form list``)."""
    builtin = content.questionnaire
    async with database.forms(municipality) as forms:
        stored = await forms.versions()
    grouped: dict[str, list[StoredForm]] = {}
    for form in stored:
        grouped.setdefault(form.form_id, []).append(form)
    found = []
    if builtin.form_id not in grouped:
        shipped = Version(builtin_version(builtin), None, numbered_count(builtin))
        title = content.locale.t("forms.social_services_title")
        found.append(FormEntry(builtin.form_id, title, True, True, (shipped,)))
    for form_id, versions in grouped.items():
        last = versions[-1]
        found.append(
            FormEntry(
                form_id,
                last.title,
                last.active,
                form_id == builtin.form_id,
                tuple(
                    Version(v.version, v.loaded_at, numbered_count(v.questionnaire))
                    for v in versions
                ),
            )
        )
    return found


def _shipped(content: Content, now: datetime) -> StoredForm:
    builtin = content.questionnaire
    title = content.locale.t("forms.social_services_title")
    return StoredForm(builtin, builtin.form_id, builtin_version(builtin), title, True, now, "")
