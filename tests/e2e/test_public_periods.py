"""Public figures only for the municipality's quarters: nothing published can be differenced.

The attack (issue 28): ask for the public report of 1 June – 30 September and of
September, subtract, and read the June–August cells the public quarter report hides.
Each public output is made for a quarter only, and quarters never overlap.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_analyst_commands import ANALYST, seed
from tests.e2e.test_cli import run_cli
from tests.support.citizen import Citizen
from tests.support.process import process_env


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["ANALYST_IDS"] = str(ANALYST)
    return settings_env


ATTACK = (
    ("2025-06-01", "2025-06-30"),
    ("2025-07-01", "2025-07-31"),
    ("2025-08-01", "2025-08-31"),
    ("2025-06-01", "2025-09-30"),
    ("2025-09-01", "2025-09-30"),
    ("2025-06-03", "2025-08-31"),
)
"""The periods the issue's attacker asked for: each month, June–September, September, and
the quarter without its first two days."""


def test_a_public_report_for_a_period_that_overlaps_a_quarter_is_refused(settings_env, tmp_path):
    env = process_env(settings_env)
    out = tmp_path / "out"
    for start, end in ATTACK:
        args = ["report", "--from", start, "--to", end, "--public", "--out", str(out)]
        refused = run_cli(args, env, tmp_path)
        assert refused.returncode != 0
        [line] = refused.stderr.strip().splitlines()
        assert "მხოლოდ მუნიციპალიტეტის კვარტლებზე" in line and "Traceback" not in line
    assert not out.exists() or not list(out.iterdir())
    internal = ["report", "--from", "2025-06-01", "--to", "2025-09-30", "--out", str(out)]
    assert run_cli(internal, env, tmp_path).returncode == 0
    quarter = ["report", "--quarter", "2025Q1", "--public", "--out", str(out)]
    assert run_cli(quarter, env, tmp_path).returncode == 0
    assert (out / "report_2025Q1_public.html").exists()
    year = ["report", "--from", "2025-06-01", "--to", "2026-05-31", "--public", "--out", str(out)]
    made = run_cli(year, env, tmp_path)
    assert made.returncode == 0, made.stderr
    assert (out / "report_2025_public.html").exists(), "the municipality's year is published"


def test_a_public_report_of_the_quarter_or_year_still_running_is_refused_in_one_line(
    settings_env, tmp_path
):
    from datetime import date

    from bot.questionnaire.periods import Quarters

    env, out = process_env(settings_env), tmp_path / "out"
    today = date.today()  # the command line's own clock
    running = Quarters().containing(today), Quarters().year_containing(today)
    for period in running:
        asked = ["report", "--quarter", period.label, "--public", "--out", str(out)]
        refused = run_cli(asked, env, tmp_path)
        assert refused.returncode != 0
        [line] = refused.stderr.strip().splitlines()
        assert "ჯერ არ დასრულებულა" in line and "Traceback" not in line
    assert not out.exists() or not list(out.iterdir()), "no figure of a running period"
    internal = ["report", "--quarter", running[0].label, "--out", str(out)]
    assert run_cli(internal, env, tmp_path).returncode == 0, "internal reports stay allowed"


async def test_the_analysts_chat_refuses_a_public_report_for_any_other_period(running_bot):
    await seed(running_bot.runtime)
    analyst = Citizen(running_bot.api, ANALYST, "ანა", "ანალიტიკოსი", "ana_analyst")
    for asked in (f"{start} {end}" for start, end in ATTACK):
        [refused] = await analyst.send(f"/report {asked} public")
        assert "მხოლოდ მუნიციპალიტეტის კვარტლებზე" in refused
    assert not running_bot.api.documents(ANALYST)


def test_the_national_view_is_made_for_a_quarter_or_year_of_every_municipality_only():
    from datetime import date

    from bot.application.public_figures import must_be_fixed
    from bot.application.refusal import Refusal
    from bot.questionnaire.periods import Period, Quarters

    june = Quarters(6)
    quarter = must_be_fixed(Period(date(2025, 6, 1), date(2025, 8, 31)), june, "ამბროლაური")
    year = must_be_fixed(Period(date(2025, 6, 1), date(2026, 5, 31)), june, "ამბროლაური")
    assert (quarter.label, year.label) == ("2025Q1", "2025")
    with pytest.raises(Refusal) as refused:
        must_be_fixed(Period(date(2025, 6, 1), date(2025, 9, 30)), june, "ამბროლაური")
    assert refused.value.values == {
        "municipality": "ამბროლაური",
        "example": "2025Q1",
        "year": "2025",
    }
    with pytest.raises(Refusal):  # a municipality whose quarters start in another month
        must_be_fixed(Period(date(2025, 6, 1), date(2025, 8, 31)), Quarters(1), "მარნეული")
