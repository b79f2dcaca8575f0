"""A clerk typing paper forms into the console's paper page with the keyboard only, every key
counted (the browser test and ``bench/paper_entry.py``).

What a clerk presses, per form: the digits of each answer, Tab between fields, and Enter in
the last digit field typed (it holds the form; an empty field after it needs no key). A form
whose last answer is a text ends in a text box, where Enter is a new line: Tab on to the
"hold" button and Enter. Per batch: Shift+Tab from question 1 to the date, Ctrl+A, the date,
Tab back; then two clicks ("finish", "save"). After each hold the page opens the next form
with question 1 focused (``autofocus``), so no click is needed between forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.questionnaire.model import Questionnaire


@dataclass
class Tally:
    keys: int = 0
    clicks: int = 0
    forms: int = 0


def typed_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """What the clerk types in each field, in the page's order ('' for a field left empty):
    a list's option by its number on paper, a scale by its value, a text as written."""
    cells = []
    for question in questionnaire.questions:
        if not question.kind.stores or not question.asked:
            continue
        value = answers.get(question.id)
        if value is None:
            cells.append("")
        elif question.options and question.kind.name != "scale":
            cells.append(str(question.options.index(value) + 1))
        else:
            cells.append(str(value))
    return cells


async def press(page: Any, key: str, tally: Tally) -> None:
    await page.keyboard.press(key)
    tally.keys += 1


async def type_form(page: Any, cells: list[str], text_fields: list[bool], tally: Tally) -> None:
    """One form, from question 1 (focused) to "held"; waits for the next form's page."""
    last = max((i for i, cell in enumerate(cells) if cell), default=0)
    for i in range(last + 1):
        if i:
            await press(page, "Tab", tally)
        if cells[i]:
            await page.keyboard.type(cells[i])
            tally.keys += len(cells[i])
    async with page.expect_navigation():
        if text_fields[last]:
            for _ in range(len(cells) - last):  # past the fields left, to the hold button
                await press(page, "Tab", tally)
        await press(page, "Enter", tally)
    tally.forms += 1


async def set_day(page: Any, day: str, tally: Tally) -> None:
    """From question 1 (focused) back to the batch's date, and on to question 1 again."""
    await press(page, "Shift+Tab", tally)
    await press(page, "Control+A", tally)
    await page.keyboard.type(day)
    tally.keys += len(day)
    await press(page, "Tab", tally)


async def finish_and_save(page: Any, tally: Tally) -> None:
    async with page.expect_navigation():
        await page.click("button[value=review]")
    tally.clicks += 1
    async with page.expect_navigation():
        await page.click("button[value=save]")
    tally.clicks += 1
