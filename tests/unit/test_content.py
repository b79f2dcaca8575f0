"""A broken questionnaire or locale file stops the bot at start, naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.questionnaire.content import (
    ContentError,
    bundled_locale,
    bundled_source,
    load_content,
    load_questionnaire,
)


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def questionnaire_data() -> dict:
    return yaml.safe_load(bundled_source().read_text(encoding="utf-8"))


def locale_data(language: str = "ka") -> dict:
    return yaml.safe_load(bundled_locale(language).read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", ["ka", "en"])
def test_bundled_questionnaire_and_both_locales_are_complete(language):
    content = load_content(language)
    assert content.questionnaire.version == "social_services_v1"
    assert content.locale.t("options.service.winter_heating")


def test_skip_rule_naming_a_missing_question_names_file_and_key(tmp_path):
    data = questionnaire_data()
    data["questions"][9]["ask_if"] = {"question": "extra_need", "equals": "yes"}
    path = write(tmp_path, "q.yaml", data)
    with pytest.raises(ContentError) as raised:
        load_questionnaire(path)
    assert raised.value.path == str(path)
    assert raised.value.key == "questions.extra_needs_text.ask_if"
    assert "extra_need" in str(raised.value)


def test_skip_rule_on_an_unknown_option_is_refused(tmp_path):
    data = questionnaire_data()
    data["questions"][9]["ask_if"] = {"question": "extra_needs", "equals": "maybe"}
    with pytest.raises(ContentError, match="maybe"):
        load_questionnaire(write(tmp_path, "q.yaml", data))


def test_unknown_question_type_is_refused(tmp_path):
    data = questionnaire_data()
    data["questions"][1]["type"] = "slider"
    with pytest.raises(ContentError) as raised:
        load_questionnaire(write(tmp_path, "q.yaml", data))
    assert raised.value.key == "questions.gender.type"


def test_option_without_a_text_names_the_locale_key(tmp_path):
    data = questionnaire_data()
    data["questions"][0]["options"].append("bus_pass")
    path = write(tmp_path, "q.yaml", data)
    with pytest.raises(ContentError) as raised:
        load_content("ka", questionnaire_path=path)
    assert raised.value.key in {"options.service.bus_pass", "service_names.bus_pass"}
    assert raised.value.path.endswith("ka.yaml")


def test_locale_missing_a_text_names_the_key(tmp_path):
    data = locale_data("en")
    del data["problem"]["too_long"]
    path = write(tmp_path, "en.yaml", data)
    with pytest.raises(ContentError) as raised:
        load_content("en", locale_path=path)
    assert raised.value.key == "problem.too_long" and raised.value.path == str(path)


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("questions: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_questionnaire(path)
    assert raised.value.path == str(path)
