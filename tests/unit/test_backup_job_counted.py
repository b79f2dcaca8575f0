"""A scheduled backup that fails is counted as a failed job (the alert on failing jobs
fires), and the minute's upkeep failing does not skip it."""

from __future__ import annotations

import pytest

from bot.entry import runner


class Jobs:
    def __init__(self, said: list[tuple[str, bool]]) -> None:
        self.said = said
        self.runtime = Place()

    async def tick(self, purge: bool) -> None:
        return None

    async def recorded(self, job, work):
        try:
            result = await work
        except Exception:
            self.said.append((job, True))
            raise
        self.said.append((job, False))
        return result


class Settings:
    web_enabled = False  # no results pages to prepare


class Place:
    code = "home"
    settings = Settings()


class Runtime:
    code = "home"

    def __init__(self, upkeep_fails: bool) -> None:
        self.upkeep_fails = upkeep_fails

    async def purge(self) -> None:
        if self.upkeep_fails:
            raise OSError("the database went away")


@pytest.mark.parametrize("upkeep_fails", [False, True])
async def test_a_failed_scheduled_backup_is_counted_as_a_failed_job(monkeypatch, upkeep_fails):
    async def disk_full(runtime):
        raise OSError("no space left on device")

    monkeypatch.setattr(runner, "backup_tick", disk_full)
    said: list[tuple[str, bool]] = []
    try:
        await runner._tick_all(Runtime(upkeep_fails), [Jobs(said)], set())
    except OSError:
        assert upkeep_fails  # the upkeep's own failure still reaches the caller, as before
    assert ("backup", True) in said
