"""Personal details typed into a comment are replaced before it is stored; ordinary numbers stay."""

from __future__ import annotations

import re

import pytest

from bot.questionnaire.masking import mask

MARK = "[წაშლილია]"

PERSONAL = [
    # Mobile numbers, as people write them.
    "დამირეკეთ 599 12 34 56",
    "ჩემი ნომერია 599123456",
    "599-12-34-56",
    "599.12.34.56",
    "(599) 12-34-56",
    "599 123 456",
    "5 99 12 34 56",
    "+995 599 12 34 56",
    "+995599123456",
    "995 599 12 34 56",
    "995599123456",
    "00995 577 11 22 33",
    "+995 (599) 12-34-56",
    "0599 12 34 56",
    "mob.555-11-22-33",
    # Landlines: Ambrolauri, Tbilisi, with the trunk 0 or the country code.
    "0439 22 12 34",
    "(0439) 221234",
    "0439221234",
    "+995 439 22 12 34",
    "32 2 12 34 56",
    "0322 12 34 56",
    "(032) 2 12 34 56",
    "+995(32)2 12 34 56",
    "ტელ: 22 12 34",
    "ტელეფონი 221234",
    # Personal numbers, cards, accounts, e-mails, foreign phones.
    "პ/ნ 01008012345",
    "პირადი ნომერი: 61001012345",
    "ბარათი 4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5168757312345678",
    "GE29NB0000000101904917",
    "GE29 NB00 0000 0101 9049 17",
    "nino.beridze@gmail.com",
    "მომწერეთ: giorgi_k+1@mail.ru",
    "+44 20 7946 0958",
    "+7 925 123-45-67",
]

ORDINARY = [
    "100 ლარი",
    "3 საათი",
    "2025 წელს",
    "200-300 ლარი",
    "5 000 000 ლარი",
    "15 000 ლარი",
    "100,000 ლარი",
    "12.5 ლარი",
    "50%-ით",
    "01.06.2025 დილით",
    "შევიტანე 14.07.2025-ში",
    "10.08.2025 17:45",
    "2025-06-01",
    "2024-2025 წლებში",
    "3-4 თვე",
    "1/2 ნაწილი",
    "ბინა 12, სართული 3",
    "№ 245",
    "წელიწადში 2-ჯერ 300 ლარი",
    "150-200 კილომეტრი",
    "65 წლის ვარ, 3 შვილი მყავს",
    "ოთახი 104, 9:00-დან 18:00-მდე",
    "1 200 ლარი მივიღე 2 თვეში",
    "პენსია 345 ლარია",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_personal_detail_is_replaced_by_the_mark(text):
    masked, count = mask(text, MARK)
    assert count == 1, masked
    assert MARK in masked and not re.search(r"\d", masked), masked


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_numbers_stay(text):
    assert mask(text, MARK) == (text, 0)


def test_a_comment_keeps_its_words_and_loses_only_the_details():
    text = "შეშა ძვირია, 300 ლარი არ კმარა. დამირეკეთ 599 12 34 56 ან nino@mail.ge, 14.07.2025"
    masked, count = mask(text, MARK)
    assert count == 2
    assert masked == f"შეშა ძვირია, 300 ლარი არ კმარა. დამირეკეთ {MARK} ან {MARK}, 14.07.2025"


def test_a_phone_after_a_date_is_still_found():
    assert mask("01.06.2025 დავრეკე 599 12 34 56", MARK) == (f"01.06.2025 დავრეკე {MARK}", 1)
