"""Every mistake a clerk makes on the command line gets one clear line, never a traceback."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

from tests.conftest import free_port
from tests.e2e.test_cli import run_cli
from tests.support.forms import form_header, form_rows, write_csv
from tests.support.process import process_env


def closed_port_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"


MISTAKES = {
    "missing file": (["import", "--channel", "paper", "nowhere.csv"], {}, "nowhere.csv"),
    "export folder missing": (
        ["export", "--out", "/nonexistent-folder/all.csv"],
        {},
        "/nonexistent-folder",
    ),
    "report folder missing": (
        ["report", "--quarter", "2025Q1", "--out", "/nonexistent-folder/reports"],
        {},
        "/nonexistent-folder",
    ),
    "bad week": (["digest", "--week", "2025-36", "--print"], {}, "--week 2025-W36"),
    "bad period": (["comments", "list", "2025-36"], {}, "2025Q3 ან 01.06.2025..31.08.2025"),
    "bad quarter": (["report", "--quarter", "2025-3", "--out", "r"], {}, "--quarter 2025Q3,"),
    "unknown command": (["summery"], {}, "„summery“ ასეთი არ არის"),
    "missing option": (["report", "--quarter", "2025Q1"], {}, "აკლია: --out"),
    "option without its value": (["digest", "--print", "--week"], {}, "--week: აკლია"),
    "unknown option": (["comments", "list", "2025Q1", "--cods"], {}, "--cods"),
    "unknown export format": (["export", "--out", "x", "--format", "pdf"], {}, "'csv', 'xlsx'"),
    "unknown report format": (
        ["report", "--quarter", "2025Q1", "--out", "r", "--format", "odt"],
        {},
        "docx, html, xlsx, png, pdf",
    ),
    "a word for a format": (
        ["report", "--quarter", "2025Q1", "--out", "r", "--format", "word"],
        {},
        "„word“",
    ),
    "one unknown format among known ones": (
        ["report", "--quarter", "2025Q1", "--out", "r", "--format", "docx,odt"],
        {},
        "„odt“",
    ),
    "bad date": (["export", "--from", "2025-13-01", "--out", "x.csv"], {}, "01.06.2025"),
    "end before start": (
        ["report", "--from", "31.08.2025", "--to", "01.06.2025", "--out", "out"],
        {},
        "ადრეა",
    ),
    "sqlite folder missing": (
        ["comments", "list", "2025Q1"],
        {"DATABASE_URL": "sqlite+aiosqlite:////nonexistent-folder/feedback.db"},
        "/nonexistent-folder",
    ),
    "postgresql down (command)": (
        ["comments", "list", "2025Q1"],
        {"DATABASE_URL": closed_port_url("postgresql+asyncpg://feedback:pw@") + "/feedback"},
        "DATABASE_URL",
    ),
    "postgresql down (run)": (
        ["run"],
        {"DATABASE_URL": closed_port_url("postgresql+asyncpg://feedback:pw@") + "/feedback"},
        "DATABASE_URL",
    ),
    "telegram unreachable": (
        ["run"],
        {"TELEGRAM_BASE_URL": closed_port_url("http") + "/bot"},
        "TELEGRAM_BASE_URL",
    ),
    "graph api unreachable": (
        ["run"],
        {
            "TELEGRAM_BOT_TOKEN": "",
            "MESSENGER_PAGE_TOKEN": "EAAG" + secrets.token_urlsafe(20),
            "MESSENGER_APP_SECRET": secrets.token_hex(16),
            "MESSENGER_VERIFY_TOKEN": "verify",
            "MESSENGER_GRAPH_URL": closed_port_url("http") + "/v23.0",
            "MESSENGER_MODE": "chat",
            "WEBHOOK_PORT": str(free_port()),
        },
        "MESSENGER_GRAPH_URL",
    ),
    "env file missing": (
        ["--env-file", "missing.env", "comments", "list", "2025Q1"],
        {},
        "missing.env",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_one_line_on_stderr_without_a_traceback(settings_env, tmp_path, mistake):
    args, changes, named = MISTAKES[mistake]
    # `run` logs its progress; at WARNING only the problem itself is left.
    env = process_env({**settings_env, "LOG_LEVEL": "WARNING", **changes})
    result = run_cli(args, env, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "usage" not in lines[0] and "გამოყენება" not in lines[0], "no usage block"
    assert any("\u10d0" <= letter <= "\u10ff" for letter in lines[0]), "said in Georgian"
    assert not (tmp_path / "r").exists(), "nothing written for a refused command"


def test_the_parsers_mistakes_are_in_english_with_language_en(settings_env, tmp_path):
    env = process_env({**settings_env, "LANGUAGE": "en"})
    result = run_cli(["report", "--quarter", "2025Q1"], env, tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "feedback-bot report: missing: --out (help: feedback-bot report --help)"
    )
    formats = run_cli(
        ["report", "--quarter", "2025Q1", "--out", "r", "--format", "odt"], env, tmp_path
    )
    assert formats.returncode != 0 and "The formats: docx, html, xlsx, png, pdf" in formats.stderr


def test_a_pipe_closed_early_ends_quietly(settings_env, tmp_path):
    """``comments list 2025Q1 | head -1``: the reader stops; no traceback."""
    env = process_env(settings_env)
    path = write_csv(tmp_path / "many.csv", [form_header(), *form_rows(3000)])
    imported = run_cli(["import", "--channel", "paper", str(path)], env, tmp_path)
    assert imported.returncode == 0, imported.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.entry.cli", "comments", "list", "2025Q1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=180) != 0
    assert "Traceback" not in stderr and stderr.strip() == ""


def test_dates_are_accepted_as_the_reports_print_them(settings_env, tmp_path):
    env = process_env(settings_env)
    path = write_csv(tmp_path / "f.csv", [form_header(), *form_rows(20)])
    assert run_cli(["import", "--channel", "paper", str(path)], env, tmp_path).returncode == 0
    out = tmp_path / "june.csv"
    exported = run_cli(
        ["export", "--from", "01.06.2025", "--to", "05.06.2025", "--out", str(out)], env, tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    days = [line.split(",")[0] for line in out.read_text("utf-8-sig").splitlines()[2:]]
    assert days and all("2025-06-01" <= day <= "2025-06-05" for day in days)
    report = run_cli(
        ["report", "--from", "01.06.2025", "--to", "31.08.2025", "--format", "html", "--out", "r"],
        env,
        tmp_path,
    )
    assert report.returncode == 0, report.stderr
    listed = run_cli(["comments", "list", "01.06.2025..31.08.2025"], env, tmp_path)
    assert listed.returncode == 0 and listed.stdout


def test_comments_list_shows_georgian_category_names_and_codes_on_request(settings_env, tmp_path):
    env = process_env(settings_env)
    path = write_csv(tmp_path / "f.csv", [form_header(), *form_rows(4)])
    assert run_cli(["import", "--channel", "paper", str(path)], env, tmp_path).returncode == 0
    named = run_cli(["comments", "list", "2025Q1"], env, tmp_path).stdout
    assert "დახმარების თანხის გაზრდა" in named and "increase_amount" not in named
    coded = run_cli(["comments", "list", "2025Q1", "--codes"], env, tmp_path).stdout
    assert "increase_amount" in coded
