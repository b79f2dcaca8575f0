"""The staff dashboard attacked by those who may read it: a viewer or national analyst who
opens it on two days, a municipality whose box is shared with another, a response rate that
would give back a hidden count, and a rate of 0% that must not read as "not entered"."""

from __future__ import annotations

import re
from datetime import date

from bot.application.staff_accounts import Role
from bot.staff.render import locale_of
from tests.e2e.test_staff_analyst_pages import TODAY, seeded
from tests.support import seed_000
from tests.support.staff import HOME, OTHER

VERSION = "social_services_v1"


def tiles(page: str) -> list[str]:
    """The big figures at the top of the dashboard, with their hints."""
    found = re.findall(r'<p class="big">([^<]*)</p><p class="hint">(.*?)</p></li>', page)
    return [f"{big} {re.sub(r'<[^>]+>', '', hint)}" for big, hint in found]


def without_tokens(page: str) -> str:
    """The page without what changes on every request whatever the figures (form tokens)."""
    return re.sub(r'(name="csrf"[^>]*value=|content=)"[^"]*"', r'\1""', page)


async def add_forms(staff_console, day: date, count: int, service: str = "winter_heating"):
    runtime = staff_console.runtime.of(HOME)
    answers = {**seed_000.answers()[0], "service": service}
    async with runtime.database.transaction() as tx:
        for _ in range(count):
            await tx.responses.add(VERSION, "paper", answers, day)
        await tx.commit()


async def enter_applications(staff_console, period, counts: dict[str, int]) -> None:
    runtime = staff_console.runtime.of(HOME)
    async with runtime.database.analysis() as analysis:
        for service, count in counts.items():
            await analysis.set_applications(period.start, period.end, service, count)
        await analysis.commit()


async def test_a_viewers_dashboard_is_the_same_before_and_after_one_more_form_this_quarter(
    staff_console, clock
):
    await seeded(staff_console, clock)
    settings = staff_console.runtime.of(HOME).settings
    ended = settings.quarters.last_complete(TODAY.date()).label
    members = {role: await staff_console.account(role) for role in (Role.VIEWER, Role.NATIONAL)}
    pages: dict[Role, list[str]] = {role: [] for role in members}
    for day in ("today", "tomorrow"):
        for role, member in members.items():
            async with staff_console.client(member) as http:
                pages[role].append((await http.get(f"/staff/{HOME}/dashboard")).text)
        if day == "today":
            await add_forms(staff_console, TODAY.date(), 1)  # one form of the open quarter
    for role, (before, after) in pages.items():
        assert ended in before and re.search(r'class="big">\d+<', before), role
        if role is Role.NATIONAL:  # the municipality's own part; its overview row is national_row's
            before, after = (page.split("</table></div>", 1)[1] for page in (before, after))
        assert without_tokens(before) == without_tokens(after), role


async def test_a_form_in_another_municipalitys_box_never_counts_as_waiting(staff_console, clock):
    await seeded(staff_console, clock, count=6)
    database = staff_console.runtime.of(HOME).database
    async with database.transaction(OTHER) as tx:
        await tx.responses.drop_in_box(VERSION, "web", seed_000.answers()[0], TODAY.date())
        await tx.commit()
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        other_only = tiles((await http.get(f"/staff/{HOME}/dashboard")).text)
        async with database.transaction() as tx:
            await tx.responses.drop_in_box(VERSION, "web", seed_000.answers()[0], TODAY.date())
            await tx.commit()
        own = tiles((await http.get(f"/staff/{HOME}/dashboard")).text)
    waiting = locale_of("ka").t("staff.dashboard.waiting")
    assert f"0 {waiting}" in other_only
    assert f"1 {waiting}" in own


async def test_a_viewers_rate_never_gives_back_a_hidden_count_of_forms(staff_console, clock):
    """Two forms and 40 applications: 5% would say the hidden "<3" is 2."""
    clock.now = TODAY
    settings = staff_console.runtime.of(HOME).settings
    ended = settings.quarters.last_complete(TODAY.date())
    await add_forms(staff_console, ended.start, 2)
    await enter_applications(staff_console, ended, {"winter_heating": 40})
    viewer = await staff_console.account(Role.VIEWER)
    async with staff_console.client(viewer) as http:
        page = (await http.get(f"/staff/{HOME}/dashboard")).text
    shown = tiles(page)
    assert any(t.startswith("&lt;3 ") for t in shown), shown  # the forms, hidden
    assert not any("%" in t for t in shown), shown
    assert not re.search(r"[^.\d]5%", page) and ">2<" not in page


async def test_a_rate_of_none_of_the_entered_applications_is_printed_as_0_percent(
    staff_console, clock
):
    """Forms about heating, applications entered only for newborns: 0 of 50 answered, a
    figure to print, not "applications not entered"."""
    clock.now = TODAY
    settings = staff_console.runtime.of(HOME).settings
    now = settings.quarters.containing(TODAY.date())
    await add_forms(staff_console, TODAY.date(), 4)
    await enter_applications(staff_console, now, {"newborn": 50})
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        shown = tiles((await http.get(f"/staff/{HOME}/dashboard")).text)
    assert any(t.startswith("0% ") and "50" in t for t in shown), shown
