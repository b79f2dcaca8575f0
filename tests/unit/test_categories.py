"""Suggestions are sorted as an analyst sorts them: negation, several asks, typos, Latin
letters, unsure comments flagged, and analysts' corrections followed next time."""

from __future__ import annotations

import pytest

from reporting.categories import load_categoriser


@pytest.fixture(scope="module")
def categoriser():
    return load_categoriser()


@pytest.mark.parametrize(
    "complaint",
    [
        "არ ვარ კმაყოფილი",
        "კმაყოფილი არ ვარ, დიდხანს ვიდექით რიგში",
        "ვერ ვიტყვი რომ კმაყოფილი ვარ",
        "ar var kmayofili",
        "უკმაყოფილო ვარ",
        "მადლობა, მაგრამ ორი თვე ველოდეთ",
        "კარგი არ იყო",
        "я недоволен",
        "მადლობა, მაგრამ თანხა გაზარდეთ",
    ],
)
def test_a_negated_or_qualified_thanks_is_never_satisfied(categoriser, complaint):
    assert "satisfied" not in categoriser.categorise(complaint)


@pytest.mark.parametrize(
    "pleased",
    [
        "ყველაფრით კმაყოფილი ვარ",
        "შენიშვნა არ მაქვს",
        "პრეტენზია არ მაქვს, მადლობა",
        "ღმერთმა დაგლოცოთ",
        "didi madloba yvelafrisTvis",
        "спасибо",
    ],
)
def test_thanks_blessings_and_no_remark_are_satisfied(categoriser, pleased):
    assert categoriser.categorise(pleased) == ("satisfied",)


@pytest.fixture(scope="module")
def rules_alone():
    """The rules without the model: how a municipality's own categories are sorted."""
    return load_categoriser(model=False)


def test_mixed_feelings_are_never_satisfied_and_are_flagged(categoriser, rules_alone):
    text = "მადლობა, მაგრამ ვერ ვიტყვი რომ ყველაფერი კარგად იყო"
    verdict = categoriser.assess(text)
    assert "satisfied" not in verdict.categories and verdict.needs_look
    alone = rules_alone.assess(text)
    assert alone.categories == ("other",) and alone.needs_look


def test_a_comment_asking_two_things_gets_both(categoriser):
    assert categoriser.categorise("პენსიაც და დახმარებაც გაზარდეთ") == (
        "increase_amount",
        "pension_increase",
    )
    assert categoriser.categorise("ამონაწერი თვითონ გამოითხოვეთ და საბუთებიც შეამცირეთ") == (
        "data_request",
        "documents_process",
    )


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("gazardet daxmarebis tanxa", "increase_amount"),
        ("pensia gazardet", "pension_increase"),
        ("пенсия ცოტაა", "pension_increase"),
        ("sabutebi zalian bevria", "documents_process"),
        ("tanamSromeli uxeSi iyo", "staff_conduct"),
        ("ᲗᲐᲜᲮᲐ ᲒᲐᲖᲐᲠᲓᲔᲗ", "increase_amount"),
        ("თანხაცოტაა", "increase_amount"),
    ],
)
def test_latin_letters_russian_words_capitals_and_missing_spaces_are_understood(
    categoriser, typed, category
):
    assert categoriser.categorise(typed) == (category,)


def test_a_typo_is_understood_by_the_rules_but_flagged_for_a_look(rules_alone):
    verdict = rules_alone.assess("პენსეა ცოტაა")
    assert verdict.categories == ("pension_increase",)
    assert verdict.needs_look and "typo" in verdict.reasons


def test_a_long_comment_the_rules_do_not_know_is_flagged_and_a_clear_one_is_not(rules_alone):
    assert rules_alone.assess("ჩვენთან ზამთარში გზა იკეტება და ვერავინ ამოდის").needs_look
    assert not rules_alone.assess("დახმარების თანხა გაზარდეთ").needs_look


