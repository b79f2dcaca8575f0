"""The weekly digest: right figures, Georgian, escaped, split, and delivered despite 429s."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_digest_for_a_week_has_its_figures_in_plain_text(settings_env, tmp_path):
    env = process_env(settings_env)
    run_cli(
        ["import", "--channel", "google_forms", str(FIXTURES / "google_forms.csv")], env, tmp_path
    )
    result = run_cli(["digest", "--week", "2025-W29", "--print"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "14.07.2025 – 20.07.2025" in text
    assert "პასუხები: 2 (წინა კვირას — 0)" in text
    assert "ვებ-ბმული (Google Forms): 2" in text
    assert "ზამთრის თბობა: 1" in text and "ვეტერანები: 1" in text
    assert "კმაყოფილება: 4.5 (—)" in text
    assert "დაბალი კმაყოფილება (1–2): არ არის" in text
    assert "თანხა გაზარდეთ, შეშა ძვირია" in text and "დახმარების თანხის გაზრდა" in text
    assert "/paper" in text
    later = run_cli(["digest", "--week", "2025-W34", "--print"], env, tmp_path).stdout
    assert "⚠️ დაბალი კმაყოფილება (1–2): 1" in later


async def test_the_terminal_digest_has_no_tags_and_the_sent_one_keeps_telegram_html(
    fake_api, settings_env, tmp_path
):
    """The same digest: in the terminal, a citizen's text as they typed it; to Telegram,
    escaped inside its HTML."""
    env = process_env({**settings_env, "STAFF_CHAT_IDS": "-100111"})
    forms = ["import", "--channel", "google_forms", str(FIXTURES / "google_forms.csv")]
    assert (await asyncio.to_thread(run_cli, forms, env, tmp_path)).returncode == 0
    week = ["digest", "--week", "2025-W34"]
    printed = await asyncio.to_thread(run_cli, [*week, "--print"], env, tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert '=HYPERLINK("http://example.com")' in printed.stdout
    assert not any(mark in printed.stdout for mark in ("<b>", "</i>", "&quot;", "&lt;", "&amp;"))
    sent = await asyncio.to_thread(run_cli, [*week, "--send"], env, tmp_path)
    assert sent.returncode == 0, sent.stderr
    html = "".join(c.params["text"] for c in fake_api.sent(-100111) if c.result_id)
    assert "=HYPERLINK(&quot;http://example.com&quot;)" in html
    assert "⚠️ დაბალი კმაყოფილება (1–2): <b>1</b>" in html


def test_long_digest_is_split_between_lines_under_the_telegram_limit():
    from reporting.digest import split

    lines = [f"• <i>{'ა' * 200}</i> {n}" for n in range(60)]
    messages = split(lines)
    assert len(messages) > 1 and all(len(m) <= 4096 for m in messages)
    assert all(m.count("<i>") == m.count("</i>") for m in messages)
    assert sum(m.count("•") for m in messages) == 60


def test_weeks_parse_and_last_week_is_the_previous_monday_to_sunday():
    from reporting.digest import last_week, parse_week

    assert parse_week("2025-W36").start == date(2025, 9, 1)
    assert last_week(date(2025, 9, 9)) == parse_week("2025-W36")
    assert last_week(date(2025, 9, 8)) == parse_week("2025-W36")


async def test_send_reaches_staff_chats_after_a_429_and_skips_a_blocked_one(
    fake_api, settings_env, tmp_path
):
    fake_api.blocked.add(-100222)
    fake_api.too_many = 1
    fake_api.server_errors = 1
    env = process_env({**settings_env, "STAFF_CHAT_IDS": "-100111,-100222,-100333"})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.entry.cli",
        "digest",
        "--week",
        "2025-W36",
        "--send",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, stderr.decode()
    assert stdout.decode().strip() == "2"
    for chat in (-100111, -100333):
        [call] = [c for c in fake_api.sent(chat) if c.result_id]
        assert "კვირის მიმოხილვა" in call.params["text"] and call.params["parse_mode"] == "HTML"
    assert fake_api.too_many == 0 and fake_api.server_errors == 0  # both met and retried
    assert "-100222" not in stderr.decode()
