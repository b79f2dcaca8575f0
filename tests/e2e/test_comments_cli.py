"""``feedback-bot comments list`` puts the comments that need a look first, marked, and an
analyst's correction clears the mark."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_comments_that_need_a_look_are_listed_first_until_corrected(settings_env, tmp_path):
    env = process_env(settings_env)
    assert (
        run_cli(
            ["import", "--channel", "paper", str(FIXTURES / "google_forms.csv")], env, tmp_path
        ).returncode
        == 0
    )
    listed = run_cli(["comments", "list", "2025Q1"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert len(rows) == 3 and all(len(row) == 5 for row in rows)
    marks = [row[3] for row in rows]
    assert marks == ["❓ სანახავია", "❓ სანახავია", ""]
    assert rows[-1][2] == "დახმარების თანხის გაზრდა" and "თანხა გაზარდეთ" in rows[-1][4]
    website = next(row for row in rows if "ვებგვერდზე" in row[4])
    fixed = run_cli(["comments", "category", website[0], "information"], env, tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    again = [
        line.split("\t")
        for line in run_cli(["comments", "list", "2025Q1"], env, tmp_path).stdout.splitlines()
    ]
    row = next(row for row in again if "ვებგვერდზე" in row[4])
    assert row[2] == "ინფორმაციის ხელმისაწვდომობა" and row[3] == ""
