"""Staff who live in e-mail: each municipality's digest and report reach its own addresses
over SMTP with STARTTLS (a real server on 127.0.0.1), and failures are retried quietly."""

from __future__ import annotations

import io
import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pydantic import SecretStr

from bot.channels.email_outbox import EmailOutbox, email_outbox
from bot.channels.port import Delivery
from bot.config.settings import Settings
from bot.entry.jobs import Jobs
from bot.wiring.bootstrap import build_runtime
from tests.conftest import free_port
from tests.support import seed_000
from tests.support.smtp import PASSWORD, SmtpServer

HOME, OTHER = "ambrolauri", "marneuli"
ADDRESSES = {HOME: "socialuri@ambrolauri.gov.ge", OTHER: "social@marneuli.gov.ge"}
LAST_WEEK = {
    HOME: [date(2025, 9, 1), date(2025, 9, 3), date(2025, 9, 5)],
    OTHER: [date(2025, 9, 2)],
}


@pytest.fixture
def smtp(tmp_path: Path):
    with SmtpServer(tmp_path, free_port()) as server:
        yield server


@pytest.fixture
def env(settings_env: dict[str, str], smtp: SmtpServer, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / f"{OTHER}.yaml").write_text(
        "name: {ka: მარნეულის მუნიციპალიტეტი}\nquarter_start_month: 1\n"
        f"staff: {{emails: [{ADDRESSES[OTHER]}]}}\n",
        encoding="utf-8",
    )
    found = {k: v for k, v in settings_env.items() if k != "TELEGRAM_BOT_TOKEN"}
    return (
        found
        | smtp.env()
        | {
            "MUNICIPALITIES_DIR": str(folder),
            "MUNICIPALITY_CODE": HOME,
            "STAFF_EMAILS": ADDRESSES[HOME],
        }
    )


async def runtime_at(env: dict[str, str], clock, moment: datetime):
    clock.now = moment
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime = await build_runtime(settings, clock=clock)
    answers = seed_000.answers()
    for code, days in LAST_WEEK.items():
        async with runtime.database.transaction(code) as tx:
            for n, day in enumerate(days):
                await tx.responses.add("social_services_v1", "telegram", answers[n], day)
            await tx.commit()
    return runtime


def jobs_of(runtime) -> list[Jobs]:
    return [Jobs(place, None, [], email_outbox(place.settings)) for place in runtime.everywhere]


@pytest.mark.both_databases
async def test_each_municipalitys_staff_get_their_own_digest_by_email(env, smtp, clock):
    runtime = await runtime_at(env, clock, datetime(2025, 9, 8, 5, 5, tzinfo=UTC))
    try:
        for jobs in jobs_of(runtime):
            assert await jobs.tick() == ["digest:2025-W36"]
            assert await jobs.tick() == [], "once"
    finally:
        await runtime.close()
    for code, address in ADDRESSES.items():
        [mail] = smtp.handler.to(address)
        assert "კვირის მიმოხილვა" in mail.subject and "2025-W36" in mail.subject
        assert runtime.of(code).settings.municipality_name in mail.subject
        text, page = mail.part("plain"), mail.part("html")
        count = len(LAST_WEEK[code])
        assert f"პასუხები: {count} " in text and "<b>" not in text
        assert f"პასუხები: <b>{count}</b>" in page
        assert mail.sender == "feedback@ambrolauri.gov.ge"


async def test_the_quarterly_report_arrives_with_word_and_excel_that_open(env, smtp, clock):
    # 1 September 09:05 in Tbilisi: Ambrolauri's quarter (June–August) has just ended.
    runtime = await runtime_at(env, clock, datetime(2025, 9, 1, 5, 5, tzinfo=UTC))
    try:
        home, other = jobs_of(runtime)
        assert "report:2025Q1" in await home.tick()
        assert not any(run.startswith("report") for run in await other.tick()), "its calendar"
    finally:
        await runtime.close()
    [mail] = [m for m in smtp.handler.to(ADDRESSES[HOME]) if "ანგარიში" in m.subject]
    assert "2025Q1" in mail.subject and "ამბროლაურის" in mail.part("plain")
    files = mail.attachments()
    assert sorted(Path(name).suffix for name in files) == [".docx", ".xlsx"]
    [word] = [content for name, content in files.items() if name.endswith(".docx")]
    [excel] = [content for name, content in files.items() if name.endswith(".xlsx")]
    assert any("ამბროლაურის" in p.text for p in Document(io.BytesIO(word)).paragraphs)
    assert load_workbook(io.BytesIO(excel)).sheetnames
    assert not [m for m in smtp.handler.to(ADDRESSES[OTHER]) if "ანგარიში" in m.subject]


async def test_a_failed_delivery_is_retried_and_logged_without_the_password(env, smtp, caplog):
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    outbox = EmailOutbox(settings, wait=0.01)
    smtp.handler.fail_next = 2
    with caplog.at_level(logging.INFO):
        sent = await outbox.post(ADDRESSES[HOME], ["<b>ტესტი</b>"], html=True, subject="ტესტი")
    assert sent is Delivery.SENT and smtp.handler.attempts == 3
    wrong = EmailOutbox(
        settings.model_copy(update={"smtp_password": SecretStr("wrong")}), wait=0.01
    )
    with caplog.at_level(logging.INFO):
        assert await wrong.post(ADDRESSES[HOME], ["x"]) is Delivery.FAILED
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "could not be delivered (SMTPAuthenticationError)" in ours, "not retried"
    assert smtp.handler.attempts == 3
    assert PASSWORD not in caplog.text and ADDRESSES[HOME] not in ours
