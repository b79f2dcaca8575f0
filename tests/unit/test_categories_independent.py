"""The shipped categorisers on comments nobody here wrote and nothing was trained on (issue
31): writer B's suggestions and writers A-C's extra needs, labelled by two independent
labellers (tests/fixtures/categories/README.md). The floors are below the figures measured
when the models were built (0.819, Latin 0.896, needs 0.898): a model not shipped, not
loaded, or built from the wrong data falls far under them (the rules alone: 0.45)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reporting.categories import load_categoriser

SETS = Path(__file__).resolve().parents[1] / "fixtures" / "categories"


def frozen(writers: tuple[str, ...], question: str) -> list[tuple[str, set[str]]]:
    gold = yaml.safe_load((SETS / "labels" / "settled.yaml").read_text(encoding="utf-8"))
    return [
        (entry["text"], set(gold[entry["id"]]))
        for writer in writers
        for entry in yaml.safe_load((SETS / "written" / f"{writer}.yaml").read_text("utf-8"))
        if entry["question"] == question
    ]


@pytest.fixture(scope="module")
def categoriser():
    return load_categoriser()


def agreement(sort, items: list[tuple[str, set[str]]]) -> float:
    return sum(set(sort(text)) == labels for text, labels in items) / len(items)


def test_suggestions_by_a_writer_never_trained_on_are_sorted_as_people_sort_them(categoriser):
    items = frozen(("writer_b",), "q10")
    latin = [(t, g) for t, g in items if len(re.findall(r"[A-Za-z]", t)) > len(t) / 3]
    assert agreement(categoriser.categorise, items) >= 0.8
    assert len(latin) > 50 and agreement(categoriser.categorise, latin) >= 0.85


@pytest.mark.xfail(
    strict=True,
    reason="issue 31 is open: one of writer B's 210 (a complaint with Azerbaijani 'amma', "
    "'but') is sorted satisfied; the test part is never tuned on, so it stays until a "
    "change made for other reasons sorts it",
)
def test_a_comment_labelled_a_request_or_complaint_is_never_sorted_satisfied(categoriser):
    asks = {"increase_amount", "pension_increase", "data_request", "documents_process"}
    asks |= {"disability_attention", "information"}
    items = frozen(("writer_b",), "q10")
    pleased = [t for t, g in items if g & asks and "satisfied" in categoriser.categorise(t)]
    assert pleased == []


def test_extra_needs_never_trained_on_are_sorted_into_their_own_categories(categoriser):
    needs = categoriser.of_needs()
    assert agreement(needs.categorise, frozen(("writer_a", "writer_b", "writer_c"), "q9a")) >= 0.85
