"""A form as staff write them for a home-care programme: two groups (the first a
``field-list`` page), a ``select_one … or_other``, a ``date`` and a ``calculate`` marked to
keep, read by a group's ``relevant`` (issue 32)."""

from __future__ import annotations

from pathlib import Path

from tests.support.xlsforms import Rows, settings, write_xlsform

ABOUT = "თქვენ შესახებ"
VISIT = "სოციალური მუშაკის ვიზიტი"
AGE = "რამდენი წლის ხართ?"
PENSION = "იღებთ პენსიას?"
VISIT_DAY = "რომელ დღეს გესტუმრათ სოციალური მუშაკი?"
HELPED = "რაში დაგეხმარათ ყველაზე მეტად?"
COMMENT = "კიდევ რისი თქმა გსურთ?"

SURVEY: Rows = (
    (
        "type",
        "name",
        "label::ka",
        "label::en",
        "required",
        "relevant",
        "appearance",
        "calculation",
        "feedback_keep",
    ),
    ("begin group", "about", ABOUT, "About you", "", "", "field-list", "", ""),
    ("integer", "age", AGE, "How old are you?", "yes", "", "", "", ""),
    ("select_one yn", "pension", PENSION, "Do you get a pension?", "yes", "", "", "", ""),
    ("end group", "", "", "", "", "", "", "", ""),
    ("calculate", "elderly", "", "", "", "", "", "if(${age} >= 65, 1, 0)", "yes"),
    ("begin_group", "visit", VISIT, "The visit", "", "${elderly} = 1", "", "", ""),
    (
        "date",
        "visit_day",
        VISIT_DAY,
        "On which day did the social worker visit?",
        "yes",
        "",
        "",
        "",
        "",
    ),
    (
        "select_one helps or_other",
        "helped",
        HELPED,
        "What did they help with most?",
        "yes",
        "",
        "",
        "",
        "",
    ),
    ("end_group", "", "", "", "", "", "", "", ""),
    ("text", "comment", COMMENT, "Anything else?", "no", "", "", "", ""),
)
CHOICES: Rows = (
    ("list_name", "name", "label::ka", "label::en"),
    ("yn", "yes", "დიახ", "Yes"),
    ("yn", "no", "არა", "No"),
    ("helps", "food", "საკვები", "Food"),
    ("helps", "cleaning", "დალაგება", "Cleaning"),
    ("helps", "medicine", "წამლები", "Medicine"),
)


def sections_form(folder: Path) -> Path:
    return write_xlsform(
        folder / "home_care.xlsx", SURVEY, CHOICES, settings("home_care", "1", "შინ მოვლა")
    )
