"""``feedback-bot export`` holds every form sent, the ones still in the ballot box too."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.test_cli import run_cli
from tests.support.flows import EXPECTED, stored_responses
from tests.support.forms import form_header, form_rows, write_csv
from tests.support.process import process_env

pytestmark = pytest.mark.both_databases
IMPORTED, WAITING = 3, 2


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["BALLOT_BOX_SIZE"] = "50"  # the sent forms wait in the box
    return settings_env


async def test_export_counts_the_forms_waiting_in_the_ballot_box_as_the_report_does(
    settings_env, tmp_path, running_runtime_for
):
    env = process_env(settings_env)
    paper = write_csv(tmp_path / "paper.csv", [form_header(), *form_rows(IMPORTED)])
    imported = await asyncio.to_thread(
        run_cli, ["import", "--channel", "paper", str(paper)], env, tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    runtime = await running_runtime_for(settings_env)
    async with runtime.database.transaction() as tx:
        for _ in range(WAITING):
            version = runtime.content.questionnaire.version
            await tx.responses.drop_in_box(version, "telegram", EXPECTED, runtime.today())
        await tx.commit()
    assert len(await stored_responses(runtime)) == IMPORTED, "two forms wait in the box"
    out = tmp_path / "all.csv"
    exported = await asyncio.to_thread(run_cli, ["export", "--out", str(out)], env, tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = out.read_text("utf-8-sig").splitlines()[2:]
    assert len(rows) == IMPORTED + WAITING
    assert str(IMPORTED + WAITING) in exported.stdout
