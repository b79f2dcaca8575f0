"""Kinds of question are objects in a registry, and what was saved before reads the same."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from bot.questionnaire.content import bundled_definition
from bot.questionnaire.definition import from_data, to_data
from bot.questionnaire.kinds import registry
from bot.questionnaire.model import Kind
from bot.questionnaire.xlsform import read_xlsform
from tests.support.toy_kind import Stars
from tests.support.xlsforms import settings, write_xlsform

BUILT_IN = {"choice", "scale", "multi", "number", "note", "text"}


def test_a_saved_definition_names_its_kinds_as_before_and_reads_back_the_same_objects():
    saved = json.loads(bundled_definition().read_text(encoding="utf-8"))
    names = {item["kind"] for item in saved["questions"]}
    assert names <= BUILT_IN and {"choice", "scale", "text"} <= names
    form = from_data(saved)
    assert to_data(form) == saved
    assert all(q.kind is registry.named(q.kind.name) for q in form.questions)
    assert form.get("satisfaction").kind is Kind.SCALE
    copied = pickle.loads(pickle.dumps(form))
    assert copied.questions == form.questions and copied.get("satisfaction").kind is Kind.SCALE


def test_a_kind_equals_its_stored_name_as_the_old_string_enum_did():
    assert Kind.TEXT == "text" and Kind.TEXT != "note" and Kind.CHOICE != Kind.SCALE
    assert hash(Kind.MULTI) == hash("multi") and str(Kind.NUMBER) == "number"
    assert Kind.CHOICE.value == "choice"


def test_a_name_already_taken_or_a_built_in_kind_cannot_be_registered_or_removed():
    class Copy(Stars):
        name = "choice"

    with pytest.raises(ValueError, match="already named"):
        registry.register(Copy())
    with pytest.raises(ValueError, match="built in"):
        registry.unregister(Kind.TEXT)
    with pytest.raises(ValueError, match="unknown question kind"):
        registry.named("stars")


def rating_form(folder: Path) -> Path:
    survey = (
        ("type", "name", "label::ka", "appearance", "parameters"),
        ("range", "rating", "შეფასება", "rating", "start=1 end=3"),
        ("range", "digits", "ციფრები", "", "start=1 end=3"),
    )
    return write_xlsform(folder / "rating.xlsx", survey, None, settings("rating"))


def test_a_registered_kind_claims_its_rows_first_and_leaves_the_others(tmp_path: Path):
    plain = read_xlsform(rating_form(tmp_path)).questionnaire
    assert plain.get("rating").kind is Kind.SCALE, "with no kind reading it, 'rating' is a look"
    stars = registry.register(Stars())
    try:
        form = read_xlsform(rating_form(tmp_path)).questionnaire
    finally:
        registry.unregister(stars)
    assert form.get("rating").kind is stars and form.get("digits").kind is Kind.SCALE
    assert form.texts["ka"]["options.rating.2"] == "★★" and form.get("rating").options[-1] == "3"
    assert "stars" not in {kind.name for kind in registry.kinds()}


def test_form_show_names_a_kind_without_a_georgian_name_by_its_own():
    from bot.entry.cli_forms import _kind_name
    from bot.questionnaire.content import bundled_locale, load_locale

    locale = load_locale(bundled_locale("ka"))
    assert _kind_name(locale, "stars") == "stars"
    assert _kind_name(locale, "choice") == locale.t("forms.kinds.choice")
