"""``feedback-bot comments list`` puts the comments that need a look first, marked, and an
analyst's correction clears the mark; every free text of a person is an item of its own."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env

FIXTURES = Path(__file__).parent.parent / "fixtures"


def listing(env, tmp_path) -> list[list[str]]:
    listed = run_cli(["comments", "list", "2025Q1"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    return [line.split("\t") for line in listed.stdout.splitlines()]


def imported(settings_env, tmp_path) -> dict[str, str]:
    env = process_env(settings_env)
    fixture = str(FIXTURES / "google_forms.csv")
    assert run_cli(["import", "--channel", "paper", fixture], env, tmp_path).returncode == 0
    return env


def test_comments_that_need_a_look_are_listed_first_until_corrected(settings_env, tmp_path):
    env = imported(settings_env, tmp_path)
    rows = listing(env, tmp_path)
    assert len(rows) == 4 and all(len(row) == 5 for row in rows)  # 3 suggestions and a need
    marks = [row[3] for row in rows]
    looks = marks.count("❓ სანახავია")
    assert looks >= 1 and marks == ["❓ სანახავია"] * looks + [""] * (4 - looks)
    money = next(row for row in rows if "თანხა გაზარდეთ" in row[4])
    assert money[2] == "დახმარების თანხის გაზრდა"
    unsure = rows[0]  # listed first: the categoriser was not sure of it
    fixed = run_cli(["comments", "category", unsure[0], "information"], env, tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    again = listing(env, tmp_path)
    row = next(row for row in again if row[0] == unsure[0])
    assert row[2] == "ინფორმაციის ხელმისაწვდომობა" and row[3] == ""
    assert [r[3] for r in again].count("❓ სანახავია") == looks - 1


def test_a_suggestion_and_an_extra_need_are_listed_corrected_and_published_each_alone(
    settings_env, tmp_path
):
    env = imported(settings_env, tmp_path)
    rows = listing(env, tmp_path)
    suggestion = next(row for row in rows if "ვებგვერდზე" in row[4])
    need = next(row for row in rows if "ეტლი" in row[4])
    assert need[0] == f"{suggestion[0]}/extra_needs_text"  # the same person, two items
    fixed = run_cli(["comments", "category", need[0], "other"], env, tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    again = listing(env, tmp_path)
    assert next(row for row in again if row[0] == need[0])[2] == "სხვა"
    assert next(row for row in again if row[0] == suggestion[0])[2:4] == suggestion[2:4]
    published = run_cli(["comments", "publish", need[0]], env, tmp_path)
    assert published.returncode == 0, published.stderr
    out = tmp_path / "public"
    args = ["report", "--quarter", "2025Q1", "--public", "--format", "html", "--out", str(out)]
    assert run_cli(args, env, tmp_path).returncode == 0
    page = next(out.glob("*.html")).read_text("utf-8")
    assert "ბავშვის ეტლი გვჭირდებოდა" in page and "ვებგვერდზე განათავსეთ" not in page
