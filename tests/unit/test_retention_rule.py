"""The retention rule's dates, and each municipality's own period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.application.municipalities import load_municipalities
from bot.application.retention import cutoff
from bot.config.settings import Settings


def test_texts_are_kept_whole_months_after_the_month_they_were_sent_in():
    assert cutoff(date(2027, 3, 15), 24) == date(2025, 3, 1)
    assert cutoff(date(2027, 3, 1), 24) == date(2025, 3, 1)
    assert cutoff(date(2027, 1, 31), 1) == date(2026, 12, 1)
    assert cutoff(date(2027, 1, 31), 13) == date(2025, 12, 1)


def test_a_municipality_may_keep_its_texts_for_less_than_the_installation(tmp_path: Path):
    (tmp_path / "marneuli.yaml").write_text(
        "name: {ka: მარნეულის მუნიციპალიტეტი}\ntexts_kept_months: 12\n", encoding="utf-8"
    )
    settings = Settings(
        _env_file=None, municipalities_dir=tmp_path, texts_kept_months=36, web_enabled=False
    )
    home, marneuli = load_municipalities(settings)
    assert home.settings.texts_kept_months == 36 and marneuli.settings.texts_kept_months == 12
