"""Google Forms and our own files come in; everything goes out and back unchanged."""

from __future__ import annotations

import asyncio
import secrets
from datetime import date
from pathlib import Path

from storage import open_database
from tests.e2e.test_cli import run_cli
from tests.support.process import process_env

FIXTURES = Path(__file__).parent.parent / "fixtures"


def responses(url: str) -> list[dict]:
    async def read() -> list[dict]:
        database = await open_database(url)
        async with database.analysis() as analysis:
            rows = await analysis.responses_between(date.min, date.max)
        await database.close()
        return [
            {"day": r.submitted_on.isoformat(), "channel": r.channel, "answers": r.answers}
            for r in rows
        ]

    return sorted(asyncio.run(read()), key=lambda r: (r["day"], str(r["answers"])))


def test_google_forms_export_imports_once_and_keeps_no_e_mail(
    settings_env, tmp_path, database_path
):
    env = process_env(settings_env)
    unsaid = run_cli(["import", str(FIXTURES / "google_forms.csv")], env, tmp_path)
    assert unsaid.returncode != 0 and "--channel paper" in unsaid.stderr
    assert len(unsaid.stderr.strip().splitlines()) == 1 and responses(env["DATABASE_URL"]) == []
    imported = ["import", "--channel", "google_forms", str(FIXTURES / "google_forms.csv")]
    first = run_cli(imported, env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "შენახულია 4 ახალი პასუხი; 0 უკვე" in first.stdout
    stored = responses(settings_env["DATABASE_URL"])
    assert [r["day"] for r in stored] == ["2025-07-14", "2025-07-15", "2025-08-02", "2025-08-20"]
    assert {r["channel"] for r in stored} == {"google_forms"}
    newborn = stored[2]["answers"]
    assert newborn["service"] == "newborn" and newborn["gender"] == "undisclosed"
    assert newborn["extra_needs_text"] == "ბავშვის ეტლი გვჭირდებოდა"
    assert (
        stored[0]["answers"]["info_source"] == "staff" and stored[0]["answers"]["documents"] == "3"
    )
    assert stored[3]["answers"]["suggestions"] == '=HYPERLINK("http://example.com")'
    again = run_cli(imported, env, tmp_path)
    assert "შენახულია 0 ახალი პასუხი; 4 უკვე" in again.stdout
    assert len(responses(settings_env["DATABASE_URL"])) == 4
    data = b"".join(p.read_bytes() for p in tmp_path.glob("feedback.db*"))
    assert b'example.com"' not in data.replace(b'HYPERLINK(\\"http://example.com\\")', b"")
    assert b"nino.b" not in data and b"manana@" not in data


def test_file_with_two_bad_rows_stores_nothing_and_names_both(settings_env, tmp_path):
    env = process_env(settings_env)
    bad = ["import", "--channel", "paper", str(FIXTURES / "google_forms_bad.csv")]
    result = run_cli(bad, env, tmp_path)
    assert result.returncode != 0
    assert "სტრიქონი 3" in result.stderr and "მამრობითი" in result.stderr
    assert "სტრიქონი 5" in result.stderr and "ხვალ" in result.stderr
    assert "არაფერი შენახულა" in result.stderr
    assert responses(settings_env["DATABASE_URL"]) == []


def test_dry_run_validates_only(settings_env, tmp_path):
    env = process_env(settings_env)
    args = ["import", "--dry-run", "--channel", "paper", str(FIXTURES / "google_forms.csv")]
    result = run_cli(args, env, tmp_path)
    assert result.returncode == 0 and "4" in result.stdout
    assert responses(settings_env["DATABASE_URL"]) == []


def test_export_then_import_gives_back_the_same_data(settings_env, tmp_path):
    env = process_env(settings_env)
    run_cli(["import", "--channel", "paper", str(FIXTURES / "google_forms.csv")], env, tmp_path)
    original = responses(settings_env["DATABASE_URL"])
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"all.{fmt}"
        exported = run_cli(["export", "--format", fmt, "--out", str(out)], env, tmp_path)
        assert exported.returncode == 0, exported.stderr
        if fmt == "csv":
            raw = out.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")
            assert b"'=HYPERLINK" in raw and "თარიღი".encode() in raw
        fresh = tmp_path / f"fresh_{fmt}.db"
        other = {
            **settings_env,
            "DATABASE_URL": f"sqlite+aiosqlite:///{fresh}",
            "FEEDBACK_SECRET": secrets.token_hex(32),
        }
        back = run_cli(["import", str(out)], process_env(other), tmp_path)
        assert back.returncode == 0, back.stderr
        assert responses(other["DATABASE_URL"]) == original


TRICKY_TEXTS = [
    "'=3+3",
    "=3+3",
    "'ციტატა'",
    "''ორი",
    "-5 ლარი",
    "ხაზი\x0bშუაში\x01და\x1fბოლოს",
    "ახალი\rსტრიქონი\r\nდა\tტაბი",
    "_x0041_ ასე წერს Excel",
    "\ufffeუცნაური",
]


def test_export_then_import_gives_back_texts_exactly_even_quotes_and_control_characters(
    settings_env, tmp_path
):
    async def store() -> None:
        database = await open_database(settings_env["DATABASE_URL"])
        async with database.analysis() as analysis:
            rows = []
            for index, text in enumerate(TRICKY_TEXTS):
                answers = {
                    "service": "veterans",
                    "gender": "male",
                    "info_source": "staff",
                    "awareness": "full",
                    "documents": "4",
                    "satisfaction": "5",
                    "professionalism": "5",
                    "helpfulness": "5",
                    "extra_needs": "yes",
                    "extra_needs_text": text,
                    "suggestions": text[::-1],
                }
                rows.append(
                    (f"h{index}", "social_services_v1", "telegram", answers, date(2025, 7, 1))
                )
            await analysis.add_imported_many(rows)
            await analysis.commit()
        await database.close()

    asyncio.run(store())
    env = process_env(settings_env)
    original = responses(settings_env["DATABASE_URL"])
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"tricky.{fmt}"
        assert (
            run_cli(["export", "--format", fmt, "--out", str(out)], env, tmp_path).returncode == 0
        )
        other = {
            **settings_env,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / f'back_{fmt}.db'}",
            "FEEDBACK_SECRET": secrets.token_hex(32),
        }
        back = run_cli(["import", str(out)], process_env(other), tmp_path)
        assert back.returncode == 0, back.stderr
        assert responses(other["DATABASE_URL"]) == original
