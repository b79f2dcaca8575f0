"""What the web limits cost per request as distinct addresses pile up (a flood from many
addresses, or IPv6 ones), and how many they hold.

    python bench/web_limits.py

Prints, after each 20,000 new addresses within the minute, the microseconds one page-view
check and one form reservation take, and the entries held (capped at ``MAX_KEYS``).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.web.limits import MAX_KEYS, FormLimit, RequestBudget

STEP = 20_000


def main() -> None:
    logging.disable(logging.WARNING)
    budget, forms = RequestBudget(), FormLimit(6)
    print(f"MAX_KEYS {MAX_KEYS:,}")
    for round_ in range(1, 9):
        start = time.perf_counter()
        for n in range((round_ - 1) * STEP, round_ * STEP):
            address = f"10.{n >> 16}.{n >> 8 & 255}.{n & 255}"
            budget.wait(address)
            if not forms.reserve(address):
                forms.settle(address, sent=True)
        each = (time.perf_counter() - start) / STEP * 1e6
        print(
            f"{round_ * STEP:>8,} addresses: {each:6.1f} µs per request (view + form), "
            f"{len(budget):,} held"
        )


if __name__ == "__main__":
    main()
