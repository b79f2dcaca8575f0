"""The clerk's paper-forms page over HTTP: checks beside the fields, the held batch, the
summary before saving, saving with the forms' date, undo, and the audit log."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.staff import HOME, OTHER

PAGE = f"/staff/{HOME}/paper"
DAY = "14.07.2025"
FORM = {
    "service": "15",  # winter heating
    "gender": "1",
    "info_source": "3",
    "awareness": "2",
    "documents": "3",
    "satisfaction": "4",
    "professionalism": "5",
    "helpfulness": "4",
    "extra_needs": "2",
    "suggestions": "თანხა გაზარდეთ, შეშა ძვირია",
}
HELD = re.compile(r'name="held" value="([^"]*)"')


@pytest.fixture(autouse=True)
def autumn_2025(clock) -> None:  # type: ignore[no-untyped-def]
    """The server's today two months after ``DAY``: a form that old is still taken in years
    from now (a day before ``TEXTS_KEPT_MONTHS`` is refused)."""
    clock.now = datetime(2025, 9, 20, 9, 0, tzinfo=UTC)


def typed(form: dict[str, str], **changes: str) -> dict[str, str]:
    return {"day": DAY, **{f"q_{k}": v for k, v in {**form, **changes}.items()}}


def held_in(html: str) -> str:
    found = HELD.search(html)
    assert found
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


async def stored(console, day: date = date(2025, 7, 14)) -> list:  # type: ignore[no-untyped-def]
    async with console.runtime.database.analysis(HOME) as analysis:
        return await analysis.responses_between(day, day)


async def test_a_wrong_digit_is_named_beside_its_field_and_what_was_typed_stays(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await http.post_form(PAGE, typed(FORM, gender="7", documents="", satisfaction="9"))
    assert page.status_code == 400
    html = page.text
    assert 'id="e_gender"' in html and "1-დან 3-მდე" in html  # the clerk's words, not buttons
    assert 'id="e_documents"' in html and "სავალდებულოა" in html
    assert 'id="e_satisfaction"' in html
    assert 'id="e_service"' not in html
    assert 'value="15"' in html and "შეშა ძვირია" in html  # nothing typed is lost
    assert 'aria-invalid="true"' in html
    assert await stored(staff_console) == []


async def test_a_follow_up_typed_where_the_form_skips_it_is_refused(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await http.post_form(PAGE, typed(FORM, extra_needs_text="შეშა"))
    assert page.status_code == 400
    assert 'id="e_extra_needs_text"' in page.text and "კითხვა 9" in page.text


async def test_held_forms_are_summed_up_before_anything_is_saved(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        first = await http.post_form(PAGE, typed(FORM))
        assert first.status_code == 200 and "ფორმა 1 გადაიდო" in first.text
        second = await http.post_form(
            PAGE,
            {
                **typed(FORM, gender="2", extra_needs="1", extra_needs_text="წამლები"),
                "held": held_in(first.text),
            },
        )
        assert "ფორმა 2 გადაიდო" in second.text
        review = await http.post_form(
            PAGE, {"day": DAY, "held": held_in(second.text), "do": "review"}
        )
        assert "ჯგუფი: 2 ფორმა, თარიღი 14.07.2025" in review.text
        assert "ზამთრის თბობა" in review.text and "წამლები" in review.text
        assert "2 ფორმის შენახვა" in review.text
        assert await stored(staff_console) == []  # the summary stores nothing
        saved = await http.post_form(PAGE, {"day": DAY, "held": held_in(review.text), "do": "save"})
        assert saved.status_code == 303
        after = await http.get(saved.headers["location"])
    assert "2 ფორმა შეინახა" in after.text
    forms = await stored(staff_console)
    assert sorted(f.answers["gender"] for f in forms) == ["female", "male"]
    assert {f.channel for f in forms} == {"paper"} and all(f.confirmed for f in forms)
    needs = [f.answers.get("extra_needs_text") for f in forms]
    assert sorted(n or "" for n in needs) == ["", "წამლები"]


async def test_a_held_form_can_be_taken_out_of_the_batch_before_saving(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    held = json.dumps(
        [{"service": "15", **{k: v for k, v in FORM.items()}}, {**FORM, "gender": "2"}]
    )
    async with staff_console.client(clerk) as http:
        review = await http.post_form(PAGE, {"day": DAY, "held": held, "do": "drop:0"})
        assert "ჯგუფი: 1 ფორმა" in review.text
        await http.post_form(PAGE, {"day": DAY, "held": held_in(review.text), "do": "save"})
    assert [f.answers["gender"] for f in await stored(staff_console)] == ["male"]


async def test_a_tampered_held_form_is_checked_again_and_nothing_is_saved(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    held = json.dumps([FORM, {**FORM, "satisfaction": "8"}])
    async with staff_console.client(clerk) as http:
        page = await http.post_form(PAGE, {"day": DAY, "held": held, "do": "save"})
    assert page.status_code == 400 and "ფორმა 2" in page.text
    assert await stored(staff_console) == []


async def test_a_day_still_to_come_is_refused(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await http.post_form(PAGE, {**typed(FORM), "day": "01.01.2999"})
    assert page.status_code == 400 and 'id="day-problem"' in page.text


@pytest.mark.both_databases
async def test_a_day_a_thousand_years_ago_is_refused_and_nothing_is_held(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        page = await http.post_form(PAGE, {**typed(FORM), "day": "12.08.1025"})
    assert page.status_code == 400 and 'id="day-problem"' in page.text
    assert await stored(staff_console, date(1025, 8, 12)) == []


async def test_undo_takes_back_the_last_batch_and_both_are_in_the_audit_log(staff_console):
    clerk = await staff_console.account(Role.CLERK)
    earlier = json.dumps([FORM])
    batch = json.dumps([FORM, {**FORM, "gender": "2"}])
    async with staff_console.client(clerk) as http:
        await http.post_form(PAGE, {"day": DAY, "held": earlier, "do": "save"})
        await http.post_form(PAGE, {"day": DAY, "held": batch, "do": "save"})
        assert len(await stored(staff_console)) == 3
        page = await http.get(PAGE)
        assert "ბოლო შენახული ჯგუფი: 2 ფორმა" in page.text
        undone = await http.post_form(PAGE, {"do": "undo"})
        after = await http.get(undone.headers["location"])
        assert "ბოლო ჯგუფი (2 ფორმა) წაიშალა" in after.text
        again = await http.post_form(PAGE, {"do": "undo"})
        assert "გასაუქმებელი ჯგუფი არ არის" in (await http.get(again.headers["location"])).text
    left = await stored(staff_console)
    assert [f.answers["gender"] for f in left] == ["female"]  # the earlier batch stays
    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    actions = [(e.action, e.object) for e in log if e.who == clerk.email]
    undone_entries = [o for a, o in actions if a == "undid_paper_batch"]
    assert len(undone_entries) == 1 and undone_entries[0].startswith("2 ფორმა, თარიღი 2025-07-14")
    assert sum(a == "saved_paper_batch" for a, _ in actions) == 2
    assert all("შეშა" not in o for _, o in actions)  # never an answer


async def test_a_viewer_and_another_municipality_s_clerk_cannot_type_in_forms(staff_console):
    viewer = await staff_console.account(Role.VIEWER)
    stranger = await staff_console.account(Role.CLERK, municipality=OTHER)
    for member in (viewer, stranger):
        async with staff_console.client(member) as http:
            page = await http.post_form(
                PAGE, {"day": DAY, "held": json.dumps([FORM]), "do": "save"}
            )
            assert page.status_code == 403
    assert await stored(staff_console) == []
