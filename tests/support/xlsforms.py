"""XLSForm workbooks made by the tests (openpyxl), as staff would write them in Excel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

Rows = Sequence[Sequence[object]]

KINDERGARTEN_SURVEY: Rows = (
    (
        "type",
        "name",
        "label::ka",
        "label::en",
        "hint::ka",
        "required",
        "relevant",
        "constraint",
        "constraint_message::ka",
        "constraint_message::en",
        "appearance",
        "feedback_role",
    ),
    (
        "select_one gardens",
        "garden",
        "რომელ საბავშვო ბაღში დადის თქვენი ბავშვი?",
        "Which kindergarten does your child attend?",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "service",
    ),
    (
        "select_one stars",
        "content",
        "რამდენად კმაყოფილი ხართ ბაღით?",
        "How satisfied are you with the kindergarten?",
        "",
        "yes",
        "",
        "",
        "",
        "",
        "likert",
        "satisfaction",
    ),
    (
        "select_multiple good",
        "liked",
        "რა მოგწონთ ბაღში?",
        "What do you like about the kindergarten?",
        "შეგიძლიათ რამდენიმე აირჩიოთ.",
        "yes",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "integer",
        "children",
        "რამდენი შვილი დადის ამ ბაღში?",
        "How many of your children attend it?",
        "",
        "yes",
        "",
        ". >= 1 and . <= 5",
        "გთხოვთ, დაწეროთ რიცხვი 1-დან 5-მდე.",
        "Please type a number from 1 to 5.",
        "",
        "",
    ),
    (
        "select_one yes_no",
        "problems",
        "შეგექმნათ რაიმე პრობლემა?",
        "Did you have a problem?",
        "",
        "yes",
        "${content} <= 3",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "text",
        "problem_text",
        "გთხოვთ, მოკლედ აღწეროთ, რა პრობლემა იყო.",
        "Please describe the problem briefly.",
        "",
        "no",
        "${problems} = 'yes'",
        "",
        "",
        "",
        "",
        "suggestions",
    ),
)
KINDERGARTEN_CHOICES: Rows = (
    ("list_name", "name", "label::ka", "label::en"),
    ("gardens", "garden_1", "ბაღი №1 (ცენტრი)", "Kindergarten No 1 (centre)"),
    ("gardens", "garden_2", "ბაღი №2 (ნიკორწმინდა)", "Kindergarten No 2 (Nikortsminda)"),
    ("gardens", "garden_3", "ბაღი №3 (ჭრებალო)", "Kindergarten No 3 (Chrebalo)"),
    ("stars", "5", "ძალიან კმაყოფილი", "Very satisfied"),
    ("stars", "4", "კმაყოფილი", "Satisfied"),
    ("stars", "3", "საშუალოდ", "So-so"),
    ("stars", "2", "უკმაყოფილო", "Dissatisfied"),
    ("stars", "1", "ძალიან უკმაყოფილო", "Very dissatisfied"),
    ("good", "food", "კვება", "Food"),
    ("good", "teachers", "აღმზრდელები", "Teachers"),
    ("good", "building", "შენობა და ეზო", "Building and yard"),
    ("good", "hours", "სამუშაო საათები", "Opening hours"),
    ("yes_no", "yes", "დიახ", "Yes"),
    ("yes_no", "no", "არა", "No"),
)


def settings(form_id: str, version: str | None = "1", title: str = "საბავშვო ბაღი") -> Rows:
    header = ["form_id", "form_title", "default_language"]
    values: list[object] = [form_id, title, "ka"]
    if version is not None:
        header.append("version")
        values.append(version)
    return (header, values)


def write_xlsform(
    path: Path, survey: Rows, choices: Rows | None = None, settings_rows: Rows | None = None
) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for name, rows in (("choices", choices), ("settings", settings_rows)):
        if rows is not None:
            extra = book.create_sheet(name)
            for row in rows:
                extra.append(list(row))
    book.save(path)
    return path


def kindergarten(folder: Path, version: str | None = "1", name: str = "kindergarten.xlsx") -> Path:
    return write_xlsform(
        folder / name,
        KINDERGARTEN_SURVEY,
        KINDERGARTEN_CHOICES,
        settings("kindergarten", version),
    )


BROKEN_SURVEY: Rows = (
    ("type", "name", "label::ka", "required", "relevant", "constraint", "appearance", "colour"),
    ("select_one yes_no", "first", "პირველი", "yes", "", "", "", ""),
    ("calculate", "sum", "", "", "", "", "", ""),
    ("begin_group", "group", "ჯგუფი", "", "", "", "", ""),
    ("text", "first", "მეორედ", "", "", "", "", ""),
    ("text", "unlabelled", "", "", "", "", "", ""),
    ("text", "maybe", "ალბათ", "perhaps", "", "", "", ""),
    ("select_one missing_list", "lost", "დაკარგული სია", "", "", "", "", ""),
    ("text", "broken_rule", "წესი", "", "${first} = = 'yes'", "", "", ""),
    ("text", "odd_function", "ფუნქცია", "", "today() > 3", "", "", ""),
    ("text", "too_early", "ადრე", "", "${later} = 'yes'", "", "", ""),
    ("text", "dotted", "წერტილი", "", ". = 'x'", "", "", ""),
    ("select_one yes_no", "stars", "ვარსკვლავები", "", "", "", "likert", ""),
    ("range", "bad_range", "შკალა", "", "", "", "", ""),
    ("text", "later", "ბოლოს", "", "", "", "", "red"),
)
BROKEN_CHOICES: Rows = (
    ("list_name", "name", "label::ka"),
    ("yes_no", "yes", "დიახ"),
    ("yes_no", "no", "არა"),
    ("yes_no", "no", "არა ისევ"),
)


def broken(folder: Path) -> Path:
    survey = [list(row) for row in BROKEN_SURVEY]
    survey[0].append("parameters")
    for row in survey[1:]:
        row.append("start=5 end=1" if row[1] == "bad_range" else "")
    return write_xlsform(
        folder / "broken.xlsx",
        survey,
        BROKEN_CHOICES,
        settings("ბაღის ფორმა", "1"),  # Georgian letters: no id can be made of them
    )


def long_form(folder: Path, questions: int, choices_per_question: int = 10) -> Path:
    """``questions`` questions: select_one, select_multiple, integer and text in turn, each
    fifth asked only after a "yes"; ``choices_per_question`` options to each list."""
    survey: list[list[object]] = [
        ["type", "name", "label::ka", "label::en", "required", "relevant", "constraint"]
    ]
    choices: list[list[object]] = [["list_name", "name", "label::ka", "label::en"]]
    for n in range(questions):
        kind = ("select_one", "select_multiple", "integer", "text")[n % 4]
        name = f"q{n}"
        relevant = f"${{q{n - 4}}} = 'c0'" if n % 5 == 4 and (n - 4) % 4 == 0 else ""
        constraint = ". >= 0 and . <= 100" if kind == "integer" else ""
        typed = f"{kind} list{n}" if kind.startswith("select") else kind
        survey.append([typed, name, f"კითხვა {n}", f"Question {n}", "yes", relevant, constraint])
        if kind.startswith("select"):
            for c in range(choices_per_question):
                choices.append([f"list{n}", f"c{c}", f"პასუხი {c}", f"Answer {c}"])
    return write_xlsform(
        folder / f"long_{questions}.xlsx", survey, choices, settings("long", "1", "გრძელი")
    )


async def load_form(runtime: object, path: Path) -> str:
    """Loads a form as ``feedback-bot form add`` does and lets the running bot see it, as
    its next scheduler tick would; returns the stored version tag."""
    from datetime import UTC, datetime

    from bot.questionnaire.xlsform import read_xlsform

    database = runtime.database  # type: ignore[attr-defined]
    async with database.forms() as forms:
        _, stored = await forms.add(read_xlsform(path), datetime.now(UTC))
        await forms.commit()
    await runtime.refresh_forms()  # type: ignore[attr-defined]
    return stored.questionnaire.version
