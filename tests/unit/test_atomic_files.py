"""A file killed half-way is never left under its final name."""

from __future__ import annotations

import pytest

from bot.common import atomic


def test_a_write_that_fails_half_way_leaves_no_file_and_no_leftovers(tmp_path):
    final = tmp_path / "report_2025Q1.xlsx"
    with pytest.raises(OSError), atomic.written(final) as temporary:
        temporary.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_an_old_file_stays_whole_until_the_new_one_is_complete(tmp_path):
    final = tmp_path / "links.txt"
    final.write_text("old")
    with atomic.written(final) as temporary:
        temporary.write_text("new")
        assert final.read_text() == "old" and temporary.suffix == ".txt"
    assert final.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["links.txt"]


def test_the_report_writes_each_file_whole(tmp_path, monkeypatch):
    """The renderer dies in the middle of the Excel file (as under kill -9): no report file
    is left under its final name."""
    from reporting import build, render

    def dies_half_way(report, path):
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise MemoryError

    class Composer:
        public = False

    def compose(composer, inputs):
        return object()  # what the (failing) renderer is given does not matter here

    class Inputs:
        class period:
            label = "2025Q1"

    monkeypatch.setattr(render, "xlsx", dies_half_way)
    monkeypatch.setattr(build, "compose", compose)
    with pytest.raises(MemoryError):
        build.write(Composer(), Inputs(), ["xlsx"], tmp_path)
    assert list(tmp_path.iterdir()) == []
