"""The report finds its questions by role, so a questionnaire whose questions have other ids
gets the same report with no code change (issue 15: roles instead of hard-coded ids)."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import load_workbook

from bot.questionnaire.content import bundled_locale, bundled_questionnaire, load_questionnaire
from bot.questionnaire.i18n import Locale
from reporting.build import ReportRequest, produce
from storage import open_database
from tests.support import seed_000

RENAMED = {
    "service": "programme",
    "gender": "sex",
    "satisfaction": "contentment",
    "suggestions": "ideas",
    "extra_needs": "more_needed",
    "extra_needs_text": "more_needed_what",
}


def renamed_questionnaire(folder: Path) -> Path:
    raw = yaml.safe_load(bundled_questionnaire().read_text(encoding="utf-8"))
    raw["version"] = "renamed_v1"
    for question in raw["questions"]:
        question["id"] = RENAMED.get(question["id"], question["id"])
        condition = question.get("ask_if")
        if condition:
            condition["question"] = RENAMED.get(condition["question"], condition["question"])
    path = folder / "renamed.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def renamed_locale() -> Locale:
    raw = yaml.safe_load(bundled_locale("ka").read_text(encoding="utf-8"))
    for section in ("questions", "options"):
        raw[section] = {RENAMED.get(k, k): v for k, v in raw[section].items()}
    return Locale(raw, source="renamed")


async def test_a_questionnaire_with_other_ids_gets_the_same_report(tmp_path: Path):
    questionnaire = load_questionnaire(renamed_questionnaire(tmp_path))
    assert all(RENAMED[role] != role for role in ("service", "gender"))
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    async with database.transaction() as tx:
        for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
            renamed = {RENAMED.get(k, k): v for k, v in answers.items()}
            await tx.responses.add("renamed_v1", "paper", renamed, day)
        await tx.commit()
    request = ReportRequest(seed_000.PERIOD, formats=("xlsx",))
    [path] = await produce(
        database, questionnaire, renamed_locale(), "მუნიციპალიტეტი", request, tmp_path
    )
    await database.close()
    book = load_workbook(path)
    services = [[c.value for c in row] for row in book["სერვისები"].iter_rows()]
    total = services[-1]
    assert total[2] == 96, "every response counted under the programme question"
    assert sum(row[2] or 0 for row in services[1:-1]) == 96
    winter = next(row for row in services if "ზამთრის" in str(row[0]))
    assert (
        winter[2] == seed_000.SERVICES["winter_heating"][1] + seed_000.SERVICES["winter_heating"][2]
    )
