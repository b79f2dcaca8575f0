"""What the admins' Settings page may not do and what clerks may: a municipal admin cannot
switch small-count suppression off (the installation's threshold is a floor, also for a
file edited by hand), a form with one bad value saves nothing and says why, and the clerk
who hands out receipt slips at the desk prints them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.application.municipalities import load_municipalities
from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.e2e.test_staff_forms import console_with_links  # noqa: F401 (a fixture)
from tests.support.staff import HOME, OTHER, Console


def other_file(console: Console) -> Path:
    return console.settings.municipalities_dir / f"{OTHER}.yaml"  # type: ignore[operator]


async def actions(console: Console, municipality: str) -> set[tuple[str, str]]:
    entries = await console.accounts.audit_log(AuditFilter(municipality=municipality))
    return {(e.action, e.object) for e in entries}


async def test_an_admin_cannot_lower_the_public_threshold_below_the_installations(
    staff_console: Console,
):
    floor = staff_console.settings.public_min_count
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    before = other_file(staff_console).read_text(encoding="utf-8")
    async with staff_console.client(admin) as http:
        for lower in ("1", str(floor - 1)):
            refused = await http.post_form(
                f"/staff/{OTHER}/settings/save", {"public_min_count": lower}
            )
            assert refused.status_code == 400 and f"{floor}-ზე ნაკლები" in refused.text
        raised = await http.post_form(
            f"/staff/{OTHER}/settings/save", {"public_min_count": str(floor + 2)}
        )
        assert raised.status_code == 303
    assert yaml.safe_load(other_file(staff_console).read_text())["public_min_count"] == floor + 2
    assert before != other_file(staff_console).read_text(encoding="utf-8")


def test_a_file_edited_by_hand_cannot_lower_the_threshold_either(tmp_path: Path):
    from bot.config.settings import Settings

    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / f"{OTHER}.yaml").write_text(
        "name: {ka: მარნეული}\npublic_min_count: 1\n", encoding="utf-8"
    )
    base = Settings(_env_file=None, municipalities_dir=str(folder), public_min_count=5)
    loaded = {m.code: m for m in load_municipalities(base)}
    assert loaded[OTHER].settings.public_min_count == 5


async def test_a_settings_form_with_one_bad_value_saves_nothing_and_says_why(
    staff_console: Console,
):
    admin = await staff_console.account(Role.ADMIN, municipality=OTHER)
    before = other_file(staff_console).read_text(encoding="utf-8")
    async with staff_console.client(admin) as http:
        for bad in (
            {"name.en": "Renamed", "timezone": "Mars/Olympus"},
            {"name.en": "Renamed", "public_min_count": "many"},
            {"name.en": "Renamed", "quarter_start_month": "13"},
        ):
            refused = await http.post_form(f"/staff/{OTHER}/settings/save", bad)
            assert refused.status_code == 400 and 'role="alert"' in refused.text, bad
            assert other_file(staff_console).read_text(encoding="utf-8") == before, bad
    assert not {a for a in await actions(staff_console, OTHER) if a[0] == "changed_settings"}


async def test_a_clerk_prints_receipt_slips_from_the_paper_forms_page(
    console_with_links: Any,  # noqa: F811
):
    console: Console = console_with_links
    clerk = await console.account(Role.CLERK)
    async with console.client(clerk) as http:
        paper = await http.get(f"/staff/{HOME}/paper")
        assert f"/staff/{HOME}/forms/slips" in paper.text
        page = await http.get(f"/staff/{HOME}/forms/slips")
        assert page.status_code == 200 and 'name="count"' in page.text
        slips = await http.post_form(
            f"/staff/{HOME}/forms/slips", {"service": "free_meals", "count": "5"}
        )
        assert slips.status_code == 200 and slips.content.startswith(b"%PDF")
        refused = await http.post_form(
            f"/staff/{HOME}/forms/slips", {"service": "free_meals", "count": "0"}
        )
        assert refused.status_code == 400 and 'role="alert"' in refused.text
        assert "/forms/check" not in refused.text  # the clerk never sees the admins' page
        assert (await http.get(f"/staff/{HOME}/forms")).status_code == 403
    viewer = await console.account(Role.VIEWER)
    async with console.client(viewer) as http:
        assert (await http.get(f"/staff/{HOME}/forms/slips")).status_code == 403
    async with console.runtime.database.transaction(HOME) as tx:
        assert (await tx.codes.tally())["free_meals"][0] == 5
    assert ("printed_slips", "free_meals: 5") in await actions(console, HOME)
