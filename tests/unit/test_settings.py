from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config.settings import Settings


def test_defaults_use_an_sqlite_file_in_the_working_directory(monkeypatch):
    for name in ("DATABASE_URL", "TIMEZONE", "MAX_RESPONSES_PER_DAY", "DRAFT_TTL_DAYS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///feedback.db"
    assert str(settings.sqlite_path) == "feedback.db"
    assert settings.timezone == "Asia/Tbilisi"
    assert settings.max_responses_per_day == 3 and settings.draft_ttl_days == 7


def test_env_file_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("MAX_RESPONSES_PER_DAY", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("MAX_RESPONSES_PER_DAY=5\nTELEGRAM_BASE_URL=http://127.0.0.1:8081/bot\n")
    settings = Settings(_env_file=env_file)
    assert settings.max_responses_per_day == 5
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("database_url", "sqlite:///sync.db"),
        ("database_url", "not a url"),
        ("timezone", "Asia/Nowhere"),
        ("max_responses_per_day", "0"),
        ("telegram_base_url", "api.telegram.org/bot"),
    ],
)
def test_invalid_values_are_refused_with_the_setting_named(field, value):
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, **{field: value})
    assert raised.value.errors()[0]["loc"] == (field,)


def test_postgres_database_has_no_sqlite_path():
    settings = Settings(_env_file=None, database_url="postgresql+asyncpg://u:p@127.0.0.1/db")
    assert settings.sqlite_path is None
