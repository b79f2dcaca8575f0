"""An analyst sorts a described extra need in the chat (/comments, /category) into the
needs' own categories, and the report follows."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from tests.e2e.test_analyst_commands import _quarter, wait_for_report
from tests.support import seed_000

ANALYST = 610000031
NEED = "ზამთარში ძალიან გვიჭირს, ტყეში ვეღარ დავდივართ"
TABLE = "აღწერილი საჭიროებები კატეგორიების მიხედვით"


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["ANALYST_IDS"] = str(ANALYST)
    return settings_env


def needs_table(data: bytes) -> dict[str, str]:
    document = Document(io.BytesIO(data))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    tables = dict(zip(captions, document.tables, strict=True))
    return {row.cells[0].text: row.cells[1].text for row in tables[TABLE].rows[1:]}


async def test_an_analyst_corrects_a_needs_category_in_the_chat_and_the_report_follows(
    running_bot,
):
    from tests.support.citizen import Citizen

    today = running_bot.runtime.today()
    async with running_bot.runtime.database.transaction() as tx:
        answers = seed_000.answers()[0] | {"extra_needs": "yes", "extra_needs_text": NEED}
        await tx.responses.add("social_services_v1", "paper", answers, today)
        await tx.commit()
    analyst, quarter = Citizen(running_bot.api, ANALYST), _quarter(today)
    [listing] = await analyst.send(f"/comments {quarter}")
    short_id = re.search(r"#([0-9a-f]{8})/extra_needs_text", listing)[1]
    assert f"#{short_id}/extra_needs_text {today} [heating] ❓" in listing  # right, unsure
    [usage] = await analyst.send("/category")
    assert "increase_amount" in usage and "(#ნომერი/needs) კოდები: heating, medicine_care" in usage
    [wrong] = await analyst.send(f"/category {short_id}/needs increase_amount")
    assert "increase_amount" in wrong and "medicine_care" in wrong and "heating" in wrong
    [saved] = await analyst.send(f"/category {short_id}/needs heating")
    assert "heating" in saved
    [listing] = await analyst.send(f"/comments {quarter}")
    assert f"#{short_id}/extra_needs_text {today} [heating] ✏️" in listing
    await analyst.send(f"/report {quarter}")
    await wait_for_report(running_bot.api, ANALYST)
    report = running_bot.api.documents(ANALYST)[f"report_{quarter}.docx"]
    assert needs_table(report) == {"გათბობა და შეშა": "1"}
