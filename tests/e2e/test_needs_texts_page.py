"""The staff console's Texts page offers a described extra need the needs' own categories,
and saves a correction among them."""

from __future__ import annotations

import re
from datetime import date

from bot.application.staff_accounts import Role
from tests.e2e.test_staff_analyst_pages import TODAY, quarters
from tests.support import seed_000
from tests.support.staff import HOME

NEED = "ზამთარში ძალიან გვიჭირს, ტყეში ვეღარ დავდივართ"


async def test_an_extra_need_is_offered_and_corrected_with_the_needs_categories(
    staff_console, clock
):
    clock.now = TODAY
    runtime = staff_console.runtime.of(HOME)
    async with runtime.database.transaction() as tx:
        answers = seed_000.answers()[0] | {"extra_needs": "yes", "extra_needs_text": NEED}
        await tx.responses.add("social_services_v1", "paper", answers, date(2025, 9, 2))
        await tx.commit()
    this, _ = quarters(staff_console)
    analyst = await staff_console.account(Role.ANALYST)
    async with staff_console.client(analyst) as http:
        page = await http.get(f"/staff/{HOME}/texts?period={this}")
        [need] = set(re.findall(r'name="text" value="([^"]+/extra_needs_text)"', page.text))
        row = page.text.split(f'value="{need}"', 1)[1].split("</li>")[0]
        assert 'name="cat_heating"' in row and 'name="cat_medicine_care"' in row
        assert 'name="cat_increase_amount"' not in row, "the suggestions' are not offered"
        fixed = await http.post_form(
            f"/staff/{HOME}/texts/review?period={this}",
            {"text": need, "do": "correct", "cat_heating": "1"},
        )
        assert fixed.status_code == 303
        again = await http.get(f"/staff/{HOME}/texts?period={this}&category=heating")
    row = again.text.split(f'value="{need}"', 1)[1].split("</li>")[0]
    assert 'name="cat_heating" value="1" checked' in row
