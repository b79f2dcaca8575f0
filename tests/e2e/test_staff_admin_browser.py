"""The admin's work in a real browser (Debian's Chromium) with JavaScript off: an XLSForm
loaded (checked, tried, published) and a viewer added, who sets up their account from the
one-time link, signs in and reaches the dashboard and reports and none of the admin's, the
clerk's or the analyst's pages; the audit log names each action. Every admin page is clean
for axe-core and no wider than the screen at 390 and 1280 px.
``STAFF_SCREENSHOTS=<folder>`` keeps the pages' screenshots for a look by hand."""

from __future__ import annotations

import os
from pathlib import Path

from bot.application.staff_accounts import Role
from storage.staff import AuditFilter
from tests.support.browser import looked_at, need_chromium
from tests.support.staff import HOME, OTHER, PASSWORD, Console, Member
from tests.support.xlsforms import broken, kindergarten

SCREENSHOTS = os.environ.get("STAFF_SCREENSHOTS")

need_chromium()

from playwright.async_api import Browser, Page  # noqa: E402


async def without_javascript(browser: Browser, width: int, javascript: bool = False) -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": 844}, java_script_enabled=javascript
    )
    return await context.new_page()


async def signed_in(
    browser: Browser, console: Console, member: Member, width: int, javascript: bool = False
) -> Page:
    """``javascript``: on for axe-core's checks only (it runs in the page); the pages
    themselves have none."""
    page = await without_javascript(browser, width, javascript)
    await page.goto(console.url + "/staff/sign-in")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    if member.totp_secret:
        await page.fill("#code", member.code())
    async with page.expect_navigation():
        await page.click("form.stack button")
    return page


async def click(page: Page, selector: str) -> None:
    async with page.expect_navigation():
        await page.click(selector)


async def test_an_admin_loads_a_form_and_adds_a_viewer_who_sees_only_the_dashboard_and_reports(
    staff_console: Console, chromium: Browser, tmp_path: Path
):
    admin = await staff_console.account(Role.ADMIN)
    page = await signed_in(chromium, staff_console, admin, 390)
    await page.goto(f"{staff_console.url}/staff/{HOME}/forms")
    await page.set_input_files("#file", str(kindergarten(tmp_path)))
    await click(page, "form[enctype] button")
    assert "kindergarten.xlsx" in await page.inner_text("#draft-title")
    await click(page, "text=გამოცდა")
    assert "არაფერი ინახება" in await page.inner_text(".banner")
    await click(page, ".options button >> nth=1")  # the second kindergarten
    assert "2" in await page.inner_text(".trial .hint")  # on to the second question
    await click(page, "#publish")
    assert "გამოქვეყნდა" in await page.inner_text(".notice")
    assert "kindergarten" in {q.form_id for q in staff_console.runtime.of(HOME).forms.active}

    await page.goto(f"{staff_console.url}/staff/{HOME}/people")
    await page.fill("#email", "viewer@ambrolauri.test")
    await page.select_option("#role", "viewer")
    await click(page, "text=დამატება >> nth=-1")
    link = (await page.inner_text(".notice code")).strip()
    await page.context.close()

    viewer = await without_javascript(chromium, 390)
    await viewer.goto(staff_console.url + "/staff/" + link.split("/staff/", 1)[1])
    await viewer.fill("#password", PASSWORD)
    await viewer.fill("#again", PASSWORD)
    await click(viewer, "form.stack button")
    await viewer.goto(staff_console.url + "/staff/sign-in")
    await viewer.fill("#email", "viewer@ambrolauri.test")
    await viewer.fill("#password", PASSWORD)
    await click(viewer, "form.stack button")
    nav = await viewer.eval_on_selector_all(
        "nav.pages a", "links => links.map(a => a.getAttribute('href'))"
    )
    own = {f"/staff/{HOME}/", f"/staff/{HOME}/password"}  # the home page, their own password
    assert set(nav) - own == {f"/staff/{HOME}/dashboard", f"/staff/{HOME}/reports"}
    dashboard = await viewer.goto(f"{staff_console.url}/staff/{HOME}/dashboard")
    assert dashboard is not None and dashboard.status == 200
    for path in ("forms", "people", "settings", "audit", "texts", "paper", "imports"):
        refused = await viewer.goto(f"{staff_console.url}/staff/{HOME}/{path}")
        assert refused is not None and refused.status == 403, path
    await viewer.context.close()

    log = await staff_console.accounts.audit_log(AuditFilter(municipality=HOME))
    done = {(e.who, e.action) for e in log}
    assert {
        (admin.email, "checked_form"),
        (admin.email, "published_form"),
        (admin.email, "account_added"),
    } <= done
    page = await signed_in(chromium, staff_console, admin, 1280)
    await page.goto(f"{staff_console.url}/staff/{HOME}/audit")
    shown = await page.inner_text("table")
    for action in ("ფორმის გამოქვეყნება", "ანგარიშის დამატება", "viewer@ambrolauri.test"):
        assert action in shown
    await page.context.close()


async def test_every_admin_page_is_clean_for_axe_and_fits_390_and_1280(
    staff_console: Console, chromium: Browser, tmp_path: Path
):
    admin = await staff_console.account(Role.ADMIN)
    elsewhere = await staff_console.account(Role.ADMIN, municipality=OTHER)
    await staff_console.account(Role.CLERK)
    found: dict[str, list[str]] = {}
    for width in (390, 1280):
        page = await signed_in(chromium, staff_console, admin, width, javascript=True)
        url = f"{staff_console.url}/staff/{HOME}"
        await page.goto(url + "/forms")
        await looked_at(page, "forms", width, found, SCREENSHOTS)
        await page.set_input_files("#file", str(broken(tmp_path)))
        await click(page, "form[enctype] button")
        await looked_at(page, "forms-problems", width, found, SCREENSHOTS)
        await page.set_input_files("#file", str(kindergarten(tmp_path)))
        await click(page, "form[enctype] button")
        await looked_at(page, "forms-checked", width, found, SCREENSHOTS)
        await click(page, "text=გამოცდა")
        await looked_at(page, "forms-try", width, found, SCREENSHOTS)
        await click(page, ".options button >> nth=0")
        await looked_at(page, "forms-try-next", width, found, SCREENSHOTS)
        await page.goto(url + "/people")
        await looked_at(page, "people", width, found, SCREENSHOTS)
        await page.fill("#email", f"new-{width}@ambrolauri.test")
        await click(page, "text=დამატება >> nth=-1")
        await looked_at(page, "people-added", width, found, SCREENSHOTS)
        await page.goto(url + "/settings")
        await looked_at(page, "settings-home", width, found, SCREENSHOTS)
        await page.context.close()
        page = await signed_in(chromium, staff_console, elsewhere, width, javascript=True)
        await page.goto(f"{staff_console.url}/staff/{OTHER}/settings")
        await looked_at(page, "settings-file", width, found, SCREENSHOTS)
        await page.goto(f"{staff_console.url}/staff/language?to=en&back=/staff/{OTHER}/forms")
        await looked_at(page, "forms-en", width, found, SCREENSHOTS)
        await page.context.close()
    assert not {name: v for name, v in found.items() if v}
