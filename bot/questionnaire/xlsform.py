"""Questionnaires staff write in a spreadsheet (XLSForm), read into the questionnaire model.

``pyxform`` reads the workbook (``.xlsx``, ``.xlsm``, ``.xls``: ``xlsform_workbook``) and
checks it as ODK and KoboToolbox would (names, choice lists, references); its spellings of
columns and types (``list name``, ``LABEL::EN``, ``select one from``) become ours first
(``xlsform_headers``), and the rows templates carry for the time (``start``, ``end``,
``today``) are accepted and keep nothing. The supported part is translated into the model,
everything else is refused with the sheet, row and column named — all problems at once, and
nothing is loaded from a form with a problem. The supported part: ``select_one``
(``likert``: a scale), ``select_multiple``, ``integer``, ``decimal``, ``range``, ``text``,
``note``, ``required``, ``relevant`` and ``constraint`` (see ``expressions``; no longer nor
deeper than its ``LIMITS``, so no rule can hold up a citizen), ``constraint_message``,
``hint``, ``label::<language>``. Our own columns: ``feedback_role`` (what a question is for, for the
report), ``feedback_title::<language>`` (the short title of the summary and the paper desk)
and, on the choices sheet, ``full_label::<language>`` (a service's full name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.questionnaire.expressions import LIMITS, Expression, ExpressionError, parse
from bot.questionnaire.model import ROLES, Question, Questionnaire
from bot.questionnaire.xlsform_appearances import checked_appearance
from bot.questionnaire.xlsform_choices import check_button_data, check_link_codes, read_choices
from bot.questionnaire.xlsform_groups import Groups
from bot.questionnaire.xlsform_headers import canonical_sheets, language_code, unusable_columns
from bot.questionnaire.xlsform_kinds import known_type, question_type, resolve_kind
from bot.questionnaire.xlsform_settings import form_identity
from bot.questionnaire.xlsform_sheets import (
    IDENTIFYING_METADATA,
    IGNORED_METADATA,
    LIST_TYPES,
    NO,
    SURVEY,
    YES,
    ChoiceLists,
    FormError,
    FormProblem,
    pyxform_problems,
    quoted,
)
from bot.questionnaire.xlsform_texts import (
    Texts,
    add_question_texts,
    other_languages_only,
    translated,
)
from bot.questionnaire.xlsform_workbook import open_workbook

__all__ = ["FormError", "FormProblem", "LoadedForm", "read_xlsform", "version_tag"]


@dataclass(frozen=True)
class LoadedForm:
    questionnaire: Questionnaire
    form_id: str
    version: str | None
    """As the settings sheet gives it; ``None`` lets the store number the versions."""
    title: str
    written_id: str | None = None
    """The id as the settings sheet or the file name wrote it, when it had to be made an id
    (``Spec test`` is ``Spec_test``): a form already stored under the made id is another's."""

    def with_version(self, version: str) -> LoadedForm:
        tag = version_tag(self.form_id, version)
        return replace(
            self, version=version, questionnaire=replace(self.questionnaire, version=tag)
        )


def version_tag(form_id: str, version: str) -> str:
    """The version stored with every response: ``social_services_v1``."""
    return f"{form_id}_v{version}"


def read_xlsform(source: Path | bytes, default_language: str = "ka") -> LoadedForm:
    """``.xlsx``, ``.xlsm`` or ``.xls``, with every column under the one spelling we know."""
    data, problems = canonical_sheets(open_workbook(source))
    return _Reader(data, default_language, problems).read()


