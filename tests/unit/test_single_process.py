"""The lock beside an SQLite file: held while the bot runs, gone after, never another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.wiring.single_process import AlreadyRunning, sole_process


def test_the_lock_file_is_there_while_running_and_gone_after_a_clean_stop(tmp_path: Path):
    database = tmp_path / "feedback.db"
    lock = tmp_path / "feedback.db.lock"
    with sole_process(database):
        assert lock.exists()
    assert not lock.exists()


def test_a_second_process_is_refused_and_leaves_the_first_ones_lock(tmp_path: Path):
    database = tmp_path / "feedback.db"
    with sole_process(database):
        with pytest.raises(AlreadyRunning), sole_process(database):
            pass
        assert (tmp_path / "feedback.db.lock").exists(), "still the first one's"
        with pytest.raises(AlreadyRunning), sole_process(database):
            pass  # and still held


def test_a_lock_file_made_anew_by_another_bot_is_not_removed_at_our_stop(tmp_path: Path):
    """Someone deleted our lock file by hand and a second bot started with its own: our stop
    leaves theirs, which still keeps a third one out."""
    database = tmp_path / "feedback.db"
    lock = tmp_path / "feedback.db.lock"
    with sole_process(database):
        lock.unlink()
        with sole_process(database):
            pass  # the other bot's turn ends; its own file goes with it
        second = sole_process(database)
        second.__enter__()
    try:
        assert lock.exists(), "the second bot's lock outlives our stop"
        with pytest.raises(AlreadyRunning), sole_process(database):
            pass
    finally:
        second.__exit__(None, None, None)
    assert not lock.exists()
