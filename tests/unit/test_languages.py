"""The citizens' languages: shipped files marked for review, missing texts named at start,
and the categoriser saying "needs a look" for what it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questionnaire.content import (
    ContentError,
    bundled_locale,
    citizen_keys,
    load_citizen_locale,
    load_content,
    load_locale,
)
from reporting.categories import load_categoriser

DRAFTED = ("az", "hy", "ru")


@pytest.mark.parametrize("language", DRAFTED)
def test_each_drafted_language_is_marked_for_review_by_a_native_speaker(language):
    head = bundled_locale(language).read_text(encoding="utf-8").splitlines()[:3]
    assert any("machine-drafted; needs review by a native speaker" in line for line in head)


@pytest.mark.parametrize("language", DRAFTED)
def test_each_drafted_language_has_every_citizen_text_and_staff_texts_stay_georgian(language):
    questionnaire = load_content().questionnaire
    locale = load_citizen_locale(language, questionnaire)
    georgian = load_locale(bundled_locale("ka"))
    for key in citizen_keys(georgian, questionnaire):
        if key != "prompt.answered":
            assert locale.t(key) != georgian.t(key) or "{" in locale.t(key), key
    assert locale.t("analyst.refused") == georgian.t("analyst.refused")
    assert locale.t("paper.ask_date") == georgian.t("paper.ask_date")


def test_a_missing_text_is_named_with_its_language_at_start(tmp_path: Path):
    text = bundled_locale("ru").read_text(encoding="utf-8")
    broken = tmp_path / "ru.yaml"
    broken.write_text(text.replace("    text: Укажите ваш пол\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_citizen_locale("ru", load_content().questionnaire, broken)
    assert "questions.gender.text" in str(raised.value) and "'ru'" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        "Պետք է ավելացնել օգնության գումարը, ձմռանը փայտը թանկ է",  # Armenian
        "Yardımın məbləğini artırın, qışda odun bahadır",  # Azerbaijani (Latin)
        "Սպասարկումը շատ դանդաղ էր, երկար հերթ կար",
    ],
)
def test_text_the_categoriser_cannot_read_needs_a_look_rather_than_a_guess(text):
    verdict = load_categoriser().assess(text)
    assert verdict.needs_look, verdict


def test_russian_the_categoriser_reads_is_still_sorted():
    verdict = load_categoriser().assess("Прошу увеличить пенсию, денег не хватает")
    assert verdict.categories, verdict
