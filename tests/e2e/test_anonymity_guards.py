"""The smaller doors of anonymity: forged buttons, group chats, file modes, import hashes,
and what a Messenger citizen is told about the page's administrators."""

from __future__ import annotations

import asyncio
import csv
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config.settings import Settings
from bot.wiring.bootstrap import build_runtime
from storage import open_database
from tests.e2e.test_cli import run_cli
from tests.e2e.test_messenger import answer_up_to_summary as answer_on_messenger
from tests.support.citizen import Citizen
from tests.support.flows import answer_up_to_summary, complete, draft_count, stored_responses
from tests.support.process import process_env

FIXTURES = Path(__file__).parent.parent / "fixtures"
ANALYST = 690000001
STAFF = 690000002
STALE = "ეს ღილაკი ვერ ამოვიცანი"


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["ANALYST_IDS"] = str(ANALYST)
    settings_env["STAFF_IDS"] = str(STAFF)
    return settings_env


async def table_count(runtime, table: str) -> int:
    async with runtime.database.engine.connect() as connection:
        return (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()


async def test_paper_desk_buttons_forged_by_a_citizen_change_nothing(running_bot):
    citizen = Citizen(running_bot.api, 691000001)
    await citizen.send("/start")
    for forged in ("n|service", "today", "sub"):
        notice, question = await citizen.press_data(forged)
        assert STALE in notice and "კითხვა 1 / 10" in question
    assert "ბოდიში" not in " ".join(m.get("text", "") for m in citizen.received)
    at_summary = Citizen(running_bot.api, 691000011)
    await answer_up_to_summary(at_summary)
    [notice, _summary] = await at_summary.press_data("n|suggestions")
    assert STALE in notice and "გაგზავნა" in " ".join(at_summary.buttons())
    assert await stored_responses(running_bot.runtime) == []
    assert await draft_count(running_bot.runtime) == 2
    assert await table_count(running_bot.runtime, "ballot_box") == 0


async def test_every_required_question_blanked_by_forged_buttons_stores_nothing(running_bot):
    citizen = Citizen(running_bot.api, 691000002)
    await citizen.send("/start")
    questionnaire = running_bot.runtime.content.questionnaire
    for question in questionnaire.questions:
        await citizen.press_data(f"n|{question.id}")
    await citizen.press_data("ok")
    assert await stored_responses(running_bot.runtime) == []
    assert await table_count(running_bot.runtime, "ballot_box") == 0


async def test_opt_in_is_accepted_only_after_a_questionnaire_was_sent(running_bot, database_path):
    runtime = running_bot.runtime
    stranger = Citizen(running_bot.api, 691000003)
    [refused] = await stranger.press_data("sub", {"message_id": 1, "date": 0, "text": "…"})
    assert "კითხვარი დაწყებული არ გაქვთ" in refused
    assert await table_count(runtime, "ballot_box") == 0
    assert await table_count(runtime, "subscribers") == 0
    await complete(stranger)
    [added] = await stranger.press("მინდა გავიგო")
    assert "/unsubscribe" in added


async def test_a_forged_opt_in_on_messenger_stores_no_page_scoped_id(messenger_bot, database_path):
    citizen = messenger_bot.citizen("7309990001112222")
    await answer_on_messenger(citizen)
    welcome = citizen.received[0].text
    assert "ადმინისტრატორ" in welcome, "the citizen is told who can see this chat"
    await citizen.tap("✅")
    await citizen.deliver(citizen.message(text="🔔", quick_reply={"payload": "sub"}))
    stored = b"".join(p.read_bytes() for p in database_path.parent.glob("feedback.db*"))
    assert citizen.psid.encode() not in stored
    assert await table_count(messenger_bot.runtime, "subscribers") == 0


async def test_analyst_and_staff_commands_in_a_group_send_one_refusal_and_nothing_else(
    running_bot,
):
    api, runtime = running_bot.api, running_bot.runtime
    await complete(Citizen(api, 691000004))
    analyst = Citizen(api, ANALYST, chat_id=-100200300, chat_type="group")
    for command in ("/report", "/comments 2025Q3", "/summary 2025Q3 ყველაფერი კარგადაა"):
        before = len(api.calls)
        [refusal] = await analyst.send(command)
        assert "პირად" in refusal
        assert [c.method for c in api.calls[before:] if c.method != "answerCallbackQuery"] == [
            "sendMessage"
        ]
    clerk = Citizen(api, STAFF, chat_id=-100200301, chat_type="supergroup")
    [refusal] = await clerk.send("/paper")
    assert "პირად" in refusal
    assert await table_count(runtime, "paper_batches") == 0
    assert not api.sent(-100200300, method="sendDocument")


async def test_database_secret_and_outputs_are_readable_by_their_owner_only(settings_env, tmp_path):
    database = tmp_path / "feedback.db"
    env = {k: v for k, v in settings_env.items() if k != "FEEDBACK_SECRET"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime = await build_runtime(settings)
    await runtime.purge()
    async with runtime.database.transaction() as tx:
        await tx.paper.save("k" * 64, None, 0)
        await tx.commit()
    files = [
        database,
        tmp_path / "feedback.secret",
        Path(f"{database}-wal"),
        Path(f"{database}-shm"),
    ]
    for path in files:
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    await runtime.close()

    export = run_cli(
        ["export", "--format", "csv", "--out", str(tmp_path / "all.csv")],
        process_env(env),
        tmp_path,
    )
    assert export.returncode == 0, export.stderr
    assert stat.S_IMODE((tmp_path / "all.csv").stat().st_mode) == 0o600


async def test_an_existing_world_readable_database_is_narrowed_at_start(tmp_path):
    path = tmp_path / "old.db"
    first = await open_database(f"sqlite+aiosqlite:///{path}")
    await first.close()
    path.chmod(0o644)
    again = await open_database(f"sqlite+aiosqlite:///{path}")
    await again.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def with_other_e_mails(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    for number, row in enumerate(table[1:]):
        row[1] = f"someone.else.{number}@example.org"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)


def imported_hashes(url: str) -> list[str]:
    async def read() -> list[str]:
        database = await open_database(url)
        async with database.engine.connect() as connection:
            found = await connection.execute(text("SELECT row_hash FROM imported_rows"))
            hashes = sorted(row[0] for row in found)
        await database.close()
        return hashes

    return asyncio.run(read())


def test_import_hashes_cover_only_what_is_stored(settings_env, tmp_path):
    """A guessed e-mail cannot be confirmed against the stored hash: two exports that differ
    only in the e-mail column (and the file name) leave the very same hashes."""
    renamed = tmp_path / "ფორმის პასუხები (1).csv"
    with_other_e_mails(FIXTURES / "google_forms.csv", renamed)
    first_env = process_env(settings_env)
    first = run_cli(
        ["import", "--channel", "paper", str(FIXTURES / "google_forms.csv")], first_env, tmp_path
    )
    assert first.returncode == 0, first.stderr
    again = run_cli(["import", "--channel", "paper", str(renamed)], first_env, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "შენახულია 0" in again.stdout

    other_env = dict(first_env, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    other = run_cli(["import", "--channel", "paper", str(renamed)], other_env, tmp_path)
    assert other.returncode == 0, other.stderr
    hashes = imported_hashes(first_env["DATABASE_URL"])
    assert len(hashes) == 4
    assert hashes == imported_hashes(other_env["DATABASE_URL"])
