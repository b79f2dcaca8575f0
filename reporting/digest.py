"""The weekly digest for staff: Telegram HTML, citizen text escaped, within 4,096 characters.

A week that departs from the municipality's normal (``reporting.anomaly``) is flagged at the
top with its figures, and says that nothing was dropped; the same text sent many times is
one line with its count, so a stuffed week cannot bury the others' words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Questionnaire
from bot.questionnaire.periods import Period, PeriodError
from bot.questionnaire.periods import last_week as last_week
from reporting import metrics
from reporting.anomaly import Unusual, normalised
from reporting.categories import Categoriser
from reporting.frame import confirmed_count
from reporting.roles import Roles

WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
LIMIT = 4096
COMMENTS_SHOWN = 10


def parse_week(text: str) -> Period:
    match = WEEK.match(text)
    if not match:
        raise PeriodError(f"not an ISO week like 2025-W36: {text!r}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as error:
        raise PeriodError(str(error)) from None
    return Period(monday, monday + timedelta(days=6))


@dataclass(frozen=True)
class DigestWriter:
    questionnaire: Questionnaire
    words: Locale
    texts: Locale
    categoriser: Categoriser
    headline: str = "all"
    """``HEADLINE_COUNTS``: ``confirmed`` leads with the forms begun with a desk slip."""

    def t(self, key: str, **values: object) -> str:
        return self.texts.t(f"digest.{key}", **values)

    @property
    def roles(self) -> Roles:
        return Roles.of(self.questionnaire)

    def messages(
        self,
        week: Period,
        frame: pd.DataFrame,
        previous: pd.DataFrame,
        unusual: Unusual | None = None,
    ) -> list[str]:
        """The digest, split between whole lines into messages Telegram accepts."""
        lines = [
            self.t("title", start=_day(week.start), end=_day(week.end)),
            *self._headline(frame, previous),
            *self._unusual(unusual),
            self.t("mixed"),
            "",
            self.t("by_channel"),
            *self._counts(frame["channel"], self._channel),
            "",
            *self._services(frame),
            self.t("averages"),
            *self._averages(frame, previous),
            "",
            self._low_scores(frame),
            "",
            *self._comments(frame),
            "",
            *self._needs(frame),
            "",
            *self._others(frame),
            self.t("reminder"),
        ]
        return split(lines)

    def _headline(self, frame: pd.DataFrame, previous: pd.DataFrame) -> list[str]:
        """How many forms came, and how many of them were confirmed at the desk (a slip, or
        paper typed in) and how many open; ``headline`` says which leads."""
        confirmed, before = confirmed_count(frame), confirmed_count(previous)
        unconfirmed = len(frame) - confirmed
        if self.headline == "confirmed":
            return [
                self.t("responses_confirmed", confirmed=confirmed, previous=before),
                self.t("all_open", count=len(frame), open=unconfirmed),
            ]
        return [
            self.t("responses", count=len(frame), previous=len(previous)),
            self.t("confirmed_open", confirmed=confirmed, open=unconfirmed),
        ]

    def _unusual(self, unusual: Unusual | None) -> list[str]:
        """The week's departures from the normal, with their figures; every form counted."""
        if not unusual:
            return []
        lines = ["", self.t("unusual")]
        for burst in unusual.bursts:
            name, normal = self._channel(burst.channel), f"{burst.normal:g}"
            lines.append(
                self.t("burst", channel=name, count=burst.count, normal=normal, limit=burst.limit)
            )
        alike = unusual.alike
        if alike is not None and alike.forms:
            lines.append(self.t("alike", count=alike.forms, largest=alike.largest))
        if alike is not None and alike.near > alike.forms:
            lines.append(self.t("near", count=alike.near, largest=alike.near_largest))
        return [*lines, self.t("nothing_dropped"), ""]

    def _channel(self, code: str) -> str:
        key = f"channels.{code}"
        return self.texts.t(key) if self.texts.has(key) else html.escape(code)

    def _counts(self, column: pd.Series, name: object) -> list[str]:
        counts = column.dropna().value_counts()
        if counts.empty:
            return [self.t("none")]
        return [f"{name(code)}: {int(n)}" for code, n in counts.items()]  # type: ignore[operator]

    def _averages(self, frame: pd.DataFrame, previous: pd.DataFrame) -> list[str]:
        lines = []
        for question in self.questionnaire.questions:
            if not question.kind.scored:
                continue
            now = metrics.distribution(frame, question).mean
            before = metrics.distribution(previous, question).mean
            lines.append(
                self.t(
                    "average_line",
                    title=self.words.t(f"questions.{question.id}.title"),
                    value=_mean(now),
                    previous=_mean(before),
                )
            )
        return lines

    def _services(self, frame: pd.DataFrame) -> list[str]:
        service = self.roles.service
        if service is None or service not in frame:
            return []
        name = lambda code: self.words.t(f"options.{service}.{code}")  # noqa: E731
        return [self.t("by_service"), *self._counts(frame[service], name), ""]

    def _low_scores(self, frame: pd.DataFrame) -> str:
        """The two lowest points of the satisfaction scale (1–2 on the social-services form)."""
        question = self.questionnaire.with_role("satisfaction")
        if question is None or question.id not in frame:
            return self.t("no_low_scores")
        lowest = sorted(question.options, key=int)[:2]
        low = int(frame[question.id].isin(lowest).sum())
        return self.t("low_scores", count=low) if low else self.t("no_low_scores")

    def _comments(self, frame: pd.DataFrame) -> list[str]:
        column = self.roles.suggestions
        if column is None or column not in frame:
            return [self.t("no_comments")]
        texts = frame[frame[column].map(lambda t: isinstance(t, str) and bool(t)).astype(bool)]
        if texts.empty:
            return [self.t("no_comments")]
        lines = [self.t("comments", count=len(texts))]
        unsure = texts["needs_look"].astype(bool)
        if unsure.any():
            lines.append(self.t("needs_look", count=int(unsure.sum())))
        texts = pd.concat([texts[unsure], texts[~unsure]])  # the unsure ones first
        return lines + self._grouped(texts, column, "categories", "needs_look")

    def _others(self, frame: pd.DataFrame) -> list[str]:
        """A loaded form's other free texts, each with its categories, the unsure first."""
        from reporting.frame import reviewed

        lines: list[str] = []
        for name in self.roles.others:
            if name not in frame:
                continue
            texts = frame[frame[name].map(lambda t: isinstance(t, str) and bool(t)).astype(bool)]
            if texts.empty:
                continue
            title = html.escape(self.words.t(f"questions.{name}.title"))
            lines.append(self.t("texts", title=title, count=len(texts)))
            unsure = texts[reviewed("needs_look", name)].astype(bool)
            texts = pd.concat([texts[unsure], texts[~unsure]])
            found, look = reviewed("categories", name), reviewed("needs_look", name)
            lines += self._grouped(texts, name, found, look)
            lines.append("")
        return lines

    def _line(
        self,
        text: str,
        found: tuple[str, ...],
        unsure: bool,
        times: str = "",
        labels: Mapping[str, str] | None = None,
    ) -> str:
        """One text, cut at 300 characters, with its categories (❓ when unsure) and how
        many times it was sent, when more than once; ``labels``: the needs' own."""
        shown = html.escape(text if len(text) <= 300 else text[:300] + "…") + times
        labels = self.categoriser.labels if labels is None else labels
        categories = html.escape(", ".join(labels.get(c, c) for c in found))
        mark = self.t("needs_look_mark") if unsure else ""
        return self.t("comment_line", mark=mark, text=shown, categories=categories)

    def _needs(self, frame: pd.DataFrame) -> list[str]:
        """The extra needs people described, with their own categories (an analyst's
        correction wins), as the comments are."""
        from reporting.frame import reviewed

        column = self.roles.needs
        if column is None or column not in frame:
            return [self.t("no_needs")]
        texts = frame[frame[column].map(lambda t: isinstance(t, str) and bool(t)).astype(bool)]
        if texts.empty:
            return [self.t("no_needs")]
        lines = [self.t("needs", count=len(texts))]
        found, look = reviewed("categories", column), reviewed("needs_look", column)
        labels = self.categoriser.of_needs().labels
        tally = metrics.suggestions(texts, list(labels), column, found).by_category
        counts = ", ".join(f"{labels[code]} — {n}" for code, n in tally.items() if n)
        lines.append(self.t("needs_by_category", counts=html.escape(counts)))
        return lines + self._grouped(texts, column, found, look, labels)

    def _grouped(
        self,
        texts: pd.DataFrame,
        column: str,
        categories: str,
        unsure: str,
        labels: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Each distinct text once (in the order given), with how many sent it: the same
        words from a script, or from a whole village, are one line and a count."""
        first: dict[object, tuple[str, tuple[str, ...], bool]] = {}
        counts: dict[object, int] = {}
        for text, found, look in zip(texts[column], texts[categories], texts[unsure], strict=True):
            key = normalised(text)
            first.setdefault(key, (text, found, bool(look)))
            counts[key] = counts.get(key, 0) + 1
        lines = []
        for key, (text, found, look) in list(first.items())[:COMMENTS_SHOWN]:
            times = self.t("times", count=counts[key]) if counts[key] > 1 else ""
            lines.append(self._line(text, found, look, times, labels))
        if len(first) > COMMENTS_SHOWN:
            rest = sum(list(counts.values())[COMMENTS_SHOWN:])
            lines.append(self.t("comments_rest", count=rest))
        return lines


def split(lines: list[str], limit: int = LIMIT) -> list[str]:
    """Messages under ``limit``, cut only between lines, so no HTML tag is ever split."""
    messages, current = [], ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            messages.append(current)
            current = line
        else:
            current = candidate
    return [*messages, current] if current else messages


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")
