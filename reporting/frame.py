"""Stored responses -> one pandas frame, a row per response and a column per question."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from bot.questionnaire.model import Questionnaire
from reporting.categories import Categoriser
from reporting.roles import Roles
from storage.analysis import Review, StoredResponse

META = ["response_id", "submitted_on", "channel", "questionnaire_version", "confirmed"]
TEST_CHANNELS = frozenset({"console"})
"""Answers typed in the terminal are trials: no report, digest or export counts them unless
asked to (``--include-test-channels``)."""


def to_frame(
    chunks: Iterable[Sequence[StoredResponse]],
    questionnaire: Questionnaire,
    categoriser: Categoriser,
    reviews: Mapping[str, Review],
) -> pd.DataFrame:
    shared: dict[object, object] = {}
    parts = [chunk_frame(chunk, questionnaire, shared) for chunk in chunks]
    return finish_frame(parts, questionnaire, categoriser, reviews)


def finish_frame(
    parts: list[pd.DataFrame],
    questionnaire: Questionnaire,
    categoriser: Categoriser,
    reviews: Mapping[str, Review],
    others: Mapping[str, Mapping[str, Review]] | None = None,
) -> pd.DataFrame:
    """Adds each comment's categories (an analyst's correction wins), whether an analyst should
    look at them (an unsure automatic verdict), and publishability; the same for each other
    free text, the described need and a loaded form's others (``others``: their reviews by
    question name), each its own, in columns named by ``reviewed``: publishing one text never
    publishes another of the same person."""
    ids = [q.id for q in questionnaire.answerable()]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=META + ids)
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    roles = Roles.of(questionnaire)
    _assess(frame, roles.suggestions, categoriser, reviews, "")
    for name in roles.reviewed_fields:
        sorter = categoriser.of_text(name, roles.needs)  # a need has categories of its own
        _assess(frame, name, sorter, (others or {}).get(name, {}), name)
    return frame


def reviewed(column: str, field: str) -> str:
    """The frame's column of a free text's ``categories``, ``corrected``, ``needs_look`` or
    ``publishable``: plain for the main comment, ``extra_needs_text@categories`` for another."""
    return f"{field}@{column}" if field else column


def _assess(
    frame: pd.DataFrame,
    question: str | None,
    categoriser: Categoriser,
    reviews: Mapping[str, Review],
    field: str,
) -> None:
    comments = _texts(frame, question)
    unique = categoriser.assess_all(comments.dropna().unique())
    verdicts = comments.map(lambda text: unique.get(text) if text else None)
    automatic = verdicts.map(lambda verdict: verdict.categories if verdict else ())
    corrected = frame["response_id"].map(
        lambda rid: reviews[rid].categories if rid in reviews else None
    )
    frame[reviewed("categories", field)] = [
        fixed if fixed is not None else auto
        for auto, fixed in zip(automatic, corrected, strict=True)
    ]
    fixed_by_hand = corrected.notna()
    frame[reviewed("corrected", field)] = fixed_by_hand
    frame[reviewed("needs_look", field)] = [
        bool(verdict and verdict.needs_look) and not fixed
        for verdict, fixed in zip(verdicts, fixed_by_hand, strict=True)
    ]
    frame[reviewed("publishable", field)] = frame["response_id"].map(
        lambda rid: reviews[rid].publishable if rid in reviews else False
    )


def _texts(frame: pd.DataFrame, question: str | None) -> pd.Series:
    """A free-text column with ``None`` for no answer (and for a form without the question)."""
    if question is None or question not in frame:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame[question].where(frame[question].notna(), None)


def confirmed_count(frame: pd.DataFrame) -> int:
    """Forms begun with a desk slip (or typed in from paper); the rest are open."""
    if "confirmed" not in frame or frame.empty:
        return 0
    return int(frame["confirmed"].astype(bool).sum())


def without_test_channels(frame: pd.DataFrame) -> pd.DataFrame:
    kept = ~frame["channel"].isin(TEST_CHANNELS)
    return frame if kept.all() else frame[kept].reset_index(drop=True)


def chunk_frame(
    chunk: Sequence[StoredResponse], questionnaire: Questionnaire, shared: dict[object, object]
) -> pd.DataFrame:
    """Codes repeat a million times: one string object per distinct value keeps memory flat."""
    data: dict[str, list[object]] = {
        "response_id": [r.id for r in chunk],
        "submitted_on": [r.submitted_on for r in chunk],
        "channel": [shared.setdefault(r.channel, r.channel) for r in chunk],
        "questionnaire_version": [
            shared.setdefault(r.questionnaire_version, r.questionnaire_version) for r in chunk
        ],
        "confirmed": [r.confirmed for r in chunk],
    }
    for question in questionnaire.answerable():
        values = [r.answers.get(question.id) for r in chunk]
        if question.kind.buttons:
            values = [shared.setdefault(v, v) for v in values]
        data[question.id] = values
    return pd.DataFrame(data, dtype=object)
