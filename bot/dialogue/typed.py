"""What a typed message means where options are offered: the one whose label it is.

Typed text is understood against the ``Prompt`` the citizen was shown (its options and
navigation), never against a rendered message. The prompt says "press a button or type the
answer", so typing an option's or a button's exact label
(``ქალი``, ``ძალიან კმაყოფილი``, ``უკან``; case, spacing, emoji and punctuation ignored)
presses that button, on every channel. A typed digit on a scale stays the scale's digit and
a typed number on a list stays the option's number: the engine decides those, not a label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from bot.dialogue.callbacks import decode
from bot.dialogue.prompt import Prompt
from bot.questionnaire import engine
from bot.questionnaire.cleaning import clean
from bot.questionnaire.masking import mask
from bot.questionnaire.model import Question

_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def spoken(label: str) -> str:
    """A label as typed: letters and digits only, lower case, single spaces (kept for the
    labels seen, which every typed answer compares against)."""
    text = "".join(c for c in label if unicodedata.category(c)[0] != "S")  # emoji, arrows
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class Understood:
    given: engine.Input
    masked: int = 0
    """How many personal details were replaced in a typed free-text answer."""


def labels_of(prompt: Prompt, aliases: Mapping[str, Iterable[str]] = {}) -> dict[str, str]:
    """Typed form -> button data, for every option and navigation of ``prompt``; ``aliases``
    gives other names of an option by its data (a scale's label without its digit, a
    service's full name)."""
    found: dict[str, str] = {}
    for row in (prompt.options, *prompt.navigation):
        for offered in row:
            for name in (offered.label, *aliases.get(offered.data, ())):
                key = spoken(name)
                if key and not key.isdigit():
                    found.setdefault(key, offered.data)
    return found


def understand(
    text: str, question: Question | None, labels: Mapping[str, str], mark: str
) -> Understood:
    """``text`` typed at ``question`` (``None`` at the summary or the list of answers)."""
    if not text.strip().rstrip(".)").isdigit():
        data = labels.get(spoken(text))
        action = decode(data) if data else None
        if isinstance(action, engine.Input):
            return Understood(action)
    if question is not None and question.kind.free_text:
        cleaned = clean(text)  # what is masked and stored; "" is no text, which the engine
        if not cleaned:  # refuses with the text as given, to say which it was
            return Understood(engine.Typed(text))
        masked, count = mask(cleaned, mark)
        return Understood(engine.Typed(masked), count)
    return Understood(engine.Typed(text))
