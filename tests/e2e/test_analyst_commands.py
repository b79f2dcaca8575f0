"""Analysts get the report and manage its inputs in Telegram; nobody else can."""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.support import seed_000
from tests.support.citizen import Citizen
from tests.support.flows import NEED, SUGGESTION, complete

ANALYST = 610000001


@pytest.fixture
def settings_env(settings_env: dict[str, str]) -> dict[str, str]:
    settings_env["ANALYST_IDS"] = f"{ANALYST}, 610000002"
    return settings_env


async def seed(runtime) -> None:
    async with runtime.database.transaction() as tx:
        for answers, day in zip(seed_000.answers(), seed_000.days(), strict=False):
            await tx.responses.add("social_services_v1", "paper", answers, day)
        await tx.commit()


async def wait_for_report(api, chat_id: int) -> None:
    def edited() -> bool:
        return any(
            "მზადაა" in c.params.get("text", "") or "ვერ მოხერხდა" in c.params.get("text", "")
            for c in api.calls
            if c.method == "editMessageText" and c.params.get("chat_id") == chat_id
        )

    await api.wait_until(edited)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_analyst_gets_the_report_as_documents_with_progress(running_bot):
    await seed(running_bot.runtime)
    analyst = Citizen(running_bot.api, ANALYST, "ანა", "ანალიტიკოსი", "ana_analyst")
    for service, (applications, _w, _m) in seed_000.SERVICES.items():
        if applications:
            [saved] = await analyst.send(
                f"/applications 2025-06-01 2025-08-31 {service} {applications}"
            )
            assert "შენახულია" in saved
    [progress] = await analyst.send("/report 2025-06-01 2025-08-31")
    assert "ვამზადებ" in progress
    api = running_bot.api
    await wait_for_report(api, ANALYST)
    assert any(c.method == "sendChatAction" for c in api.calls)
    message_id = api.sent(ANALYST)[-1].result_id
    assert "მზადაა" in api.messages[(ANALYST, message_id)]["text"]
    files = api.documents(ANALYST)
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["docx", "html", "xlsx"]
    uploads = {c.content_type for c in api.calls if c.method == "sendDocument"}
    assert uploads == {"multipart/form-data"}, "files go as python-telegram-bot sends them"
    word = docx_text(files["report_2025-06-01_2025-08-31.docx"])
    assert "39%" in word and "244" in word
    sheet = load_workbook(io.BytesIO(files["report_2025-06-01_2025-08-31.xlsx"]))["სერვისები"]
    total = list(sheet.iter_rows(values_only=True))[-1]
    assert total[1:3] == (244, 96) and total[4:] == (57, 39, 0)


async def test_malformed_period_is_explained_with_examples(running_bot):
    analyst = Citizen(running_bot.api, ANALYST)
    [answer] = await analyst.send("/report next summer")
    assert "2025Q3" in answer and "2025-06-01 2025-08-31" in answer
    assert running_bot.api.documents(ANALYST) == {}


async def test_report_without_a_period_covers_the_last_complete_quarter(running_bot, clock):
    from datetime import UTC, datetime

    clock.now = datetime(2025, 10, 2, 8, 0, tzinfo=UTC)
    analyst = Citizen(running_bot.api, ANALYST)
    [progress] = await analyst.send("/report")
    # the municipality's quarters: the last complete one is June–August, its first
    assert "2025Q1" in progress and "01.06.2025 – 31.08.2025" in progress
    await wait_for_report(running_bot.api, ANALYST)
    assert "report_2025Q1.docx" in running_bot.api.documents(ANALYST)


async def test_someone_not_an_analyst_is_refused_and_not_identified_in_the_log(running_bot, caplog):
    caplog.set_level(logging.INFO)
    stranger = Citizen(running_bot.api, 620000009, "გელა", "უცნობი", "gela_x")
    for command in ("/report 2025Q3", "/applications 2025Q3 veterans 5", "/comments 2025Q3"):
        [refusal] = await stranger.send(command)
        assert "მხოლოდ მერიის ანალიტიკოსებისთვის" in refusal
    assert running_bot.api.documents(620000009) == {}
    assert "refused" in caplog.text
    for value in ("620000009", "gela_x", "გელა"):
        assert value not in caplog.text


async def test_corrected_and_published_comment_reaches_the_public_report(running_bot, clock):
    citizen = Citizen(running_bot.api, 610000050)
    await complete(citizen)
    analyst = Citizen(running_bot.api, ANALYST)
    quarter = _quarter(running_bot.runtime.today())
    listing = await analyst.send(f"/comments {quarter}")
    assert "increase_amount" in listing[0]
    short_id = re.search(r"#([0-9a-f]{8})", listing[0])[1]
    [saved] = await analyst.send(f"/category {short_id} increase_amount,information")
    assert "increase_amount, information" in saved
    [wrong] = await analyst.send(f"/category {short_id} money")
    assert "money" in wrong and "increase_amount" in wrong
    [published] = await analyst.send(f"/publish {short_id}")
    assert "საჯარო" in published
    await analyst.send(f"/summary {quarter} ზამთრის თბობის თანხა უნდა გაიზარდოს.")
    [running] = await analyst.send(f"/report {quarter} public")
    assert "ჯერ არ დასრულებულა" in running and "\n" not in running, "one line, no figures"
    after_the_end_of(quarter, clock)  # public figures only for an ended quarter
    await analyst.send(f"/report {quarter} public")
    await wait_for_report(running_bot.api, ANALYST)
    page = running_bot.api.documents(ANALYST)[f"report_{quarter}_public.html"].decode()
    assert "დახმარების თანხა გაზარდეთ" in page
    assert "ზამთრის თბობის თანხა უნდა გაიზარდოს." in page
    assert "ინფორმაციის ხელმისაწვდომობა" in page
    assert NEED not in page, "the same person's extra need is a text of its own"


