"""Stored responses -> one pandas frame, a row per response and a column per question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from bot.questionnaire.model import Questionnaire
from reporting.categories import Categoriser
from storage.analysis import Review, StoredResponse

COMMENT = "suggestions"
META = ["response_id", "submitted_on", "channel", "questionnaire_version"]


def to_frame(
    responses: Sequence[StoredResponse],
    questionnaire: Questionnaire,
    categoriser: Categoriser,
    reviews: Mapping[str, Review],
) -> pd.DataFrame:
    """Adds each comment's categories (an analyst's correction wins) and publishability."""
    ids = [q.id for q in questionnaire.questions]
    answers = pd.DataFrame.from_records([r.answers for r in responses], columns=ids)
    frame = pd.DataFrame(
        {
            "response_id": [r.id for r in responses],
            "submitted_on": pd.to_datetime([r.submitted_on for r in responses]),
            "channel": [r.channel for r in responses],
            "questionnaire_version": [r.questionnaire_version for r in responses],
        }
    )
    frame = pd.concat([frame, answers.astype(object)], axis=1)
    comments = frame[COMMENT].where(frame[COMMENT].notna(), None)
    unique = {text: categoriser.categorise(text) for text in comments.dropna().unique()}
    automatic = comments.map(lambda text: unique.get(text, ()) if text else ())
    corrected = frame["response_id"].map(
        lambda rid: reviews[rid].categories if rid in reviews else None
    )
    frame["categories"] = [
        fixed if fixed is not None else auto
        for auto, fixed in zip(automatic, corrected, strict=True)
    ]
    frame["corrected"] = corrected.notna()
    frame["publishable"] = frame["response_id"].map(
        lambda rid: reviews[rid].publishable if rid in reviews else False
    )
    return frame
