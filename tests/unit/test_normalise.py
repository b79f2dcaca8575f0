"""Comments typed in Latin letters, Mtavruli capitals or with Russian words read as Georgian."""

from __future__ import annotations

import pytest

from reporting.categories import load_categoriser
from reporting.normalise import fold, normalise, transliterate


@pytest.mark.parametrize(
    ("typed", "georgian"),
    [
        ("gazardet daxmarebis tanxa", "გაზარდეთ დახმარების თანხა"),
        ("kmayofili var", "კმაყოფილი ვარ"),
        ("shshm pirebs", "შშმ პირებს"),
        ("chveni sofeli", "ჩვენი სოფელი"),
        ("khalkhi", "ხალხი"),
        ("dzalian", "ძალიან"),
        ("tsoli", "ცოლი"),
        ("tanxa", "თანხა"),  # plain t is თ, the commoner; folding matches ტ too
        ("yuradgheba", "ყურადღება"),
        ("zhurnali", "ჟურნალი"),
        ("wyali", "წყალი"),
        ("qveyana", "ქვეყანა"),
    ],
)
def test_phone_digraphs_and_latin_letters_become_georgian(typed, georgian):
    assert transliterate(typed) == georgian


def test_keyboard_capitals_are_the_shifted_georgian_letters():
    assert transliterate("TanamSromelma uxeSad milaparaka") == "თანამშრომელმა უხეშად მილაპარაკა"
    assert transliterate("gTxovT, Sesha Zalian Zviria") == "გთხოვთ, შეშა ძალიან ძვირია"
    assert transliterate("mamaCems momvleli sWirdeba, RmerTma") == (
        "მამაჩემს მომვლელი სჭირდება, ღმერთმა"
    )
    assert transliterate("sirtuli da Jurnali") == "სირთული და ჟურნალი"


def test_a_capital_that_only_starts_a_sentence_is_an_ordinary_letter():
    assert transliterate("Sabutebi bevri moitxoves. Tanxa ar gvyofnis") == (
        "საბუთები ბევრი მოითხოვეს. თანხა არ გვყოფნის"
    )


def test_all_caps_and_mtavruli_and_held_down_letters_are_evened_out():
    assert normalise("GAZARDET TANXA!!!") == "გაზარდეთ თანხა"
    assert normalise("ᲞᲔᲜᲡᲘᲐ ᲛᲝᲣᲛᲐᲢᲔᲗ") == "პენსია მოუმატეთ"
    assert normalise("თანხააა   ცოოოტაა...") == "თანხა ცოტაა"


def test_russian_words_become_the_georgian_words_they_mean():
    russian = load_categoriser().russian
    assert normalise("пенсия ცოტაა", russian) == "პენსია ცოტაა"
    assert normalise("Спасибо большое", russian) == "მადლობა დიდი"
    assert normalise("документы ბევრია", russian) == "დოკუმენტი ბევრია"
    assert normalise("не довольна", russian) == "არ კმაყოფილი"


def test_letters_latin_typing_confuses_fold_together_for_matching():
    assert fold(normalise("pensia")) == fold("პენსია")
    assert fold(normalise("zalian tsota")) == fold("ძალიან ცოტა")
    assert fold(normalise("kmayofili")) == fold("კმაყოფილი")


@pytest.mark.parametrize(
    "typed",
    [
        "gTxovT, Sesha Zalian Zviria",  # keyboard capitals: decided for the whole text
        "Sabutebi bevri moitxoves. Tanxa ar gvyofnis",  # capitals that start sentences
        "ᲞᲔᲜᲡᲘᲐ ᲛᲝᲣᲛᲐᲢᲔᲗ!!!   თანხააა,ცოოოტაა...",
        "Спасибо большое, не довольна: документы ბევრია",
        "GAZARDET TANXA\tდა\nპენსია",
        "ΑΣ ΣΑ tsota",  # the Greek final sigma depends on its neighbours
        "café e\u0301 ,.;  ",
        "",
    ],
)
def test_the_matching_form_is_the_same_when_made_token_by_token(typed):
    """The categoriser folds each token once and remembers it; a text must still read
    exactly as if it were normalised whole."""
    categoriser = load_categoriser()
    whole = fold(normalise(typed, categoriser.russian))
    assert categoriser.fold(typed) == whole
    assert categoriser.fold(typed) == whole  # and again, from what it remembered
