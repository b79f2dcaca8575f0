"""The console's own pages in a real browser (Debian's Chromium), at a phone's 390 px and
a desk's 1280 px: axe-core finds no violation, nothing is wider than the screen, each role
signs in through the form, and set-up, sign-in and sign-out work with JavaScript off.
``STAFF_SCREENSHOTS=<folder>`` keeps the pages' screenshots for a look by hand."""

from __future__ import annotations

import os

from bot.application.staff_accounts import COMMAND_LINE, Role
from tests.support.browser import looked_at, need_chromium
from tests.support.staff import HOME, PASSWORD, signed_in_page

SCREENSHOTS = os.environ.get("STAFF_SCREENSHOTS")
WIDTHS = (390, 1280)

need_chromium()


async def test_every_role_signs_in_and_each_page_is_clean_at_390_and_1280(staff_console, chromium):
    found: dict[str, list[str]] = {}
    members = {role: await staff_console.account(role) for role in Role}
    admin = members[Role.ADMIN]
    await staff_console.accounts.record(COMMAND_LINE, "account_added", HOME, "x@y.ge (viewer)")
    for width in WIDTHS:
        context = await chromium.new_context(viewport={"width": width, "height": 844})
        page = await context.new_page()
        await page.goto(staff_console.url + "/staff/sign-in")
        await looked_at(page, "sign-in", width, found, SCREENSHOTS)
        await page.fill("#email", admin.email)
        await page.fill("#password", "not the password")
        await page.click("form.stack button")
        assert "არასწორია" in await page.inner_text(".problem")
        await looked_at(page, "sign-in-wrong", width, found, SCREENSHOTS)
        _email, link = await staff_console.setup_link(Role.ADMIN)
        await page.goto(staff_console.url + link)
        await looked_at(page, "set-up-admin", width, found, SCREENSHOTS)
        await context.close()
        for role, member in members.items():
            page = await signed_in_page(chromium, staff_console, member, width)
            name = "choose" if role is Role.NATIONAL else f"home-{role.value}"
            await looked_at(page, name, width, found, SCREENSHOTS)
            await page.context.close()
        page = await signed_in_page(chromium, staff_console, admin, width)
        await page.goto(f"{staff_console.url}/staff/{HOME}/audit")
        assert admin.email in await page.inner_text("table")
        await looked_at(page, "audit", width, found, SCREENSHOTS)
        await page.goto(f"{staff_console.url}/staff/{HOME}/password")
        await looked_at(page, "password", width, found, SCREENSHOTS)
        await page.goto(f"{staff_console.url}/staff/language?to=en&back=/staff/{HOME}/")
        assert "What will you do today?" in await page.inner_text("h1")
        await looked_at(page, "home-admin-en", width, found, SCREENSHOTS)
        await page.context.close()
        page = await signed_in_page(chromium, staff_console, members[Role.CLERK], width)
        await page.goto(f"{staff_console.url}/staff/{HOME}/audit")
        await looked_at(page, "refused", width, found, SCREENSHOTS)
        await page.context.close()
    assert not {name: v for name, v in found.items() if v}


async def test_an_admin_sets_up_signs_in_and_out_with_javascript_off(staff_console, chromium):
    email, link = await staff_console.setup_link(Role.ADMIN)
    context = await chromium.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = await context.new_page()
    await page.goto(staff_console.url + link)
    secret = await page.get_attribute("input[name=totp_secret]", "value")
    assert await page.locator(".qr svg").count() == 1
    await page.fill("#password", PASSWORD)
    await page.fill("#again", PASSWORD)
    await page.fill("#code", staff_console.totp(secret))
    await page.click("form.stack button")
    assert "შეგიძლიათ შეხვიდეთ" in await page.inner_text(".notice")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.fill("#code", staff_console.totp(secret, 1))
    await page.click("form.stack button")
    assert "რას გააკეთებთ დღეს?" in await page.inner_text("h1")
    await page.click("text=გასვლა")
    assert await page.locator("#password").count() == 1
    await context.close()
