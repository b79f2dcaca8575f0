"""A refused form, said so that a clerk can mend it: one line per problem, each naming its
sheet, row and column, then once at the end what may be written instead.

A list of allowed columns after each unusable column made a long form's refusal thirty lines
of the same list; it is said once now, after the problems that need it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.questionnaire.kinds import registry
from bot.questionnaire.xlsform_appearances import accepted
from bot.questionnaire.xlsform_sheets import (
    CHOICE_COLUMNS,
    OUR_CHOICE_COLUMNS,
    SURVEY_COLUMNS,
    TRANSLATED,
    FormProblem,
)

Translate = Callable[..., str]
"""``Locale.t``: a key under ``forms.`` and its values."""


def refusal_lines(problems: Sequence[FormProblem], t: Translate) -> list[str]:
    count = len(problems)
    lines = [t("forms.refused_one" if count == 1 else "forms.refused", count=count)]
    lines += [problem_line(problem, t) for problem in problems]
    codes = {problem.code for problem in problems}
    if "column" in codes:
        lines.append(t("forms.allowed_columns", **allowed_columns()))
    if "type" in codes:
        lines.append(t("forms.allowed_types", types=", ".join(allowed_types())))
    if "appearance" in codes:
        appearances = ", ".join(accepted())
        lines.append(t("forms.allowed_appearances", appearances=appearances))
    return lines


def problem_line(problem: FormProblem, t: Translate) -> str:
    """The place as precisely as it is known: a whole sheet, a row, or a cell."""
    reason = t(f"forms.errors.{problem.code}", **problem.values)
    if not problem.sheet:  # the file as a whole
        return f"  {reason}"
    if problem.row is None:
        return t("forms.problem_sheet", sheet=problem.sheet, reason=reason)
    if not problem.column:
        return t("forms.problem_row", sheet=problem.sheet, row=problem.row, reason=reason)
    return t(
        "forms.problem_line",
        sheet=problem.sheet,
        row=problem.row,
        column=problem.column,
        reason=reason,
    )


def allowed_columns() -> dict[str, str]:
    def listed(columns: frozenset[str], first: Sequence[str]) -> str:
        rest = sorted(columns - set(first))
        shown = [f"{c}::ka" if c in TRANSLATED else c for c in (*first, *rest)]
        return ", ".join(shown)

    return {
        "survey": listed(SURVEY_COLUMNS, ("type", "name", "label")),
        "choices": listed(CHOICE_COLUMNS, ("list_name", "name", "label", *OUR_CHOICE_COLUMNS)),
        "settings": "form_id, version, form_title, default_language",  # the rest: ODK's own
    }


FRAMES = ("select_one … or_other", "begin group", "end group", "start", "end", "today")
"""What a form may hold besides the kinds' types: ``or_other``, groups as sections, and the
rows templates carry (accepted, keeping nothing)."""


def allowed_types() -> list[str]:
    """The types some kind takes, selects first, as a clerk would look for them, then groups
    and the template rows."""
    types = registry.xlsform_types()
    selects = [t for t in ("select_one", "select_multiple") if t in types]
    return [*selects, *sorted(t for t in types if t not in selects), *FRAMES]
