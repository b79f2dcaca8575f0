"""The public report prints a scale's share and mean under a table that hides counts
whenever they give nothing hidden away, and withholds them when they would."""

from __future__ import annotations

import re
from datetime import timedelta

from storage import open_database
from tests.integration.test_report_seed import make
from tests.support import seed_000

HIDDEN = "საჯარო ვერსიაში დადებითი პასუხების წილი და საშუალო შეფასება არ არის ნაჩვენები"


async def public_page(tmp_path, satisfaction: list[int]) -> str:
    database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    base = seed_000.answers()[0]
    async with database.transaction() as tx:
        n = 0
        for score, count in enumerate(satisfaction, start=1):
            for _ in range(count):
                day = seed_000.PERIOD.start + timedelta(days=n % 60)
                await tx.responses.add(
                    "social_services_v1", "paper", {**base, "satisfaction": str(score)}, day
                )
                n += 1
        await tx.commit()
    files = await make(database, tmp_path, public=True)
    await database.close()
    text = re.sub(r"<[^>]+>", " ", files[".html"].read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", text)


def satisfaction_part(page: str) -> str:
    start = page.index("6. რამდენად კმაყოფილი")
    return page[start : page.index("7. ", start)]


async def test_the_share_and_mean_are_printed_when_the_rounding_keeps_the_small_counts_open(
    tmp_path,
):
    """1 and 2 of 83 chose "1" and "2" (or 2 and 1: the mean 4.3 and 84% fit both)."""
    part = satisfaction_part(await public_page(tmp_path, [1, 2, 10, 30, 40]))
    assert "&lt;3" in part or "<3" in part
    assert "84%" in part and "საშუალო შეფასება: 4.3" in part and HIDDEN not in part


async def test_the_share_and_mean_are_withheld_when_they_would_give_a_small_count_away(
    tmp_path,
):
    """Of 15, the mean 3.7 holds only for 1 × "1" and 2 × "2" (the other way it is 3.6)."""
    part = satisfaction_part(await public_page(tmp_path, [1, 2, 3, 4, 5]))
    assert HIDDEN in part and "3.7" not in part