class _Reader:
    def __init__(self, data: Any, default_language: str, problems: list[FormProblem]) -> None:
        self.data = data
        self.problems: list[FormProblem] = problems
        settings = (data.settings or [{}])[0]
        self.settings: Mapping[str, str] = settings
        self.language = language_code(str(settings.get("default_language") or default_language))
        self.lists: dict[str, str] = {}
        """The choice list of each select question, by the question's name."""

    def problem(
        self, sheet: str, row: int | None, column: str, code: str, /, **values: str
    ) -> None:
        self.problems.append(FormProblem(sheet, row, column, code, values))

    def read(self) -> LoadedForm:
        if not self.data.survey:
            self.problem(SURVEY, None, "", "no_survey")
            raise FormError(self.problems)
        self.problems += unusable_columns(self.data)
        named = form_identity(self.settings, self.data.fallback_form_name or "", self.problem)
        form_id, version = named.form_id, named.version
        choices, self.choice_rows = read_choices(self.data.choices, self.language, self.problem)
        questions, texts = self._questions(choices)
        self._check_main_language()
        first = Questionnaire("", tuple(questions)).first_choice()
        if first is not None and first.id in self.lists:
            check_link_codes(self.problem, form_id, first, self.lists[first.id], self.choice_rows)
        if not self.problems:
            self.problems += pyxform_problems(self.data, self.language)
        if self.problems:
            raise FormError(self.problems)
        for language in texts:
            texts[language]["form.title"] = named.title
        questionnaire = Questionnaire(
            version=version_tag(form_id, version or "0"),
            questions=tuple(questions),
            form_id=form_id,
            texts=texts,
            default_language=self.language,
        )
        return LoadedForm(questionnaire, form_id, version, named.title, named.written_id)

    def _check_main_language(self) -> None:
        """A form written in another language only is one problem with its fix, not one
        missing text per question and choice."""
        rows = [*(self.data.survey or []), *(self.data.choices or [])]
        found = other_languages_only(rows, self.language)
        if found:
            missing = {"label_missing", "choice_label"}
            self.problems[:] = [p for p in self.problems if p.code not in missing]
            column = f"label::{self.language}"
            self.problem(SURVEY, 1, column, "form_language", language=self.language, **found)

    # --- questions -------------------------------------------------------------------
    def _questions(self, choices: ChoiceLists) -> tuple[list[Question], Texts]:
        questions: list[Question] = []
        texts: Texts = {}
        seen: dict[str, Question] = {}
        roles: set[str] = set()
        groups = Groups(self.problem, self._expression, self.language)
        for number, row in enumerate(self.data.survey, start=2):
            if not row or groups.take(number, row, seen, texts):
                continue
            question = self._question(number, row, choices, seen, roles)
            if question is None:
                continue
            for placed in groups.place(question, number, row, seen, texts):
                seen[placed.id] = placed
                questions.append(placed)
            add_question_texts(texts, row, question, choices, self.language)
        groups.close()
        if not questions and not self.problems:
            self.problem(SURVEY, None, "", "no_questions")
        return questions, texts

    def _question(
        self,
        number: int,
        row: Mapping[str, str],
        choices: ChoiceLists,
        seen: Mapping[str, Question],
        roles: set[str],
    ) -> Question | None:
        named = self._identity(number, row, seen)
        if named is None:
            return None
        name, base, list_name = named
        appearance, required, role = self._check_settings(number, row, name, roles, base)
        relevant = self._expression(number, row, "relevant", seen, dot=False)
        constraint = self._expression(number, row, "constraint", seen, dot=True)
        kind, read = resolve_kind(self.problem, number, base, list_name, appearance, row, choices)
        if base in LIST_TYPES:
            self.lists[name] = list_name
        check_button_data(self.problem, number, name, read.options)
        return Question(
            id=name,
            kind=kind,
            required=required in YES and kind.stores,
            options=read.options,
            relevant=relevant,
            role=role,
            constraint=constraint,
            decimal=read.decimal,
            bounds=read.bounds,
        )

    def _identity(
        self, number: int, row: Mapping[str, str], seen: Mapping[str, Question]
    ) -> tuple[str, str, str] | None:
        """The row's name, base type and choice list, or ``None`` when the row cannot be a
        question at all (its later columns would only add noise to the problems)."""
        written, base, list_name = question_type(row)
        name = str(row.get("name", ""))
        if not written and not name and not translated(row, "label", self.language):
            return None  # a comment row, as pyxform reads it
        if base.lower() in IGNORED_METADATA:
            return None
        if base.lower() in IDENTIFYING_METADATA:
            self.problem(SURVEY, number, "type", "identifying", type=written)
            return None
        if not known_type(base, list_name):
            self.problem(SURVEY, number, "type", "type", type=written or "—")
            return None
        if not name:
            self.problem(SURVEY, number, "name", "name_missing")
            return None
        if name in seen:
            self.problem(SURVEY, number, "name", "duplicate_name", name=name)
            return None
        return name, base, list_name

    def _check_settings(
        self, number: int, row: Mapping[str, str], name: str, roles: set[str], base: str
    ) -> tuple[str, str, str | None]:
        """The label, appearance, ``required`` and role of a question: checked, and the last
        three returned as written (a ``calculate`` is never shown: it needs no label)."""
        if base != "calculate" and not translated(row, "label", self.language).get(self.language):
            self.problem(
                SURVEY,
                number,
                f"label::{self.language}",
                "label_missing",
                name=name,
                language=self.language,
            )
        appearance = checked_appearance(self.problem, number, row.get("appearance")).read
        required = str(row.get("required", "")).strip().lower()
        if required not in YES | NO:
            self.problem(SURVEY, number, "required", "required", value=required)
        role = row.get("feedback_role") or None
        if role is not None and (role not in ROLES or role in roles):
            self.problem(SURVEY, number, "feedback_role", "role", value=str(role))
        roles.add(role or "")
        return appearance, required, role

    def _expression(
        self,
        number: int,
        row: Mapping[str, str],
        column: str,
        seen: Mapping[str, Question],
        dot: bool,
    ) -> Expression | None:
        text = str(row.get(column, "")).strip()
        if not text:
            return None
        shown = quoted(text)
        try:
            expression = parse(text, LIMITS)
        except ExpressionError as error:
            values = {"text": shown, "detail": error.detail, **error.values}
            self.problem(SURVEY, number, column, error.code, **values)
            return None
        for name in expression.references:
            if name not in seen:
                self.problem(SURVEY, number, column, "reference", text=shown, name=name)
                return None
        if not dot and expression.uses_dot:
            self.problem(SURVEY, number, column, "expression_dot", text=shown)
            return None
        return expression
