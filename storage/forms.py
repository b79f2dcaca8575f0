"""Loaded questionnaires: add a version, list, retire, and read them all for the bot.

A changed form is a new version; the same form loaded twice changes nothing; a version
number reused for other content is refused (staff raise it, or leave it out and the next
number is given). Retiring stops new citizens from getting the form; drafts on it finish
and stored responses keep their version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.questionnaire.definition import content_hash, from_data, to_data
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.xlsform import LoadedForm
from storage.analysis import VersionScope
from storage.schema import HOME, FormRow

DEFAULT_MUNICIPALITY = HOME


class Added(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"
    VERSION_TAKEN = "version_taken"


@dataclass(frozen=True)
class StoredForm:
    questionnaire: Questionnaire
    form_id: str
    version: str
    title: str
    active: bool
    loaded_at: datetime
    municipality: str


def _stored(row: FormRow) -> StoredForm:
    return StoredForm(
        from_data(row.definition),
        row.form_id,
        row.version,
        row.title,
        row.active,
        row.loaded_at,
        row.municipality,
    )


@dataclass(frozen=True)
class Selection:
    """One form for a report or an export: its versions (oldest first) and its responses."""

    form_id: str
    versions: tuple[Questionnaire, ...]
    scope: VersionScope
    title: str | None
    """``None`` for the built-in form (its report keeps the social-services wording)."""


class Forms:
    """The forms of one municipality, in one session (the caller commits)."""

    def __init__(self, session: AsyncSession, municipality: str = DEFAULT_MUNICIPALITY) -> None:
        self._session = session
        self.municipality = municipality

    async def commit(self) -> None:
        await self._session.commit()

    async def offered(self, builtin: Questionnaire) -> list[tuple[Questionnaire, bool]]:
        """Every version with whether its form is offered, the built-in form first (old
        service links are its); the built-in one counts until staff load or retire it."""
        stored = await self.versions()
        own = [f for f in stored if f.form_id == builtin.form_id]
        entries: list[tuple[Questionnaire, bool]] = []
        if not any(f.questionnaire.version == builtin.version for f in own):
            entries.append((builtin, not own or own[-1].active))
        stored.sort(key=lambda f: f.form_id != builtin.form_id)  # stable: oldest first
        return entries + [(f.questionnaire, f.active) for f in stored]

    async def selection(self, form_id: str, builtin: Questionnaire) -> Selection | None:
        """``None`` when the municipality has no such form."""
        stored = await self.versions()
        own = [f for f in stored if f.form_id == form_id]
        others = frozenset(f.questionnaire.version for f in stored if f.form_id != form_id)
        if form_id == builtin.form_id:
            versions = [builtin] + [
                f.questionnaire for f in own if f.questionnaire.version != builtin.version
            ]
            return Selection(form_id, tuple(versions), VersionScope(excluding=others), None)
        if not own:
            return None
        tags = frozenset(f.questionnaire.version for f in own)
        versions = tuple(f.questionnaire for f in own)
        return Selection(form_id, versions, VersionScope(only=tags, form=form_id), own[-1].title)

    async def versions(self, form_id: str | None = None) -> list[StoredForm]:
        """Every version, oldest first (of one form, or of all)."""
        query = select(FormRow).where(FormRow.municipality == self.municipality)
        if form_id is not None:
            query = query.where(FormRow.form_id == form_id)
        rows = (await self._session.scalars(query.order_by(FormRow.loaded_at))).all()
        return [_stored(row) for row in rows]

    async def add(
        self, loaded: LoadedForm, now: datetime, builtin: Questionnaire | None = None
    ) -> tuple[Added, LoadedForm]:
        """``builtin``: the form the bot ships, an existing version of its form id though no
        row holds it (an edited copy of its file under the same version is refused, not
        stored beside it with other questions under the same tag)."""
        earlier = await self.versions(loaded.form_id)
        if builtin is not None and builtin.form_id == loaded.form_id:
            earlier = _with_builtin(earlier, builtin, now)
        digest = content_hash(loaded.questionnaire)
        if loaded.version is None:
            same = next((f for f in earlier if content_hash(f.questionnaire) == digest), None)
            if same is not None and earlier[-1] is same:
                return await self._reactivated(Added.UNCHANGED, loaded.with_version(same.version))
            loaded = loaded.with_version(_next_number(earlier))
        else:
            loaded = loaded.with_version(loaded.version)
            taken = next((f for f in earlier if f.version == loaded.version), None)
            if taken is not None:
                if content_hash(taken.questionnaire) != digest:
                    return Added.VERSION_TAKEN, loaded
                return await self._reactivated(Added.UNCHANGED, loaded)
        self._session.add(
            FormRow(
                municipality=self.municipality,
                tag=loaded.questionnaire.version,
                form_id=loaded.form_id,
                version=loaded.version,
                title=loaded.title,
                definition=to_data(loaded.questionnaire),
                content_hash=digest,
                active=True,
                loaded_at=now.astimezone(UTC).replace(tzinfo=None),
            )
        )
        await self._activate(loaded.form_id)
        return Added.ADDED, loaded

    async def _reactivated(self, outcome: Added, loaded: LoadedForm) -> tuple[Added, LoadedForm]:
        await self._activate(loaded.form_id)  # the built-in form alone: no row to change
        return outcome, loaded

    async def _activate(self, form_id: str) -> None:
        await self._set_active(form_id, True)

    async def retire(self, form_id: str) -> bool:
        """``False`` when the municipality has no such form."""
        if not await self.versions(form_id):
            return False
        await self._set_active(form_id, False)
        return True

    async def _set_active(self, form_id: str, active: bool) -> None:
        await self._session.execute(
            update(FormRow)
            .where(FormRow.municipality == self.municipality, FormRow.form_id == form_id)
            .values(active=active)
        )


def _next_number(earlier: list[StoredForm]) -> str:
    numbers = [int(f.version) for f in earlier if f.version.isdigit()]
    return str(max(numbers, default=0) + 1)


def builtin_version(builtin: Questionnaire) -> str:
    """``1`` of ``social_services_v1``: the version staff see and write in the settings."""
    return builtin.version.removeprefix(f"{builtin.form_id}_v")


def _with_builtin(
    earlier: list[StoredForm], builtin: Questionnaire, now: datetime
) -> list[StoredForm]:
    """The stored versions with the shipped one first, unless a row already holds it."""
    version = builtin_version(builtin)
    if any(f.version == version for f in earlier):
        return earlier
    shipped = StoredForm(builtin, builtin.form_id, version, "", True, now, "")
    return [shipped, *earlier]
