"""One-use codes printed on the slips staff hand out at the desk (pure: no I/O).

A code is random (``secrets``), eight characters from an alphabet without look-alikes
(no 0/O, 1/I/L, 5/S, 8/B, 2/Z), so an elderly person can type it when the QR code fails;
it is tied to no person and no moment. A link carries it after the link's own payload:
``winter_heating---K7MXQ9PA`` (Telegram allows ``A-Za-z0-9_-`` in a deep link, and
``---`` is in no service code or form name), the web page as ``/q/<service>?c=K7MXQ9PA``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""25 characters that no print or hand makes into another: 25**8 ≈ 1.5e11 codes."""
LENGTH = 8
SEPARATOR = "---"
SLIP = "@slip"
"""Where a draft begun with a slip keeps "confirmed": never which slip, and never a
question, so ``engine.final_answers`` never stores it."""
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_SPACING = re.compile(r"[\s\-–.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_codes(count: int) -> list[str]:
    """``count`` distinct codes."""
    found: dict[str, None] = {}
    while len(found) < count:
        found[new_code()] = None
    return list(found)


def normalise(text: str) -> str | None:
    """The code a person typed or a link carried (any case, spaces or dashes between the
    halves), or ``None`` when it is not one."""
    cleaned = _SPACING.sub("", text.strip()).upper()
    return cleaned if _SHAPE.match(cleaned) else None


def spaced(code: str) -> str:
    """As printed: two halves of four, easier to read aloud and to type."""
    return f"{code[:4]} {code[4:]}"


def split(payload: str | None) -> tuple[str | None, str | None]:
    """A link's own payload and the code it carries (``None``: none). A payload whose tail
    is not a code keeps it: the link is then answered as any unknown link is."""
    if not payload or SEPARATOR not in payload:
        return payload, None
    head, _, tail = payload.rpartition(SEPARATOR)
    code = normalise(tail)
    if code is None:
        return payload, None
    return head or None, code


def join(payload: str | None, code: str) -> str:
    """The payload of a link that carries ``code``."""
    return f"{payload or ''}{SEPARATOR}{code}"


CLAIMED = "claimed"
USED = "used"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Claim:
    """What using a code found: ``claimed`` (this questionnaire's now), ``used`` (before),
    ``unknown`` (no such slip here); ``service``: the slip's, when it is known."""

    outcome: str
    service: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.outcome == CLAIMED
