"""Loading the questionnaire and locale files, and checking they fit together.

A municipality edits these files by hand; a mistake must stop the bot at start with the
file and the key named, not surface later as a blank message to a citizen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.questionnaire.expressions import parse
from bot.questionnaire.i18n import Locale
from bot.questionnaire.kinds.registry import named
from bot.questionnaire.model import ROLES, SERVICE, Question, Questionnaire

DEFAULT_QUESTIONNAIRE = "social_services_v1"
BUILTIN_FORM = "social_services"
"""The form every installation starts with (the municipality's standard social-services form)."""


class ContentError(Exception):
    """A questionnaire or locale file is broken; says which file and which key."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}")
        self.path, self.key, self.reason = str(path), key, reason


def bundled_questionnaire(name: str = DEFAULT_QUESTIONNAIRE) -> Path:
    """The questionnaire as staff meet it: an XLSForm (made from the YAML source)."""
    return Path(str(resources.files("questionnaires").joinpath(f"{name}.xlsx")))


def bundled_definition(name: str = DEFAULT_QUESTIONNAIRE) -> Path:
    """The bundled XLSForm as the loader read it (``tools/make_xlsform.py`` writes both; a
    test keeps them equal): the bot starts without reading Excel."""
    return Path(str(resources.files("questionnaires").joinpath(f"{name}.json")))


def bundled_source(name: str = DEFAULT_QUESTIONNAIRE) -> Path:
    """The YAML the bundled XLSForm is generated from (``tools/make_xlsform.py``)."""
    return Path(str(resources.files("questionnaires").joinpath(f"{name}.yaml")))


def bundled_locale(language: str) -> Path:
    return Path(str(resources.files("locales").joinpath(f"{language}.yaml")))


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "-", "file not found") from None
    except yaml.YAMLError as error:
        raise ContentError(path, "-", f"not valid YAML ({error})") from None


def load_questionnaire(path: Path) -> Questionnaire:
    """An XLSForm (``.xlsx``), its definition as read (``.json``) or the YAML form."""
    if path.suffix.lower() == ".json":
        import json

        from bot.questionnaire.definition import from_data

        try:
            return from_data(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as error:
            raise ContentError(path, "-", f"not a questionnaire definition ({error})") from None
    if path.suffix.lower() in (".xlsx", ".xls"):
        from bot.questionnaire.xlsform import FormError, read_xlsform

        try:
            return read_xlsform(path).questionnaire
        except FormError as error:
            raise ContentError(path, error.problems[0].where, error.problems[0].code) from None
    raw = read_yaml(path)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("version"), str):
        raise ContentError(path, "version", "missing questionnaire version")
    items = raw.get("questions")
    if not isinstance(items, list) or not items:
        raise ContentError(path, "questions", "no questions")
    questions = tuple(_question(path, index, item) for index, item in enumerate(items))
    _check_questions(path, questions)
    version = raw["version"]
    return Questionnaire(version=version, questions=questions, form_id=version.rsplit("_v", 1)[0])


def _question(path: Path, index: int, item: Any) -> Question:
    key = f"questions[{index}]"
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise ContentError(path, key, "every question needs an id")
    key = f"questions.{item['id']}"
    try:
        kind = named(str(item.get("type")))
    except ValueError:
        raise ContentError(path, f"{key}.type", f"unknown type {item.get('type')!r}") from None
    options = tuple(str(code) for code in item.get("options") or ())
    wrong = kind.options_problem(options)
    if wrong is not None:
        raise ContentError(path, f"{key}.options", wrong)
    condition = item.get("ask_if")
    if condition is not None:
        if not isinstance(condition, Mapping) or {"question", "equals"} - condition.keys():
            raise ContentError(path, f"{key}.ask_if", "needs 'question' and 'equals'")
        condition = parse(f"${{{condition['question']}}} = '{condition['equals']}'")
    role = item.get("role")
    if role is not None and role not in ROLES:
        raise ContentError(path, f"{key}.role", f"unknown role {role!r}: one of {sorted(ROLES)}")
    return Question(
        id=item["id"],
        kind=kind,
        required=bool(item.get("required", True)),
        options=options,
        relevant=condition,
        max_length=int(item.get("max_length", 1000)),
        role=role,
    )


def _check_questions(path: Path, questions: tuple[Question, ...]) -> None:
    seen: dict[str, Question] = {}
    roles: set[str] = set()
    for question in questions:
        key = f"questions.{question.id}"
        if question.id in seen:
            raise ContentError(path, key, "duplicate question id")
        if question.role in roles:
            raise ContentError(path, f"{key}.role", f"a second {question.role!r} question")
        roles.add(question.role or "")
        if len(set(question.options)) != len(question.options):
            raise ContentError(path, f"{key}.options", "duplicate option code")
        rule = question.ask_if
        if rule is not None:
            earlier = seen.get(rule.question)
            if earlier is None:
                raise ContentError(
                    path, f"{key}.ask_if", f"names {rule.question!r}, not an earlier question"
                )
            if rule.equals not in earlier.options:
                raise ContentError(
                    path, f"{key}.ask_if", f"{rule.equals!r} is not an option of {rule.question!r}"
                )
        seen[question.id] = question


def load_locale(path: Path) -> Locale:
    raw = read_yaml(path)
    if not isinstance(raw, Mapping):
        raise ContentError(path, "-", "a locale file must be a mapping of keys to texts")
    return Locale(raw, source=str(path))


def check_locale(locale: Locale, questionnaire: Questionnaire, reference: Locale) -> None:
    """Every key the reference (Georgian) locale has, and every question and option text."""
    needed = set(reference.keys())
    for question in questionnaire.questions:
        needed |= {f"questions.{question.id}.text", f"questions.{question.id}.title"}
        needed |= {f"options.{question.id}.{code}" for code in question.options}
        if question.role == SERVICE:
            needed |= {f"service_names.{code}" for code in question.options}
    for key in sorted(needed):
        if not locale.has(key):
            raise ContentError(locale.source, key, "text missing")


CITIZEN_SECTIONS = frozenset(
    {
        "intro",
        "closing",
        "help",
        "questions",
        "options",
        "service_names",
        "buttons",
        "prompt",
        "problem",
        "session",
        "commands",
        "reminder",
        "subscribe",
        "channels",
        "web",
        "messenger_web",
        "language",
    }
)
"""What a citizen reads. Staff texts, reports and digests stay in Georgian (and English)."""


def citizen_keys(reference: Locale, questionnaire: Questionnaire) -> set[str]:
    every = reference.keys()
    needed = {key for key in every if key.split(".", 1)[0] in CITIZEN_SECTIONS}
    for question in questionnaire.questions:
        needed |= {f"questions.{question.id}.text", f"questions.{question.id}.title"}
        needed |= {f"options.{question.id}.{code}" for code in question.options}
        if question.role == SERVICE:
            needed |= {f"service_names.{code}" for code in question.options}
    return needed


def load_citizen_locale(
    language: str, questionnaire: Questionnaire, path: Path | None = None
) -> Locale:
    """A citizens' language (``az``, ``hy``, ``ru``, …): its own texts for everything a
    citizen reads, the Georgian ones for the rest; every missing citizen text is named."""
    path = path or bundled_locale(language)
    raw = read_yaml(path)
    if not isinstance(raw, Mapping):
        raise ContentError(path, "-", "a locale file must be a mapping of keys to texts")
    own = Locale(raw, source=str(path))
    reference = load_locale(bundled_locale("ka"))
    missing = sorted(key for key in citizen_keys(reference, questionnaire) if not own.has(key))
    if missing:
        raise ContentError(path, ", ".join(missing), f"missing for language {language!r}")
    # The questionnaire's own texts as ``load_content`` lays them for ka/en: its texts in
    # this language win; its default-language ones (the form's title) fill what the
    # locale file does not translate, so nothing falls back to a code.
    form = questionnaire.texts
    default, spoken = form.get(questionnaire.default_language, {}), form.get(language, {})
    merged = dict(_pairs(reference)) | dict(default) | dict(_pairs(own)) | dict(spoken)
    return Locale(merged, source=str(path))


def _pairs(locale: Locale) -> list[tuple[str, str]]:
    every = locale.keys()
    return [(key, locale.t(key)) for key in every]


@dataclass(frozen=True)
class Content:
    questionnaire: Questionnaire
    locale: Locale


def load_content(
    language: str = "ka",
    questionnaire_path: Path | None = None,
    locale_path: Path | None = None,
) -> Content:
    questionnaire = load_questionnaire(questionnaire_path or bundled_definition())
    locale = load_locale(locale_path or bundled_locale(language))
    locale = locale.with_texts(questionnaire.texts_in(language))
    reference = load_locale(bundled_locale("ka"))
    check_locale(locale, questionnaire, reference)
    return Content(questionnaire, locale)
