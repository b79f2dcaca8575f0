"""A week that departs from the municipality's normal: a burst on one channel, many forms
alike. Staff see the figures in the digest; nothing is ever dropped or changed.

An open questionnaire can be stuffed by anyone patient enough, however it is limited (one
address sends at most ``WEB_FORMS_PER_HOUR``, 144 a day); what must never happen is that a
stuffed week reads like any other. Load (``weekly_counts``) -> pure figures (``unusual``);
the digest renders them.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd

from bot.questionnaire.model import Questionnaire
from bot.questionnaire.periods import Period
from reporting.frame import TEST_CHANNELS
from storage import Database
from storage.analysis import VersionScope

HISTORY_WEEKS = 8
FLOOR = 10
"""A channel's week is a burst only above this many forms, whatever its normal: with little
history (a new installation, a quiet channel) the normal is near zero."""
CHANCE = 0.001
"""…and above the count a Poisson week of its normal (the median of the previous
``HISTORY_WEEKS``) would reach less often than this: for a normal of 7, more than 16."""
MARGIN = 1.5
"""…and above this many times its normal: large counts vary more than by chance alone (a
letter sent, a programme's deadline), so a busy channel is not flagged every week."""
ALIKE_WITH_TEXT = 3
"""Forms alike in every answer (a typed text included, and the same): this many is no
coincidence."""
ALIKE_SHARE = 0.25
ALIKE_WITHOUT_TEXT = 5
"""Identical forms with no text (everyone may choose "very good"): at least this many, and
at least ``ALIKE_SHARE`` of the week."""
NEAR = 2
"""Forms with the same typed texts that differ in at most this many other answers are
nearly identical: a script that draws one or two scales at random is still seen."""


@dataclass(frozen=True)
class Burst:
    channel: str
    count: int
    normal: float
    """The median of the channel's previous weeks."""
    limit: int = 0
    """The most forms a week of that normal is taken to reach (flagged above it)."""


@dataclass(frozen=True)
class Alike:
    forms: int
    """Forms that have at least one identical twin in the week."""
    largest: int
    """The largest group of identical forms."""
    near: int = 0
    """Forms with a typed text that have a nearly identical twin (``NEAR``)."""
    near_largest: int = 0


@dataclass(frozen=True)
class Unusual:
    bursts: tuple[Burst, ...] = ()
    alike: Alike | None = None

    def __bool__(self) -> bool:
        return bool(self.bursts or self.alike)


def burst_limit(normal: float) -> int:
    """The most forms a week of ``normal`` counts as ordinary (``FLOOR``, ``CHANCE``,
    ``MARGIN``)."""
    return max(FLOOR, _poisson_limit(max(normal, 1.0)), math.floor(MARGIN * normal))


def _poisson_limit(mean: float) -> int:
    """The largest k with P(X >= k) >= ``CHANCE`` for X ~ Poisson(mean), less one."""
    term = total = math.exp(-mean)
    k = 0
    while 1.0 - total >= CHANCE:  # 1 - total = P(X > k)
        k += 1
        term *= mean / k
        total += term
    return k


def normalised(text: object) -> object:
    """One comparable form of an answer: case, spaces and punctuation do not make two
    typed texts different; codes and numbers stay as they are."""
    if isinstance(text, str):
        folded = unicodedata.normalize("NFKC", text).casefold()
        return " ".join(re.sub(r"[^\w\s]", " ", folded).split())
    if isinstance(text, list | tuple):
        return tuple(normalised(part) for part in text)
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return text


def unusual(
    frame: pd.DataFrame, questionnaire: Questionnaire, history: Mapping[str, Sequence[int]]
) -> Unusual:
    """``history``: each channel's forms in each of the previous weeks (zeros included)."""
    return Unusual(_bursts(frame, history), _alike(frame, questionnaire))


def _bursts(frame: pd.DataFrame, history: Mapping[str, Sequence[int]]) -> tuple[Burst, ...]:
    found = []
    for channel, count in frame["channel"].value_counts().items():
        weeks = history.get(str(channel), ())
        normal = float(statistics.median(weeks)) if weeks else 0.0
        limit = burst_limit(normal)
        if count > limit:
            found.append(Burst(str(channel), int(count), normal, limit))
    return tuple(found)


def _alike(frame: pd.DataFrame, questionnaire: Questionnaire) -> Alike | None:
    columns = [q.id for q in questionnaire.questions if q.id in frame]
    texts = [q.id for q in questionnaire.questions if q.kind.free_text and q.id in frame]
    if frame.empty or not columns:
        return None
    keys = [tuple(normalised(v) for v in row) for row in frame[columns].itertuples(index=False)]
    typed = [any(isinstance(v, str) and v for v in row) for row in frame[texts].values.tolist()]
    groups = Counter(keys)
    with_text = {k for k, t in zip(keys, typed, strict=True) if t}
    twins = sum(n for n in groups.values() if n > 1)
    largest = max(groups.values())
    largest_typed = max((n for k, n in groups.items() if k in with_text), default=0)
    exact = largest_typed >= ALIKE_WITH_TEXT or (
        largest >= ALIKE_WITHOUT_TEXT and twins >= ALIKE_SHARE * len(frame)
    )
    text_at = [i for i, c in enumerate(columns) if c in texts]
    typed_keys = [k for k, t in zip(keys, typed, strict=True) if t]
    clusters = _near_clusters(typed_keys, text_at)
    near = sum(n for n in clusters if n > 1)
    near_largest = max(clusters, default=0)
    if exact or near_largest >= ALIKE_WITH_TEXT:
        return Alike(twins, largest, near, near_largest)
    return None


def _near_clusters(keys: Sequence[tuple[object, ...]], text_at: Sequence[int]) -> list[int]:
    """Sizes of the groups of forms linked by being nearly identical: the same texts, and
    at most ``NEAR`` other answers apart. Each form is filed under its answers with every
    choice of ``NEAR`` other answers left out; two forms that share a filing are near
    (a few dozen filings a form, never a comparison of every pair)."""
    others = [i for i in range(len(keys[0]) if keys else 0) if i not in text_at]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[object, ...], int] = {}
    for left_out in itertools.combinations(others, min(NEAR, len(others))):
        for n, key in enumerate(keys):
            filed = (left_out, *(v for i, v in enumerate(key) if i not in left_out))
            seen = first.setdefault(filed, n)
            parent[root(n)] = root(seen)
    return list(Counter(root(n) for n in range(len(keys))).values())


async def weekly_counts(
    database: Database,
    week: Period,
    include_test_channels: bool = False,
    municipality: str | None = None,
    scope: VersionScope | None = None,
) -> dict[str, list[int]]:
    """Each channel's forms in each of the ``HISTORY_WEEKS`` weeks before ``week``."""
    first = week.start - timedelta(weeks=HISTORY_WEEKS)
    counts: dict[str, list[int]] = {}
    async with database.analysis(municipality) as analysis:
        chunks = analysis.responses_in_chunks(first, week.start - timedelta(days=1), scope=scope)
        async for chunk in chunks:
            for response in chunk:
                if response.channel in TEST_CHANNELS and not include_test_channels:
                    continue
                weeks = counts.setdefault(response.channel, [0] * HISTORY_WEEKS)
                weeks[(response.submitted_on - first).days // 7] += 1
    return counts
