"""Analysts' corrections are followed for similar comments: the quick search finds exactly
the corrected comments the full comparison finds, in the same order, ties included."""

from __future__ import annotations

import random

import pytest

from reporting import neighbours
from reporting.categories import SIMILAR, load_categoriser
from reporting.neighbours import Neighbours

COMMENTS = [
    "დახმარების თანხა გაზარდეთ ზამთარში შეშა ძვირია",
    "პენსია ძალიან ცოტაა ვერ ვყიდულობთ წამლებს",
    "საბუთები ბევრი მოითხოვეს დიდხანს ვიდექით რიგში",
    "თანამშრომელი ძალიან თავაზიანი იყო მადლობა",
    "ინფორმაცია სოფლებში არ აღწევს გვიან გავიგეთ",
    "შშმ პირებისთვის პანდუსი არ არის შენობაში",
    "მომვლელი კვირაში ერთხელ მოდის ეს ცოტაა",
    "ამონაწერი მერიამ თავად გამოითხოვოს",
]
CODES = ["increase_amount", "pension_increase", "documents_process", "other", "information"]


def examples(seed: int) -> list[tuple[str, tuple[str, ...]]]:
    """Corrections with near-duplicates, and the same words in another order under another
    code: equal similarities that only the full comparison's order can settle."""
    rng = random.Random(seed)
    labelled = []
    for text in COMMENTS:
        words = text.split()
        labelled.append((text, (rng.choice(CODES),)))
        labelled.append((" ".join(reversed(words)), (rng.choice(CODES),)))
        labelled.append((" ".join(words[:-1]), (rng.choice(CODES),)))
    return labelled


def queries(seed: int) -> list[str]:
    rng = random.Random(seed)
    found = []
    for _ in range(300):
        words = " ".join(rng.sample(COMMENTS, 2)).split()
        found.append(" ".join(rng.sample(words, rng.randint(1, len(words)))))
    return found + COMMENTS


@pytest.mark.parametrize("table", [True, False], ids=["table", "postings"])
def test_the_quick_search_finds_the_same_corrections_as_comparing_with_all(table, monkeypatch):
    if not table:
        monkeypatch.setattr(neighbours, "TABLE_CELLS", 0)
    categoriser = load_categoriser()
    for seed in range(3):
        found = Neighbours.build((categoriser.fold(t), c) for t, c in examples(seed))
        for text in queries(seed):
            folded = categoriser.fold(text)
            full = [n for n in found.nearest(folded) if n.similarity >= SIMILAR]
            assert found.similar(folded, SIMILAR) == full, text
    assert (found._table is not None) == table


def test_a_comment_sharing_nothing_with_the_corrections_has_no_neighbours():
    categoriser = load_categoriser()
    found = Neighbours.build((categoriser.fold(t), c) for t, c in examples(0))
    assert found.similar(categoriser.fold("12345 !!!"), SIMILAR) == []
    assert found.similar("", SIMILAR) == []
