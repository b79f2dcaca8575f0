"""The texts a form brings with it, by language: its questions' wording, titles, hints and
messages, its options' labels and its services' full names.

They become the questionnaire's own texts (``questions.<id>.text``, ``options.<id>.<code>``,
``service_names.<code>``), so a form written in a spreadsheet needs no locale file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.questionnaire.model import SERVICE, Question
from bot.questionnaire.xlsform_kinds import question_type
from bot.questionnaire.xlsform_sheets import LIST_TYPES, ChoiceLists

Texts = dict[str, dict[str, str]]
"""Keyed texts by language."""


def translated(row: Mapping[str, str], column: str, default_language: str) -> dict[str, str]:
    """A column's values by language: ``label::en`` is English, a bare ``label`` is the
    form's default language."""
    found = {}
    for key, value in row.items():
        base, _, language = key.partition("::")
        if base == column and value:
            found[language or default_language] = str(value)
    return found


def other_languages_only(
    rows: Sequence[Mapping[str, str]], default_language: str
) -> dict[str, str] | None:
    """The languages a form's labels are in, when its main language is not among them: an
    English-only form (``label::English``) loaded as Georgian. ``None`` otherwise."""
    found: set[str] = set()
    for row in rows:
        found |= set(translated(row, "label", default_language))
    if not found or default_language in found:
        return None
    return {"found": ", ".join(sorted(found)), "other": sorted(found)[0]}


def add_question_texts(
    texts: Texts,
    row: Mapping[str, str],
    question: Question,
    choices: ChoiceLists,
    default_language: str,
) -> None:
    labels = translated(row, "label", default_language)
    _add_wording(texts, row, question, labels, default_language)
    _, base, list_name = question_type(row)
    if question.options and base not in LIST_TYPES:
        for language in labels:  # options without a list (a range's digits): the kind's labels
            for code in question.options:
                texts[language][f"options.{question.id}.{code}"] = question.kind.own_label(code)
    for code, option_labels, full in choices.get(list_name, []) if question.options else []:
        for language, label in option_labels.items():
            texts.setdefault(language, {})[f"options.{question.id}.{code}"] = label
            if question.role == SERVICE:
                long = full.get(language) or label
                texts[language][f"service_names.{code}"] = long


def _add_wording(
    texts: Texts,
    row: Mapping[str, str],
    question: Question,
    labels: Mapping[str, str],
    default_language: str,
) -> None:
    key = f"questions.{question.id}"
    titles = translated(row, "feedback_title", default_language)
    for language, label in labels.items():
        found = texts.setdefault(language, {})
        found[f"{key}.text"] = label
        found[f"{key}.title"] = titles.get(language) or label
    for column in ("hint", "constraint_message"):
        for language, value in translated(row, column, default_language).items():
            texts.setdefault(language, {})[f"{key}.{column}"] = value
