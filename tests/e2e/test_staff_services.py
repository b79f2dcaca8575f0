"""An admin offers and withdraws the municipality's services on the Settings page: the
standard programmes by a tick, an own service added with its names; a withdrawn service
leaves the questionnaire yet keeps its name in the reports of earlier periods; a bad form
writes nothing; the environment-configured municipality stays read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.application.municipalities import load_municipalities
from bot.application.municipality_services import choosable
from bot.application.staff_accounts import Role
from bot.questionnaire.content import load_content
from reporting.build import report_texts
from reporting.composer import Composer
from storage.staff import AuditFilter
from tests.support.staff import HOME, OTHER, Console

SERVICES = f"/staff/{OTHER}/settings/services"


def other_file(console: Console) -> Path:
    return console.settings.municipalities_dir / f"{OTHER}.yaml"  # type: ignore[operator]


def ticked(*codes: str) -> dict[str, Any]:
    return {f"offer.{code}": "1" for code in codes}


def report_names(console: Console) -> tuple[tuple[str, ...], Composer]:
    """What the bot would offer after its next start, and how its reports name services."""
    loaded = {m.code: m for m in load_municipalities(console.settings)}
    content = loaded[OTHER].own_content(load_content("ka"))
    question = content.questionnaire.with_role("service")
    assert question is not None
    composer = Composer(
        content.questionnaire,
        content.locale,
        report_texts(),
        None,  # type: ignore[arg-type]  (naming needs no categoriser)
        OTHER,
    )
    return question.options, composer


async def changes(console: Console) -> list[str]:
    entries = await console.accounts.audit_log(AuditFilter(municipality=OTHER))
    return [e.object for e in entries if e.action == "changed_services"]


async def test_an_admin_withdraws_a_programme_and_adds_an_own_service(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    kept = [code for code in choosable() if code != "food_parcel"]
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{OTHER}/settings")
        assert 'name="offer.food_parcel" value="1" checked' in page.text
        saved = await http.post_form(
            SERVICES,
            ticked(*kept) | {"new_code": "school_bus", "new_name.ka": "სკოლის ავტობუსი"},
        )
        assert saved.status_code == 303
        page = await http.get(f"/staff/{OTHER}/settings?saved=1")
        assert "შემდეგი გაშვებისას" in page.text
        assert 'name="offer.food_parcel" value="1">' in page.text
        assert "სკოლის ავტობუსი" in page.text
    offered, composer = report_names(staff_console)
    assert "food_parcel" not in offered and offered[-2:] == ("school_bus", "other")
    assert composer.service_name("food_parcel") == load_content("ka").locale.t(
        "service_names.food_parcel"
    )
    assert await changes(staff_console) == ["+school_bus, -food_parcel"]


async def test_a_withdrawn_own_service_keeps_its_name_in_earlier_reports(staff_console: Console):
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    async with staff_console.client(admin) as http:
        await http.get(f"/staff/{OTHER}/settings")
        added = ticked(*choosable()) | {"new_code": "school_bus", "new_name.ka": "სკოლის ავტობუსი"}
        assert (await http.post_form(SERVICES, added)).status_code == 303
        withdrawn = await http.post_form(SERVICES, ticked(*choosable()))
        assert withdrawn.status_code == 303
    entries = yaml.safe_load(other_file(staff_console).read_text(encoding="utf-8"))["services"]
    assert {"code": "school_bus", "name": {"ka": "სკოლის ავტობუსი"}, "offered": False} in entries
    offered, composer = report_names(staff_console)
    assert "school_bus" not in offered
    assert composer.service_name("school_bus") == "სკოლის ავტობუსი"
    assert sorted(await changes(staff_console)) == ["+school_bus", "-school_bus"]


async def test_a_services_form_with_a_mistake_writes_nothing_and_says_why(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    before = other_file(staff_console).read_text(encoding="utf-8")
    bad = [
        ({}, "ერთი მომსახურება მაინც"),
        (ticked(*choosable()) | {"new_code": "Bus!", "new_name.ka": "ავტობუსი"}, "არ გამოდგება"),
        (ticked(*choosable()) | {"new_code": "housing", "new_name.ka": "ბინა"}, "უკვე არსებობს"),
        (ticked(*choosable()) | {"new_code": "school_bus"}, "აკლია: ka"),
    ]
    async with staff_console.client(admin) as http:
        await http.get(f"/staff/{OTHER}/settings")
        for form, said in bad:
            refused = await http.post_form(SERVICES, form)
            assert refused.status_code == 400 and said in refused.text
            assert "არაფერი შეცვლილა" in refused.text
    assert other_file(staff_console).read_text(encoding="utf-8") == before
    assert await changes(staff_console) == []


async def test_the_environment_configured_municipality_offers_no_service_form(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN)
    async with staff_console.client(admin) as http:
        page = await http.get(f"/staff/{HOME}/settings")
        assert "offer.food_parcel" not in page.text
        refused = await http.post_form(f"/staff/{HOME}/settings/services", ticked("housing"))
    assert refused.status_code == 400


async def test_a_file_that_lists_other_keeps_it_and_the_audit_names_only_the_change(
    staff_console: Console,
):
    path = other_file(staff_console)
    path.write_text(
        "name: {ka: მარნეული}\nservices: [housing, winter_heating, other]\n", encoding="utf-8"
    )
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    async with staff_console.client(admin) as http:
        await http.get(f"/staff/{OTHER}/settings")
        saved = await http.post_form(SERVICES, ticked("housing"))
    assert saved.status_code == 303
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["services"] == ["housing", "other"]
    assert await changes(staff_console) == ["-winter_heating"]
