"""``feedback-bot backup``, ``restore`` and ``check`` as an operator runs them: a backup killed
half-way leaves nothing that ``verify`` or ``restore`` would take, and ``check`` says in one
line a thing what is fine and what to put right, on a healthy and on a broken installation."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.application.backup import NAME
from storage import open_database
from tests.conftest import free_port, make_token
from tests.e2e.test_cli import run_cli
from tests.support.fake_bot_api import FakeBotApi
from tests.support.fake_graph_api import PAGE_NAME, FakeGraphApi
from tests.support.process import process_env
from tests.support.smtp import SmtpServer

FILLER_MB = 200
"""Big enough that writing the file takes a while on any machine, so it is caught at it."""


async def big_database(path: Path) -> None:
    """The bot's database, and a table of random bytes beside its own."""
    database = await open_database(f"sqlite+aiosqlite:///{path}")
    await database.close()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (data BLOB)")
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO filler SELECT randomblob(1048576) FROM n",
            (FILLER_MB,),
        )


async def test_a_backup_killed_half_way_leaves_no_file_that_verify_or_restore_takes(tmp_path):
    await big_database(tmp_path / "feedback.db")
    env = process_env(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}",
            "FEEDBACK_SECRET": "cd" * 32,
            "BACKUP_PASSPHRASE": "ზამთრის შეშა",
            "WEB_ENABLED": "false",
        }
    )
    out = tmp_path / "backups"
    writing = subprocess.Popen(
        [sys.executable, "-m", "bot.entry.cli", "backup", "--out", str(out)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and writing.poll() is None:
        partial = [p for p in out.glob(".*.partial.backup") if p.stat().st_size > 1 << 20]
        if partial:
            os.kill(writing.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    writing.wait()
    assert writing.returncode == -signal.SIGKILL, "killed while the file was being written"
    left = [p for p in out.iterdir() if p.is_file() and p.name != ".feedback-backup.lock"]
    assert left and not [p for p in left if NAME.fullmatch(p.name)], "no file under a backup's name"

    empty = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"}
    for path in left:
        verified = run_cli(["backup", "verify", str(path)], env, tmp_path)
        assert verified.returncode == 2 and verified.stderr.startswith("ფაილი არასრულია")
        assert len(verified.stderr.strip().splitlines()) == 1, verified.stderr
        restored = run_cli(["restore", str(path)], empty, tmp_path)
        assert restored.returncode == 2 and restored.stderr.startswith("ფაილი არასრულია")
    assert not (tmp_path / "new.db").exists()

    again = run_cli(["backup", "--out", str(out)], env, tmp_path)
    assert again.returncode == 0, again.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and NAME.fullmatch(names[1]), "the next backup cleared what was left"
    assert names[0] == ".feedback-backup.lock"


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}",
        "WEB_ENABLED": "false",
        "SCHEDULED_JOBS": "false",
    }


async def migrated(tmp_path: Path, revision: str = "head") -> None:
    database = await open_database(sqlite_env(tmp_path)["DATABASE_URL"], migrate=False)
    await database.migrate(revision)
    await database.close()
    secret = tmp_path / "feedback.secret"
    secret.write_text("ab" * 32 + "\n")
    secret.chmod(0o600)


async def test_check_on_a_healthy_installation_is_all_green(tmp_path):
    await migrated(tmp_path)
    (tmp_path / "backups").mkdir()
    token = make_token()
    api = FakeBotApi(token)
    base = await api.start()
    try:
        with SmtpServer(tmp_path, free_port()) as smtp:
            env = {
                **sqlite_env(tmp_path),
                **smtp.env(),
                "STAFF_EMAILS": "social@ambrolauri.gov.ge",
                "TELEGRAM_BOT_TOKEN": token,
                "TELEGRAM_BASE_URL": base,
                "BACKUP_CRON": "30 2 * * *",
                "BACKUP_DIR": str(tmp_path / "backups"),
                "BACKUP_PASSPHRASE": "ზამთრის შეშა",
            }
            checked = await _check(env, tmp_path)
    finally:
        await api.stop()
    lines = checked.stdout.strip().splitlines()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert all(line.startswith("✓") for line in lines[:-1]), lines
    assert any("Telegram (default): ბოტი @" in line for line in lines), lines
    assert any(line.startswith("✓ ელფოსტა (default): 127.0.0.1:") for line in lines), lines
    assert any("ვერსია" in line and "უახლესი" in line for line in lines), lines
    assert lines[-1] == "ყველაფერი რიგზეა."
    assert token not in checked.stdout and "pässwörd" not in checked.stdout


async def test_check_on_a_broken_installation_says_what_to_put_right_and_fails(tmp_path):
    await migrated(tmp_path, "0010")
    (tmp_path / "feedback.secret").chmod(0o644)
    api = FakeBotApi(make_token())  # it knows another bot's token
    base = await api.start()
    try:
        with SmtpServer(tmp_path, free_port()) as smtp:
            env = {
                **sqlite_env(tmp_path),
                **smtp.env(),
                "SMTP_PASSWORD": "not-the-password",
                "STAFF_EMAILS": "social@ambrolauri.gov.ge",
                "TELEGRAM_BOT_TOKEN": make_token(),
                "TELEGRAM_BASE_URL": base,
                "WEB_ENABLED": "true",
                "WEB_BASE_URL": "http://feedback.ambrolauri.gov.ge/",
                "BACKUP_CRON": "30 2 * * *",
                "BACKUP_DIR": str(tmp_path / "feedback.db"),  # a file, not a folder
            }
            checked = await _check(env, tmp_path)
    finally:
        await api.stop()
    lines = checked.stdout.strip().splitlines()
    assert checked.returncode == 1, checked.stdout + checked.stderr
    wrong = [line for line in lines if line.startswith("✗")]
    expected = [
        "ვერსია 0010, უახლესია",  # the database is behind its migrations
        "chmod 600",  # the secret is readable by others
        "BACKUP_DIR (",  # the backups' folder is a file
        "ტოკენი არ მიიღეს (HTTP 401)",  # Telegram refuses the token
        "შესვლაზე უარს ამბობს",  # the mail server refuses the login
        "https://-ით",  # the public address is not https
    ]
    for words in expected:
        assert [line for line in wrong if words in line], (words, lines)
    assert len(wrong) == len(expected), lines
    assert lines[-1] == f"მოსაწესრიგებელია: {len(expected)} (✗)."


async def _check(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run in a thread: the fake Bot API answers on this test's event loop meanwhile."""
    return await asyncio.to_thread(run_cli, ["check"], process_env(env), cwd)


@pytest.fixture(autouse=True)
def _no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)


def tls_files(folder: Path, days: int) -> tuple[Path, Path, Path]:
    """(CA, certificate for 127.0.0.1 valid ``days`` more days, its key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "municipality test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days, hours=12))
        .add_extension(x509.SubjectAlternativeName([address]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "site.pem", folder / "site.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.mark.parametrize(
    ("days", "trusted", "expected"),
    [
        (90, True, "✓ საჯარო მისამართი (default): {url}, სერტიფიკატი მოქმედებს"),
        (5, True, "✗ საჯარო მისამართი (default): {url}-ის სერტიფიკატი 5 დღეში იწურება"),
        (90, False, "✗ საჯარო მისამართი (default): {url}-ის სერტიფიკატი არ მოქმედებს"),
    ],
    ids=["valid", "ending-soon", "unknown-issuer"],
)
async def test_check_reads_the_public_addresses_certificate(tmp_path, days, trusted, expected):
    await migrated(tmp_path)
    ca, certificate, key = tls_files(tmp_path, days)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)

    async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    env = {
        **sqlite_env(tmp_path),
        "WEB_ENABLED": "true",
        "WEB_BASE_URL": f"https://127.0.0.1:{port}/",
        **({"SSL_CERT_FILE": str(ca)} if trusted else {}),  # OpenSSL's trust store for this run
    }
    async with server:
        checked = await _check(env, tmp_path)
    lines = checked.stdout.splitlines()
    url = f"https://127.0.0.1:{port}/"
    assert [line for line in lines if line.startswith(expected.format(url=url))], lines


@pytest.mark.parametrize("known", [True, False], ids=["its-page", "another-token"])
async def test_check_asks_the_graph_api_whose_page_token_it_is(tmp_path, known):
    await migrated(tmp_path)
    token = "EAAG" + "x7" * 30
    graph = FakeGraphApi(token if known else "EAAG" + "y8" * 30)
    env = {
        **sqlite_env(tmp_path),
        "MESSENGER_PAGE_TOKEN": token,
        "MESSENGER_APP_SECRET": "a" * 32,
        "MESSENGER_VERIFY_TOKEN": "verify-me",
        "MESSENGER_MODE": "chat",
        "MESSENGER_GRAPH_URL": await graph.start(),
    }
    try:
        checked = await _check(env, tmp_path)
    finally:
        await graph.stop()
    lines = checked.stdout.splitlines()
    if known:
        assert f"✓ Messenger (default): გვერდი „{PAGE_NAME}“." in lines, lines
    else:
        assert [line for line in lines if line.startswith("✗ Messenger (default): გვერდის")], lines
        assert checked.returncode == 1
    assert token not in checked.stdout


async def test_check_names_the_municipality_file_that_is_wrong_and_lists_the_others(tmp_path):
    await migrated(tmp_path)
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / "marneuli.yaml").write_text(
        "name: {ka: მარნეულის მუნიციპალიტეტი}\n", encoding="utf-8"
    )
    env = {**sqlite_env(tmp_path), "MUNICIPALITIES_DIR": str(folder)}
    healthy = await _check(env, tmp_path)
    assert f"✓ მუნიციპალიტეტი marneuli: {folder / 'marneuli.yaml'}" in healthy.stdout
    (folder / "bolnisi.yaml").write_text(
        "name: {ka: ბოლნისის მუნიციპალიტეტი}\ntimezone: Asia/Tbilsi\n", encoding="utf-8"
    )
    broken = await _check(env, tmp_path)
    [wrong] = [line for line in broken.stdout.splitlines() if line.startswith("✗")]
    assert "bolnisi.yaml" in wrong and "Asia/Tbilsi" in wrong, wrong
    assert broken.returncode == 1 and "Traceback" not in broken.stderr


@pytest.mark.parametrize(
    ("set_to", "error", "expected"),
    [
        ("https://feedback.ambrolauri.gov.ge/telegram", "", "✓ Telegram-ის webhook (default): "),
        ("", "", "– Telegram-ის webhook (default): ჯერ დაყენებული არ არის"),
        ("https://old.example.ge/telegram", "", "✗ Telegram-ის webhook (default): Telegram"),
        (
            "https://feedback.ambrolauri.gov.ge/telegram",
            "SSL error {error:0A000086:SSL routines::certificate verify failed}",
            "✗ Telegram-ის webhook (default): Telegram-მა https://feedback.ambrolauri.gov.ge/",
        ),
    ],
    ids=["set", "not-yet", "elsewhere", "failing"],
)
async def test_check_asks_telegram_where_its_webhook_sends(tmp_path, set_to, error, expected):
    await migrated(tmp_path)
    token = make_token()
    api = FakeBotApi(token)
    api.webhook = {"url": set_to} if set_to else {}
    api.webhook_error = error
    env = {
        **sqlite_env(tmp_path),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": await api.start(),
        "TELEGRAM_WEBHOOK_URL": "https://feedback.ambrolauri.gov.ge/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret-token_for-webhook",
    }
    try:
        checked = await _check(env, tmp_path)
    finally:
        await api.stop()
    lines = checked.stdout.splitlines()
    assert [line for line in lines if line.startswith(expected)], lines
    assert checked.returncode == (1 if expected.startswith("✗") else 0), lines


async def test_check_says_when_the_database_server_cannot_be_reached(tmp_path):
    port = free_port()  # nothing listens there
    env = {
        "DATABASE_URL": f"postgresql+asyncpg://feedback:pw-never-shown@127.0.0.1:{port}/feedback",
        "FEEDBACK_SECRET": "ef" * 32,
        "WEB_ENABLED": "false",
    }
    checked = await _check(env, tmp_path)
    [line] = [line for line in checked.stdout.splitlines() if "127.0.0.1" in line]
    assert line.startswith("✗ ბაზასთან დაკავშირება ვერ მოხერხდა"), line
    assert "pw-never-shown" not in checked.stdout + checked.stderr
    assert checked.returncode == 1


@pytest.mark.parametrize("mode", [0o600, 0o644])
async def test_check_wants_the_settings_file_readable_by_its_owner_only(tmp_path, mode):
    await migrated(tmp_path)
    settings = tmp_path / ".env"
    settings.write_text("".join(f"{k}={v}\n" for k, v in sqlite_env(tmp_path).items()))
    settings.chmod(mode)
    checked = await _check({}, tmp_path)
    first = checked.stdout.splitlines()[0]
    if mode == 0o600:
        assert first == "✓ პარამეტრები წაკითხულია: .env" and checked.returncode == 0
    else:
        assert first.startswith("✗ პარამეტრების ფაილს .env სხვებიც წაიკითხავენ"), first
        assert "chmod 600 .env" in first and checked.returncode == 1
