"""The categoriser's linear model (issue 31): shipped and loaded, the same verdicts however
comments are sorted, wordings the rules never saw, unsure comments marked, corrections that
teach what they mean, and never `satisfied` for a complaint in a form it has not seen."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from reporting.categories import load_categoriser, needs_rules_path
from reporting.categories_model import MODEL_PATH, NEEDS_MODEL_PATH, grams, load_model

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "bench" / "data" / "comments_heldout.yaml"
CARD_TROUBLE = [  # an analyst decides that trouble getting the money out is a procedure
    "ბანკომატი სოფელში არ გვაქვს, ფულს ვერ ვიღებთ",
    "ბარათით ვერ ვსარგებლობ, ნაღდად მოგვეცით",
    "ფოსტაში რომ მოდიოდეს ფული და არა ბარათზე",
    "ბანკში წასვლა გვიჭირს, ბარათი დაიბლოკა",
    "ბარათის პინკოდი დამავიწყდა და ბანკში მატარეს",
    "ბანკომატთან რიგი იყო ორი საათი",
]


@pytest.fixture(scope="module")
def categoriser():
    return load_categoriser()


def held_out() -> list[str]:
    return [item["text"] for item in yaml.safe_load(HELD_OUT.read_text("utf-8"))]


def test_the_shipped_model_loads_knows_the_rules_categories_and_is_small(categoriser):
    assert categoriser.model is not None
    assert categoriser.model.codes == tuple(categoriser.labels)
    assert MODEL_PATH.stat().st_size < 2_000_000


def test_a_comment_gets_the_same_verdict_alone_in_a_batch_and_after_a_reload(categoriser):
    texts = held_out()
    alone = {text: categoriser.assess(text) for text in texts}
    batch = load_categoriser().assess_all([*texts, "", texts[0]])
    assert batch == {**alone, "": categoriser.assess("")}
    model = categoriser.model
    for text in texts[:40]:
        folded = categoriser.fold(text)
        fast = categoriser.scorer.chances.of(folded)
        assert np.allclose(fast, model.probabilities(model.vector(grams(folded))))


def test_training_again_builds_both_shipped_models():
    pytest.importorskip("sklearn")  # the training tools (dev dependencies)
    sys.path.insert(0, str(ROOT / "tools"))
    import train_categories

    for rules, rows, path in (
        (load_categoriser(model=False), train_categories.development(), MODEL_PATH),
        (
            load_categoriser(needs_rules_path(), model=False, needs=False),
            train_categories.development_needs(),
            NEEDS_MODEL_PATH,
        ),
    ):
        built, shipped = train_categories.fit(rules, rows), load_model(path)
        assert built.features == shipped.features and built.sets == shipped.sets
        assert np.allclose(built.weights, shipped.weights, atol=1e-3)
        assert np.allclose(built.bias, shipped.bias, atol=1e-3)


def test_wordings_the_rules_do_not_know_are_sorted_by_the_model(categoriser):
    for text, category in [
        ("ინფორმაცია არსად ეწერა", "information"),  # nothing said of getting to know it
        ("gogona dzalian tbili iyo, madloba", "staff_conduct"),  # praise of one clerk
    ]:
        assert categoriser.by_rules(text)[1].categories != (category,)
        assert categoriser.categorise(text) == (category,)


def test_a_comment_the_model_is_torn_on_is_marked_and_a_clear_one_is_not(categoriser):
    torn = categoriser.assess("მომვლელები ცოტაა და ყველას ვერ აუდიან")
    assert torn.needs_look and "model" in torn.reasons
    assert not categoriser.assess("დახმარების თანხა გაზარდეთ").needs_look
    marked = [categoriser.assess(text).needs_look for text in held_out()]
    assert sum(marked) <= len(marked) / 4  # the project's own comments: few marked


def test_corrections_teach_what_they_mean_beyond_near_copies(categoriser):
    """A new wording shares a word with the corrected comments but is not close to any of
    them: the corrected neighbours alone do not reach it, the taught model does."""
    new = "ნაღდი ფული ჯობია"  # cash is better
    taught = [(text, ["documents_process"]) for text in CARD_TROUBLE]
    neighbours_only = load_categoriser(model=False).learn(taught)
    assert neighbours_only.categorise(new) == ("other",)
    learned = categoriser.learn(taught)
    assert learned.categorise(new) == ("documents_process",)
    assert learned.categorise("pensia gazardet") == ("pension_increase",)  # others unchanged
    assert categoriser.categorise(new) == ("other",)  # the one it learned from is as it was


COMPLAINTS = [
    "spasibo, no ya nedovolen",
    "Спасибо, но я очень недоволен обслуживанием",
    "Благодарю, но никто не помог",
    "мне не понравилось, спасибо",
    "madloba, magram ar var kmayofili",
    "didi madloba, magram aravin damexmara",
    "მადლობა, თუმცა უკმაყოფილო დავრჩი",
    "ar momewona, madloba",
    "kargi ar iyo araferi",
    "ბევრი მადლობა მაგრამ ცუდად მომექცნენ",
]


@pytest.mark.parametrize("complaint", COMPLAINTS)
def test_a_complaint_in_a_form_never_seen_is_never_satisfied(categoriser, complaint):
    assert "satisfied" not in categoriser.categorise(complaint)
    thanks = [(f"მადლობა, ყველაფერი კარგად იყო {n}", ["satisfied"]) for n in range(5)]
    thanks += [("spasibo bolshoe", ["satisfied"]), ("madloba didi", ["satisfied"])]
    assert "satisfied" not in categoriser.learn(thanks).categorise(complaint)


@pytest.mark.parametrize(
    ("need", "categories"),
    [
        ("შეშა გვჭირდება ზამთრისთვის", ("heating",)),
        ("წამლების ფული არ გვყოფნის", ("medicine_care",)),  # money for a named need: the need
        ("sakhli gvechvreba, saxuravi", ("housing",)),
        ("нужны дрова и лекарства", ("heating", "medicine_care")),
        ("ავტობუსი არ დადის სოფელში", ("transport",)),
        ("ვალები გვაქვს", ("money",)),
        ("მადლობა", ("other",)),  # a need is never "satisfied"
    ],
)
def test_extra_needs_get_their_own_categories(need, categories):
    needs = load_categoriser(needs_rules_path())
    assert needs.model is not None and needs.model.codes == tuple(needs.labels)
    assert needs.categorise(need) == categories