CARD_TROUBLE = [  # an analyst decides that trouble getting the money out is a procedure
    "ბანკომატი სოფელში არ გვაქვს, ფულს ვერ ვიღებთ",
    "ბარათით ვერ ვსარგებლობ, ნაღდად მოგვეცით",
    "ფოსტაში რომ მოდიოდეს ფული და არა ბარათზე",
    "ბანკში წასვლა გვიჭირს, ბარათი დაიბლოკა",
    "ბარათის პინკოდი დამავიწყდა და ბანკში მატარეს",
]


def test_after_analysts_correct_a_kind_of_comment_the_next_of_that_kind_is_right(categoriser):
    new = ["bankomati ar mushaobs", "ბარათი არ მაქვს და ვერ მივიღე"]
    assert [categoriser.categorise(t) for t in new] == [("other",)] * 2
    learned = categoriser.learn((text, ["documents_process"]) for text in CARD_TROUBLE)
    assert [learned.categorise(t) for t in new] == [("documents_process",)] * 2
    assert learned.categorise("pensia gazardet") == ("pension_increase",)  # others unchanged


def test_a_corrected_comment_typed_again_gets_the_correction(categoriser):
    text = "სპეციალური საჭიროების ბავშვებს მეტი დახმარება სჭირდებათ ჩვენს სოფელში"
    learned = categoriser.learn([(text, ["disability_attention"])])
    assert learned.categorise(text + "!") == ("disability_attention",)


def test_satisfied_is_never_learned_for_a_comment_that_complains(categoriser):
    learned = categoriser.learn(
        [("მადლობა, კარგად იყო ყველაფერი", ["satisfied"])] * 1
        + [(f"მადლობა, კარგად იყო ყველაფერი {n}", ["satisfied"]) for n in range(5)]
    )
    assert "satisfied" not in learned.categorise("მადლობა, არ იყო კარგად ყველაფერი")


def test_corrections_with_a_code_that_no_longer_exists_are_ignored(categoriser):
    learned = categoriser.learn([("გზა გაგვიკეთეთ", ["roads"])])
    assert learned.categorise("გზა გაგვიკეთეთ") == ("other",)


def test_learning_leaves_the_categoriser_it_learned_from_as_it_was(categoriser):
    text = "bankomati ar mushaobs"
    before = categoriser.assess(text)
    learned = categoriser.learn((t, ["documents_process"]) for t in CARD_TROUBLE)
    assert learned.categorise(text) == ("documents_process",)
    assert categoriser.assess(text) == before  # the caches they share keep rules only


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        ("არ ვიცოდით რომ ასეთი პროგრამა არსებობდა", "information"),  # a phrase of two words
        ("არ ვიცოდი", "information"),
        ("ვიცოდით და მაინც არ მოვედით", "other"),  # its words apart are not the phrase
    ],
)
def test_phrases_match_only_as_phrases(categoriser, typed, category):
    assert categoriser.by_rules(typed)[1].categories == (category,)  # the rules' own verdict


def _one_edit_at_most(a: str, b: str) -> bool:
    """The rule as written for people: equal, one letter changed, or one letter added."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def test_a_word_is_a_typo_of_a_stem_exactly_when_one_letter_is_changed_or_added():
    import random

    from reporting.stems import _typo_of

    rng = random.Random(14)
    for _ in range(20_000):
        stem = "".join(rng.choice("აბგ") for _ in range(rng.randint(5, 7)))
        word = list(stem + "".join(rng.choice("აბგ") for _ in range(rng.randint(0, 2))))
        for _ in range(rng.randint(0, 2)):
            place = rng.randrange(len(word))
            if rng.random() < 0.5:
                word[place] = rng.choice("აბგ")
            else:
                word.insert(place, rng.choice("აბგ"))
        typed = "".join(word)
        start = typed[: len(stem)], typed[: len(stem) + 1]  # as long, and one letter longer
        expected = (
            typed[:1] == stem[:1]
            and len(typed) >= len(stem)
            and any(_one_edit_at_most(part, stem) for part in start)
        )
        assert _typo_of(typed, stem) == expected, (typed, stem)
