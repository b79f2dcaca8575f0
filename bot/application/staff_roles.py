"""The staff's roles: who may open which page of the console (``bot.staff.guard``) and
which sign-in needs a second factor (an admin's)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    CLERK = "clerk"
    VIEWER = "viewer"
    NATIONAL = "national"


ROLES = tuple(Role)
