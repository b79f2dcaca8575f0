"""``publish-card``: the post a municipality puts on its Facebook page after a quarter."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bot.questionnaire.periods import Quarters
from tests.e2e.test_cli import run_cli
from tests.support.forms import form_header, form_rows, write_csv
from tests.support.process import process_env

SITE = "https://feedback.example.ge/"


@pytest.fixture
def env(settings_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """60 answers in 2025Q1 (June–August 2025, Ambrolauri's quarters), and the address the
    results page is served at."""
    env = process_env({**settings_env, "WEB_ENABLED": "true", "WEB_BASE_URL": SITE})
    forms = write_csv(tmp_path / "forms.csv", [form_header(), *form_rows(60)])
    imported = run_cli(["import", "--channel", "paper", str(forms)], env, tmp_path)
    assert imported.returncode == 0, imported.stderr
    return env


def test_the_card_is_a_1200_by_630_picture_with_a_georgian_post_of_the_public_figures(
    env, tmp_path
):
    made = run_cli(["publish-card", "--quarter", "2025Q1", "--out", "card"], env, tmp_path)
    assert made.returncode == 0, made.stderr
    picture, words = (Path(line) for line in made.stdout.split())
    assert picture == Path("card", "card_2025Q1.png")
    with Image.open(tmp_path / picture) as image:
        assert image.size == (1200, 630) and image.format == "PNG"
    post = (tmp_path / words).read_text("utf-8")
    assert "ამბროლაურის მუნიციპალიტეტი" in post and "01.06.2025 – 31.08.2025" in post
    assert post.rstrip().endswith(SITE + "results")  # the link comes last
    figures = re.findall(r"^• (\S+) — ", post, flags=re.MULTILINE)
    assert 2 <= len(figures) <= 3
    public = run_cli(
        ["report", "--quarter", "2025Q1", "--public", "--format", "html", "--out", "r"],
        env,
        tmp_path,
    )
    assert public.returncode == 0, public.stderr
    page = (tmp_path / "r" / "report_2025Q1_public.html").read_text("utf-8")
    assert figures[0] == "60" and ">60<" in page  # as many as the report counts
    for figure in figures[1:]:  # every share as the public report prints it
        assert figure.endswith("%") and figure in page


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("2025-3", "„2025-3“"),
        (Quarters().containing(date.today()).label, "ჯერ არ დასრულებულა"),
    ],
)
def test_a_period_that_is_not_an_ended_quarter_is_refused_in_one_georgian_line(
    settings_env, tmp_path, asked, said
):
    args = ["publish-card", "--quarter", asked, "--out", "card"]
    refused = run_cli(args, process_env(settings_env), tmp_path)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and said in lines[0], refused.stderr
    assert "--quarter " + Quarters().last_complete(date.today()).label in lines[0]
    assert not (tmp_path / "card").exists()


def test_a_quarter_without_answers_has_no_card(settings_env, tmp_path):
    refused = run_cli(
        ["publish-card", "--quarter", "2024Q2", "--out", "card"],
        process_env(settings_env),
        tmp_path,
    )
    assert refused.returncode != 0 and "2024Q2" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "card").exists()
