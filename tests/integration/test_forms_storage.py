"""Loaded forms in the database: versions, the same file twice, retiring, what a report reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dialogue.forms import FormCatalogue
from bot.questionnaire.content import load_content
from bot.questionnaire.xlsform import read_xlsform
from storage import open_database
from storage.forms import Added
from tests.support import xlsforms

pytestmark = pytest.mark.both_databases
NOW = datetime(2025, 9, 8, 9, 0, tzinfo=UTC)


async def test_versions_are_numbered_kept_and_refused_when_reused(database_url, tmp_path: Path):
    database = await open_database(database_url)
    first = read_xlsform(xlsforms.kindergarten(tmp_path, version=None))
    changed = replace(
        first,
        questionnaire=replace(first.questionnaire, questions=first.questionnaire.questions[:-1]),
    )
    async with database.forms() as forms:
        assert (await forms.add(first, NOW))[0] is Added.ADDED
        assert (await forms.add(first, NOW + timedelta(minutes=1)))[0] is Added.UNCHANGED
        outcome, second = await forms.add(changed, NOW + timedelta(minutes=2))
        assert outcome is Added.ADDED and second.questionnaire.version == "kindergarten_v2"
        taken = replace(first, version="2")
        assert (await forms.add(taken, NOW + timedelta(minutes=3)))[0] is Added.VERSION_TAKEN
        await forms.commit()
    async with database.forms() as forms:
        stored = await forms.versions("kindergarten")
        assert [f.version for f in stored] == ["1", "2"] and all(f.active for f in stored)
        assert stored[0].questionnaire == first.with_version("1").questionnaire
        assert stored[0].questionnaire.texts == first.questionnaire.texts
        assert await forms.retire("kindergarten") and not await forms.retire("water")
        await forms.commit()
    async with database.forms() as forms:
        assert not any(f.active for f in await forms.versions("kindergarten"))
    async with database.forms("marneuli") as elsewhere:
        assert await elsewhere.versions() == [], "another municipality sees none of them"
    await database.close()


async def test_the_catalogue_offers_the_built_in_form_first_and_keeps_every_version(
    database_url, tmp_path: Path
):
    builtin = load_content().questionnaire
    database = await open_database(database_url)
    async with database.forms() as forms:
        await forms.add(read_xlsform(xlsforms.kindergarten(tmp_path)), NOW)
        await forms.commit()
        catalogue = FormCatalogue(lambda q: None)  # type: ignore[arg-type, return-value]
        catalogue.replace(await forms.offered(builtin))
        selection = await forms.selection("kindergarten", builtin)
        builtin_selection = await forms.selection(builtin.form_id, builtin)
    await database.close()
    assert [q.form_id for q in catalogue.active] == ["social_services", "kindergarten"]
    assert catalogue.default is not None and catalogue.default.version == "social_services_v1"
    link = catalogue.resolve("kindergarten--garden_2")
    assert link.form is not None and link.prefill == {"garden": "garden_2"}
    assert catalogue.resolve("winter_heating").prefill == {"service": "winter_heating"}
    assert not catalogue.resolve("nothing").known and catalogue.resolve(None).form is None
    assert selection is not None and selection.scope.only == {"kindergarten_v1"}
    assert builtin_selection is not None and builtin_selection.scope.excluding == {
        "kindergarten_v1"
    }


async def test_the_shipped_form_counts_as_loaded_so_an_edited_copy_must_raise_its_version(
    database_url, tmp_path: Path
):
    """No row holds the built-in social-services form, yet its version is taken: an edited
    copy of its file under the same version would give one tag two sets of questions."""
    from bot.questionnaire.content import bundled_questionnaire

    builtin = load_content().questionnaire
    shipped = read_xlsform(bundled_questionnaire())
    q = shipped.questionnaire
    edited = replace(shipped, questionnaire=replace(q, questions=q.questions[:-1]))
    database = await open_database(database_url)
    async with database.forms() as forms:
        assert (await forms.add(shipped, NOW, builtin))[0] is Added.UNCHANGED
        assert (await forms.add(edited, NOW, builtin))[0] is Added.VERSION_TAKEN
        await forms.commit()
        assert await forms.versions() == [], "nothing stored"
        unnumbered = replace(edited, version=None)
        outcome, stored = await forms.add(unnumbered, NOW, builtin)
        assert outcome is Added.ADDED and stored.questionnaire.version == "social_services_v2"
        await forms.commit()
    await database.close()


async def test_the_longest_version_the_reader_accepts_fits_the_database(
    database_url, tmp_path: Path
):
    """``forms.version`` holds 20 characters: a longer one used to pass the reader and fail
    on PostgreSQL as "database unreachable"; now the reader refuses it at its cell."""
    from bot.questionnaire.xlsform import FormError

    survey = [("type", "name", "label::ka"), ("text", "idea", "იდეა")]
    form_id = "f" * 40
    longest = xlsforms.write_xlsform(
        tmp_path / "a.xlsx", survey, None, xlsforms.settings(form_id, "2025.10.01-rc_1234567")
    )
    with pytest.raises(FormError) as refused:
        read_xlsform(longest)
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [
        ("settings", 2, "version")
    ]
    fits = xlsforms.write_xlsform(
        tmp_path / "b.xlsx", survey, None, xlsforms.settings(form_id, "2025.10.01-rc_123456")
    )
    database = await open_database(database_url)
    async with database.forms() as forms:
        outcome, stored = await forms.add(read_xlsform(fits), NOW)
        assert outcome is Added.ADDED
        await forms.commit()
    async with database.forms() as forms:
        (kept,) = await forms.versions(form_id)
        assert kept.version == "2025.10.01-rc_123456"
        assert kept.questionnaire.version == stored.questionnaire.version
    await database.close()
