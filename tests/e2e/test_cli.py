"""The ``feedback-bot`` command as an operator meets it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import asdict
from datetime import date

import pytest

from storage import open_database
from tests.support.flows import SUGGESTION
from tests.support.process import process_env

CLI_LIMIT = 300
"""Seconds one command may take: generous, for a 2-core machine at load 5."""

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
        [sys.executable, "-m", "bot.entry.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=CLI_LIMIT,
    )


def test_console_runs_the_same_questionnaire_and_stores_a_console_response(settings_env, tmp_path):
    result = run_cli(["console"], process_env(settings_env), tmp_path, "\n".join(CONSOLE_INPUT))
    assert result.returncode == 0, result.stderr
    assert "გმადლობთ" in result.stdout and "[a] ქალი" in result.stdout

    async def stored():
        database = await open_database(settings_env["DATABASE_URL"])
        async with database.analysis() as analysis:
            rows = [asdict(r) for r in await analysis.responses_between(date.min, date.max)]
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


def test_applications_are_entered_and_the_report_written_from_the_command_line(
    settings_env, tmp_path
):
    env = process_env(settings_env)
    saved = run_cli(["applications", "set", "2025Q3", "winter_heating", "185"], env, tmp_path)
    assert saved.returncode == 0 and "185" in saved.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("period,service,count\n2025Q3,veterans,25\n2025Q3,lottery,3\n", "utf-8")
    refused = run_cli(["applications", "import", str(bad)], env, tmp_path)
    assert refused.returncode != 0 and "3" in refused.stderr and "lottery" in refused.stderr
    good = tmp_path / "good.csv"
    good.write_text("period,service,count\n2025Q3,veterans,25\n", "utf-8")
    assert "1" in run_cli(["applications", "import", str(good)], env, tmp_path).stdout
    out = tmp_path / "out"
    report = run_cli(
        ["report", "--quarter", "2025Q3", "--format", "html,xlsx", "--out", str(out)], env, tmp_path
    )
    assert report.returncode == 0, report.stderr
    printed = report.stdout.split()
    assert printed == [str(out / "report_2025Q3.html"), str(out / "report_2025Q3.xlsx")]
    page = (out / "report_2025Q3.html").read_text("utf-8")
    assert ">210<" in page  # 185 + 25 applications; the imported file was kept, the bad one not


def test_report_for_two_dates_public(settings_env, tmp_path):
    env = process_env(settings_env)
    out = tmp_path / "out"
    args = ["report", "--from", "2025-06-01", "--to", "2025-08-31", "--public", "--out", str(out)]
    result = run_cli(args, env, tmp_path)
    assert result.returncode == 0, result.stderr
    # the two dates are the municipality's first quarter: its files are named for it
    assert (out / "report_2025Q1_public.docx").exists()
    unknown = "უცნობია" in (out / "report_2025Q1_public.html").read_text("utf-8")
    assert unknown
    missing = run_cli(["report", "--from", "2025-06-01", "--out", str(out)], env, tmp_path)
    assert missing.returncode != 0 and "2025Q3" in missing.stderr


def test_an_empty_or_broken_secret_file_is_one_line_saying_what_to_do(settings_env, tmp_path):
    env = process_env(settings_env)
    del env["FEEDBACK_SECRET"]
    secret_file = tmp_path / "feedback.secret"
    for content in ("", "not a secret at all\n"):
        secret_file.write_text(content)
        result = run_cli(["console"], env, tmp_path, "/stop\n")
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "feedback.secret" in result.stderr and "FEEDBACK_SECRET" in result.stderr
        assert secret_file.read_text() == content  # never replaced behind the operator's back


def test_a_missing_secret_beside_a_database_with_data_is_never_silently_replaced(
    settings_env, tmp_path
):
    env = process_env(settings_env)
    del env["FEEDBACK_SECRET"]
    assert run_cli(["console"], env, tmp_path, "/stop\n").returncode == 0
    (tmp_path / "feedback.secret").unlink()
    result = run_cli(["console"], env, tmp_path, "/stop\n")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "feedback.secret" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "feedback.secret").exists()


def test_the_secret_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """A full disk while writing leaves no file behind, so the next start is not broken."""
    import os

    from bot.config.secret_file import load_or_create_secret

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    path = tmp_path / "feedback.secret"
    with pytest.raises(OSError):
        load_or_create_secret(path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    secret, created = load_or_create_secret(path)
    assert created and len(secret) == 64 and path.stat().st_mode & 0o777 == 0o600


def test_applications_file_with_georgian_headers_and_service_names_as_the_report_prints_them(
    settings_env, tmp_path
):
    env = process_env(settings_env)
    georgian = tmp_path / "განაცხადები.csv"
    georgian.write_text(
        "პერიოდი;სერვისი;რაოდენობა\n2025Q1;ზამთრის თბობისათვის ერთჯერადი ფულადი დახმარება x;3\n",
        "utf-8-sig",
    )
    refused = run_cli(["applications", "import", str(georgian)], env, tmp_path)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "2-ე სტრიქონი" in refused.stderr and "ვერ ვიცანი" in refused.stderr
    georgian.write_text(
        "პერიოდი;სერვისი;რაოდენობა\n"
        "2025Q1;სოციალურად დაუცველი მოსახლეობის ზამთრის თბობისათვის "
        "ერთჯერადი ფულადი დახმარება;185\n"
        "01.06.2025..31.08.2025;ვეტერანები;25\n"
        "2025Q1;home_care;1 200\n",
        "utf-8-sig",
    )
    saved = run_cli(["applications", "import", str(georgian)], env, tmp_path)
    assert saved.returncode == 0, saved.stderr
    assert "3" in saved.stdout
    out = tmp_path / "out"
    report = run_cli(
        ["report", "--quarter", "2025Q1", "--format", "html", "--out", str(out)], env, tmp_path
    )
    assert report.returncode == 0, report.stderr
    assert ">1410<" in (out / "report_2025Q1.html").read_text("utf-8")  # 185 + 25 + 1200
    headerless = tmp_path / "bad.csv"
    headerless.write_text("a,b,c\n2025Q1,veterans,3\n", "utf-8")
    missing = run_cli(["applications", "import", str(headerless)], env, tmp_path)
    assert missing.returncode != 0 and "პერიოდი, სერვისი, რაოდენობა" in missing.stderr


def test_an_unknown_channel_is_refused_in_one_line(settings_env, tmp_path):
    result = run_cli(
        ["import", "--channel", "<script>", "x.csv"], process_env(settings_env), tmp_path
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "paper" in result.stderr