async def test_an_extra_need_is_listed_corrected_and_published_alone(running_bot, clock):
    await complete(Citizen(running_bot.api, 610000051))
    analyst = Citizen(running_bot.api, ANALYST)
    quarter = _quarter(running_bot.runtime.today())
    [listing] = await analyst.send(f"/comments {quarter}")
    short_id = re.search(r"#([0-9a-f]{8}) ", listing)[1]
    assert f"#{short_id}/extra_needs_text " in listing and "· საჭიროების აღწერა" in listing
    assert "ყოველ ტექსტს თავისი ნომერი აქვს" in listing
    [saved] = await analyst.send(f"/category {short_id}/extra_needs_text other")
    assert "other" in saved
    [published] = await analyst.send(f"/publish {short_id}/extra_needs_text")
    assert "საჯარო" in published
    [listing] = await analyst.send(f"/comments {quarter}")
    need = listing[listing.index(f"#{short_id}/extra_needs_text") :]
    assert need.startswith(
        f"#{short_id}/extra_needs_text {running_bot.runtime.today()} [other] ✏️ 🌐"
    )
    after_the_end_of(quarter, clock)  # public figures only for an ended quarter
    await analyst.send(f"/report {quarter} public")
    await wait_for_report(running_bot.api, ANALYST)
    page = running_bot.api.documents(ANALYST)[f"report_{quarter}_public.html"].decode()
    assert NEED in page and SUGGESTION not in page


async def test_analysts_see_their_commands_in_the_menu_and_citizens_do_not(running_bot):
    calls = [c for c in running_bot.api.calls if c.method == "setMyCommands"]
    default = next(c for c in calls if "scope" not in c.params)
    assert {c["command"] for c in default.params["commands"]} == {
        "start",
        "help",
        "privacy",
        "stop",
        "unsubscribe",
    }
    scoped = {c.params["scope"]["chat_id"]: c for c in calls if "scope" in c.params}
    assert set(scoped) == {ANALYST, 610000002}
    assert "report" in {c["command"] for c in scoped[ANALYST].params["commands"]}


def _quarter(day) -> str:
    from bot.questionnaire.periods import Quarters

    return Quarters().containing(day).label


def after_the_end_of(quarter: str, clock) -> None:
    """The clock moved to the day after ``quarter`` ends (noon UTC)."""
    from datetime import UTC, datetime, time, timedelta

    from bot.questionnaire.periods import Quarters

    end = Quarters().parse(quarter).end + timedelta(days=1)
    clock.now = datetime.combine(end, time(12), tzinfo=UTC)


async def test_comments_the_categoriser_is_unsure_of_come_first_marked(running_bot):
    unsure = "მადლობა, მაგრამ ვერ ვიტყვი რომ ყველაფერი კარგად იყო"  # thanks and a complaint
    async with running_bot.runtime.database.transaction() as tx:
        for text in ("დახმარების თანხა გაზარდეთ", unsure):
            answers = {**seed_000.answers()[0], "suggestions": text}
            await tx.responses.add(
                "social_services_v1", "paper", answers, running_bot.runtime.today()
            )
        await tx.commit()
    analyst = Citizen(running_bot.api, ANALYST)
    [listing] = await analyst.send(f"/comments {_quarter(running_bot.runtime.today())}")
    assert "❓ 1 კომენტარის კატეგორიაში სისტემა დარწმუნებული არ არის" in listing
    assert listing.index(f"[other] ❓\n{unsure}") < listing.index("დახმარების თანხა გაზარდეთ")


async def test_an_analyst_gets_the_report_of_a_loaded_form(running_bot, tmp_path):
    from tests.support.xlsforms import kindergarten, load_form

    await seed(running_bot.runtime)  # the social services' answers stay out of it
    await load_form(running_bot.runtime, kindergarten(tmp_path))
    async with running_bot.runtime.database.transaction() as tx:
        given = {"garden": "garden_1", "content": "5", "liked": "food", "children": "1"}
        await tx.responses.add("kindergarten_v1", "web", given, date(2025, 7, 1))
        await tx.commit()
    analyst = Citizen(running_bot.api, ANALYST)
    [progress] = await analyst.send("/report kindergarten 2025-06-01 2025-08-31")
    assert "ვამზადებ" in progress
    await wait_for_report(running_bot.api, ANALYST)
    word = docx_text(running_bot.api.documents(ANALYST)["report_2025-06-01_2025-08-31.docx"])
    assert "საბავშვო ბაღი" in word and "უკუკავშირი წარმოადგინა 1 მომხმარებელმა" in word
