"""Fixtures of the end-to-end tests beyond the shared ones (``tests/conftest.py``)."""

from tests.support.staff import staff_console  # noqa: F401  (the staff console, two municipalities)
