"""The drafts a PostgreSQL process keeps to spare the next answer a read: only for a while,
and only so many (they are people's answers)."""

from __future__ import annotations

from storage.turns.recent_drafts import RecentDrafts

ROW = ("v1", "gender", {"service": "funeral"}, None)


def test_a_kept_draft_is_forgotten_an_hour_after_its_last_save() -> None:
    now = [0.0]
    recent = RecentDrafts(longest=3600, clock=lambda: now[0])
    recent.keep("a", "101", ROW)
    now[0] = 1800
    recent.keep("b", "102", ROW)
    recent.keep("a", "103", ROW)  # saved again: kept from now
    now[0] = 3601
    assert recent.get("a") == ("103", ROW) and recent.get("b") == ("102", ROW)
    now[0] = 5401
    assert recent.get("a") is None and recent.get("b") is None and len(recent) == 0


def test_no_more_drafts_are_kept_than_allowed_the_least_recently_saved_go() -> None:
    recent = RecentDrafts(most=2)
    recent.keep("a", "1", ROW)
    recent.keep("b", "2", ROW)
    recent.keep("a", "3", ROW)
    recent.keep("c", "4", ROW)
    assert recent.get("b") is None and recent.get("a") == ("3", ROW) and len(recent) == 2
    recent.forget("a")
    assert recent.get("a") is None
