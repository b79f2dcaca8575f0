"""Every console page refuses the wrong role and another municipality's staff: the table
is every registered page (``bot.staff.guard.PAGES``, pages added later included) x every
role x the account's own and another municipality, each expected from the page's own
declared roles."""

from __future__ import annotations

import re

import httpx

from bot.application.staff_accounts import ROLES, Role
from bot.staff.console import load_pages
from bot.staff.guard import StaffPage
from tests.support.staff import HOME, OTHER, Console, StaffClient

PARAMETER = re.compile(r"\{(\w+)(:\w+)?\}")


def address(page: StaffPage, municipality: str) -> str:
    """The page's address; any path parameter besides the municipality is a made-up one
    (the guard answers before the handler reads it)."""
    return PARAMETER.sub("1", page.path and f"/staff/{municipality}{page.path}")


def expected_allowed(page: StaffPage, role: Role, own: bool) -> bool:
    return role in page.roles and (own or role is Role.NATIONAL)


async def ask(http: StaffClient, page: StaffPage, path: str) -> httpx.Response:
    if "GET" in page.methods:
        return await http.get(path)
    return await http.post_form(path, {})


async def test_every_page_allows_exactly_its_roles_in_their_own_municipality(staff_console):
    pages = load_pages()
    assert len(pages) >= 4  # home, password, audit log, its export: more as pages are added
    wrong: list[str] = []
    for role in ROLES:
        member = await staff_console.account(role)
        async with staff_console.client(member) as http:
            for page in pages:
                for municipality, own in ((HOME, True), (OTHER, False)):
                    answer = await ask(http, page, address(page, municipality))
                    allowed = expected_allowed(page, role, own)
                    refused = answer.status_code == 403 and "/staff/" in answer.text
                    if allowed and (refused or answer.status_code >= 500):
                        wrong.append(f"{role} refused {page.path} in {municipality}")
                    if not allowed and not refused:
                        wrong.append(
                            f"{role} got {answer.status_code} at {page.path} in {municipality}"
                        )
    assert not wrong, "\n".join(wrong)


async def test_every_page_sends_a_stranger_to_the_sign_in_page(staff_console):
    async with staff_console.anonymous() as http:
        for page in load_pages():
            answer = await ask(http, page, address(page, HOME))
            assert answer.status_code == 303, page.path
            assert answer.headers["location"].startswith("/staff/sign-in")


async def test_a_refusal_is_a_kind_page_in_georgian(staff_console: Console):
    clerk = await staff_console.account(Role.CLERK)
    async with staff_console.client(clerk) as http:
        answer = await http.get(f"/staff/{HOME}/audit")
        assert answer.status_code == 403
        assert "ეს გვერდი თქვენთვის არ არის" in answer.text
        assert "ადმინისტრატორს" in answer.text
