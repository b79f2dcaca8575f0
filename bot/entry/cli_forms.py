"""``feedback-bot form add|list|show|retire``: questionnaires staff write as XLSForm.

A form is checked whole before anything is stored: every problem is listed with its sheet,
row and column, and a form with one problem is not loaded at all.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from bot.entry.cli_input import CliError, existing_file
from bot.questionnaire.content import Content
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.numbering import numbered_count, question_numbers
from bot.questionnaire.xlsform import FormError, read_xlsform
from bot.questionnaire.xlsform_messages import refusal_lines
from storage import Database
from storage.forms import Added, Forms, StoredForm

FORM_COMMANDS = {"form"}
FORM_FILES = {".xlsx", ".xlsm", ".xls"}
"""What pyxform reads, so what ODK and KoboToolbox users have (the older Excel too)."""


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    form = commands.add_parser("form")
    what = form.add_subparsers(dest="action", required=True)
    added = what.add_parser("add")
    added.add_argument("file", type=Path)
    what.add_parser("list")
    shown = what.add_parser("show")
    shown.add_argument("form_id")
    retired = what.add_parser("retire")
    retired.add_argument("form_id")


def check_form(arguments: argparse.Namespace) -> None:
    if arguments.action == "add":
        existing_file(arguments.file)
        if arguments.file.suffix.lower() not in FORM_FILES:
            raise CliError("forms.not_xlsx", path=arguments.file.name)


async def run_form(
    arguments: argparse.Namespace, content: Content, database: Database, municipality: str
) -> list[str]:
    """On one municipality's forms (``--municipality``, as every data command)."""
    t = content.locale.t
    builtin = content.questionnaire
    async with database.forms(municipality) as forms:
        if arguments.action == "add":
            return await _add(arguments.file, forms, content, municipality)
        stored = await forms.versions()
        if arguments.action == "list":
            return _listing(stored, builtin, content.locale)
        versions = [f for f in stored if f.form_id == arguments.form_id]
        known = versions or arguments.form_id == builtin.form_id
        if not known:
            raise CliError("forms.unknown", form_id=arguments.form_id)
        if arguments.action == "show":
            return _shown(arguments.form_id, versions, builtin, content.locale)
        if not versions:  # the built-in form, never loaded: keep it, marked retired
            from bot.questionnaire.xlsform import LoadedForm

            title = t("forms.social_services_title")
            form_id = builtin.form_id
            version = builtin.version.removeprefix(f"{form_id}_v")
            await forms.add(LoadedForm(builtin, form_id, version, title), datetime.now(UTC))
        await forms.retire(arguments.form_id)
        await forms.commit()
        return [t("forms.retired_done", form_id=arguments.form_id)]


async def _add(path: Path, forms: Forms, content: Content, municipality: str) -> list[str]:
    from bot.exchange.sources import check_archive

    t = content.locale.t
    with path.open("rb") as handle:
        archive = handle.read(4) == b"PK\x03\x04"  # .xlsx, .xlsm; an old .xls is not a zip
    if archive:
        check_archive(path, sheet_size=False)
    try:
        loaded = read_xlsform(path)
    except FormError as error:
        lines = refusal_lines(error.problems, t)
        raise CliError("forms.refused_lines", lines="\n".join(lines)) from None
    outcome, stored = await forms.add(loaded, datetime.now(UTC), content.questionnaire)
    values = {"form_id": stored.form_id, "version": stored.version}
    if outcome is Added.VERSION_TAKEN:
        raise CliError("forms.version_taken", **values)
    await forms.commit()
    if outcome is Added.UNCHANGED:
        return [t("forms.unchanged", **values)]
    count = numbered_count(stored.questionnaire)
    added = "forms.added_one" if count == 1 else "forms.added"
    return [t(added, title=stored.title, count=count, municipality=municipality, **values)]


def _listing(stored: list[StoredForm], builtin: Questionnaire, locale: Locale) -> list[str]:
    t = locale.t
    lines = [t("forms.list_header")]
    if not any(f.form_id == builtin.form_id for f in stored):
        count = numbered_count(builtin)
        version = builtin.version.removeprefix(f"{builtin.form_id}_v")
        title = t("forms.social_services_title")
        lines.append(
            f"{builtin.form_id} | {version} | {title} | {count} | {t('forms.builtin')} | —"
        )
    newest: dict[str, list[StoredForm]] = {}
    for form in stored:
        newest.setdefault(form.form_id, []).append(form)
    for form_id, versions in newest.items():
        last = versions[-1]
        state = t("forms.active") if last.active else t("forms.retired")
        numbers = ", ".join(f.version for f in versions)
        count = numbered_count(last.questionnaire)
        loaded = f"{last.loaded_at:%d.%m.%Y %H:%M}"
        lines.append(f"{form_id} | {numbers} | {last.title} | {count} | {state} | {loaded}")
    return lines


def _shown(
    form_id: str, versions: list[StoredForm], builtin: Questionnaire, locale: Locale
) -> list[str]:
    t = locale.t
    if versions:
        last = versions[-1]
        questionnaire, title, active = last.questionnaire, last.title, last.active
        numbers = ", ".join(f.version for f in versions)
    else:
        questionnaire, title, active = builtin, t("forms.social_services_title"), True
        numbers = builtin.version.removeprefix(f"{form_id}_v")
    texts = locale.with_texts(questionnaire.texts_in("ka"))
    state = t("forms.active") if active else t("forms.retired")
    lines = [t("forms.show_header", form_id=form_id, title=title, versions=numbers, state=state)]
    numbered = question_numbers(questionnaire)
    for question in questionnaire.questions:
        required = t("forms.required_mark") if question.required else ""
        lines.append(
            t(
                "forms.show_line",
                number=numbered.get(question.id, "·"),
                name=question.id,
                kind=_kind_name(locale, question.kind.name),
                required=required,
                text=texts.t(f"questions.{question.id}.text")
                if question.calculation is None
                else f"= {question.calculation.text}",  # a calculate: never asked, no text
            )
        )
        if question.relevant is not None:
            lines.append(t("forms.show_relevant", relevant=question.relevant.text))
        if question.constraint is not None:
            lines.append(t("forms.show_constraint", constraint=question.constraint.text))
        if question.options:
            options = ", ".join(
                f"{code} ({texts.t(f'options.{question.id}.{code}')})" for code in question.options
            )
            lines.append(t("forms.show_options", options=options))
    from bot.questionnaire.versions import differences

    differ = differences([f.questionnaire for f in versions])
    if differ:
        lines.append(t("forms.versions_differ", details="; ".join(d.text(locale) for d in differ)))
    return lines


def _kind_name(locale: Locale, kind: str) -> str:
    """The kind's name in the staff's words; a kind added without one, by its own name."""
    key = f"forms.kinds.{kind}"
    return locale.t(key) if locale.has(key) else kind
