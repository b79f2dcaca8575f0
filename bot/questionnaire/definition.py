"""A questionnaire as plain JSON data, to store a loaded form and read it back unchanged.

Expressions are kept as their text and parsed again when read, so what is stored is what
staff wrote; a hash of the definition tells a changed form from the same one loaded twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from bot.questionnaire.expressions import parse
from bot.questionnaire.kinds.registry import named
from bot.questionnaire.model import Question, Questionnaire

FORMAT = 1


def to_data(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": questionnaire.version,
        "form_id": questionnaire.form_id,
        "default_language": questionnaire.default_language,
        "questions": [_question(q) for q in questionnaire.questions],
        "texts": {language: dict(texts) for language, texts in questionnaire.texts.items()},
    }


def _question(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "kind": question.kind.name}
    data["required"] = question.required
    if question.options:
        data["options"] = list(question.options)
    if question.relevant is not None:
        data["relevant"] = question.relevant.text
    if question.constraint is not None:
        data["constraint"] = question.constraint.text
    if question.role:
        data["role"] = question.role
    if question.decimal:
        data["decimal"] = True
    if question.bounds is not None:
        data["bounds"] = list(question.bounds)
    if question.max_length != 1000:
        data["max_length"] = question.max_length
    if question.section:
        data["section"] = question.section
    if question.page:
        data["page"] = question.page
    if question.calculation is not None:
        data["calculation"] = question.calculation.text
    if question.keep:
        data["keep"] = True
    return data


def from_data(data: Mapping[str, Any]) -> Questionnaire:
    questions = tuple(
        Question(
            id=item["id"],
            kind=named(item["kind"]),
            required=bool(item["required"]),
            options=tuple(item.get("options", ())),
            relevant=parse(item["relevant"]) if item.get("relevant") else None,
            constraint=parse(item["constraint"]) if item.get("constraint") else None,
            role=item.get("role"),
            decimal=bool(item.get("decimal", False)),
            bounds=tuple(item["bounds"]) if item.get("bounds") else None,  # type: ignore[arg-type]
            max_length=int(item.get("max_length", 1000)),
            section=str(item.get("section", "")),
            page=str(item.get("page", "")),
            calculation=parse(item["calculation"]) if item.get("calculation") else None,
            keep=bool(item.get("keep", False)),
        )
        for item in data["questions"]
    )
    return Questionnaire(
        version=data["version"],
        questions=questions,
        form_id=data["form_id"],
        texts=data.get("texts", {}),
        default_language=data.get("default_language", "ka"),
    )


def content_hash(questionnaire: Questionnaire) -> str:
    """The same for the same questions and texts, whatever the version says."""
    data = to_data(questionnaire)
    data.pop("version")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
