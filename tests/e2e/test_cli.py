"""The ``feedback-bot`` command as an operator meets it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from storage import open_database
from tests.support.flows import SUGGESTION
from tests.support.process import process_env

CONSOLE_INPUT = [
    "o",  # winter heating
    "a",  # female
    "d",  # relative, neighbour, acquaintance
    "b",  # partly
    "3",  # documents: typed digit
    "4",  # satisfaction
    "a",  # professionalism 5
    "b",  # helpfulness 4
    "b",  # no extra need
    SUGGESTION,
    "a",  # send
]


def run_cli(
    args: list[str], env: dict[str, str], cwd, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_console_runs_the_same_questionnaire_and_stores_a_console_response(settings_env, tmp_path):
    result = run_cli(["console"], process_env(settings_env), tmp_path, "\n".join(CONSOLE_INPUT))
    assert result.returncode == 0, result.stderr
    assert "გმადლობთ" in result.stdout and "[a] ქალი" in result.stdout

    async def stored():
        database = await open_database(settings_env["DATABASE_URL"])
        async with database.transaction() as tx:
            rows = await tx.responses()
        await database.close()
        return rows

    [response] = asyncio.run(stored())
    assert response["channel"] == "console"
    assert response["answers"]["service"] == "winter_heating"
    assert response["answers"]["documents"] == "3"
    assert response["answers"]["suggestions"] == SUGGESTION
    assert "extra_needs_text" not in response["answers"]


def test_run_without_a_token_says_how_to_get_one_in_one_line(settings_env, tmp_path):
    env = process_env(settings_env)
    del env["TELEGRAM_BOT_TOKEN"]
    result = run_cli(["run"], env, tmp_path)
    assert result.returncode == 2
    assert "BotFather" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_invalid_setting_is_named_clearly(settings_env, tmp_path):
    env = process_env({**settings_env, "DATABASE_URL": "mysql://x/y", "TIMEZONE": "Mars/Olympus"})
    result = run_cli(["run"], env, tmp_path)
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_is_generated_once_beside_the_sqlite_file(settings_env, tmp_path):
    env = process_env(settings_env)
    del env["FEEDBACK_SECRET"]
    first = run_cli(["console"], env, tmp_path, "/stop\n")
    secret_file = tmp_path / "feedback.secret"
    assert first.returncode == 0, first.stderr
    assert secret_file.exists() and "feedback.secret" in first.stderr
    kept = secret_file.read_text()
    second = run_cli(["console"], env, tmp_path, "/stop\n")
    assert second.returncode == 0
    assert secret_file.read_text() == kept and "feedback.secret" not in second.stderr
