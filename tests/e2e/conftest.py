"""Fixtures of the end-to-end tests beyond the shared ones (``tests/conftest.py``)."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.browser import launched
from tests.support.staff import staff_console  # noqa: F401  (the staff console, two municipalities)


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    """Debian's Chromium, for the modules that called ``need_chromium()``."""
    async with launched() as browser:
        yield browser
