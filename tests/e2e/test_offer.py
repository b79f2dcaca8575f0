"""QR codes and links that open the questionnaire for a service."""

from __future__ import annotations

import asyncio
import sys

import zxingcpp
from PIL import Image

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env


def decode(path) -> str:
    [found] = zxingcpp.read_barcodes(Image.open(path))
    return found.text


def test_qr_codes_decode_to_the_deep_links_and_sheets_are_printable(settings_env, tmp_path):
    env = process_env({**settings_env, "BOT_USERNAME": "ambrolauri_feedback_bot"})
    out = tmp_path / "qr"
    result = run_cli(["qr", "--out", str(out)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert decode(out / "qr_winter_heating.png") == (
        "https://t.me/ambrolauri_feedback_bot?start=winter_heating"
    )
    assert decode(out / "qr_general.png") == "https://t.me/ambrolauri_feedback_bot"
    assert len(list(out.glob("qr_*.png"))) == 17 and len(list(out.glob("qr_*.svg"))) == 17
    sheet = (out / "sheet_veterans.pdf").read_bytes()
    assert sheet.startswith(b"%PDF") and len(list(out.glob("sheet_*.pdf"))) == 17
    links = (out / "links.txt").read_text("utf-8")
    assert "https://t.me/ambrolauri_feedback_bot?start=home_care" in links
    assert "შინ მოვლის პროგრამა" in links


async def test_username_is_asked_from_the_bot_api_when_not_configured(
    fake_api, settings_env, tmp_path
):
    out = tmp_path / "qr"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.entry.cli",
        "qr",
        "--out",
        str(out),
        env=process_env(settings_env),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert decode(out / "qr_newborn.png") == "https://t.me/test_feedback_bot?start=newborn"


def test_without_a_username_or_token_the_operator_is_told_what_to_set(settings_env, tmp_path):
    env = process_env(settings_env)
    del env["TELEGRAM_BOT_TOKEN"]
    result = run_cli(["qr", "--out", str(tmp_path / "qr")], env, tmp_path)
    assert result.returncode != 0 and "BOT_USERNAME" in result.stderr


def test_a_sheet_carries_the_messenger_and_the_web_code_named_and_all_sheets_in_one_pdf(
    settings_env, tmp_path
):
    from pypdf import PdfReader

    env = {k: v for k, v in settings_env.items() if k != "TELEGRAM_BOT_TOKEN"}
    env |= {
        "MESSENGER_PAGE_NAME": "ambrolauri.meria",
        "WEB_BASE_URL": "https://feedback.example.ge",
    }
    out = tmp_path / "qr"
    result = run_cli(["qr", "--out", str(out)], process_env(env), tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        decode(out / "qr_winter_heating.png") == "https://m.me/ambrolauri.meria?ref=winter_heating"
    )
    assert decode(out / "qr_winter_heating_web.png") == (
        "https://feedback.example.ge/q/winter_heating"
    )
    assert decode(out / "qr_general_web.png") == "https://feedback.example.ge/"
    sheet = PdfReader(out / "sheet_winter_heating.pdf")
    text = sheet.pages[0].extract_text()
    assert "Facebook Messenger" in text and "ვებგვერდი" in text
    assert "https://feedback.example.ge/q/winter_heating" in text
    everything = PdfReader(out / "sheets_all.pdf")
    assert len(everything.pages) == 17 == len(list(out.glob("sheet_*.pdf")))


def test_qr_without_any_link_configured_says_what_to_set(settings_env, tmp_path):
    env = {k: v for k, v in settings_env.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = run_cli(["qr", "--out", str(tmp_path / "qr")], process_env(env), tmp_path)
    assert result.returncode != 0 and "WEB_BASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
