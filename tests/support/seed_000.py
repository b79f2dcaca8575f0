"""Seed 000 (the first quarterly report, 1 June – 31 August 2025) rebuilt as raw answers.

Per service: applications, and feedback by women/men, as the seed's tables give them; three
forms did not state the service clearly (1 woman, 2 men: 57 women and 39 men in all).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from bot.questionnaire.periods import Period

PERIOD = Period(date(2025, 6, 1), date(2025, 8, 31))

# service: (applications, women, men)
SERVICES = {
    "newborn": (17, 1, 2),
    "new_family": (1, 0, 0),
    "disabled_persons": (2, 2, 0),
    "fire_victims": (1, 0, 0),
    "large_families": (7, 1, 1),
    "lost_breadwinner": (3, 1, 0),
    "single_parent": (3, 1, 0),
    "veterans": (25, 0, 5),
    "winter_heating": (185, 50, 29),
    "other": (0, 1, 2),
}

INCREASE = [
    "გთხოვთ, გაზარდოთ დახმარების თანხა, შეშა ძალიან ძვირია.",
    "თანხა ძალიან მცირეა, ვერაფერს ვყიდულობთ.",
    "ფულადი დახმარება გაიზარდოს.",
    "200 ლარი არ გვყოფნის, მეტი თანხა გვჭირდება.",
    "შეშის ფული მოუმატეთ, ცოტაა.",
    "დახმარების თანხის გაზრდა გვინდა.",
    "თანხა გაზარდეთ, ზამთარი გრძელია.",
    "კომპენსაცია მცირეა, გაზარდეთ.",
    "ვეტერანებს მეტი თანხა ეკუთვნით.",
    "დახმარება საკმარისი არ არის.",
    "ახალშობილის თანხა უფრო დიდი უნდა იყოს.",
    "მეტი ფული გამოყავით თბობისთვის.",
    "თანხის მომატება.",
]
SATISFIED = [
    "ყველაფერით კმაყოფილი ვარ, დიდი მადლობა.",
    "მადლობა მერიას.",
    "შენიშვნა არ მაქვს.",
    "კმაყოფილი ვართ.",
    "ძალიან კარგი მომსახურებაა.",
    "პრეტენზია არ მაქვს.",
    "ყველაფერი კარგად იყო.",
]
DATA_REQUEST = [
    "სოციალური ბაზიდან ამონაწერი მერიამ თავად გამოითხოვოს.",
    "ამონაწერს თვითონ რომ გამოითხოვდეთ, მოხუცებს გაგვიადვილდებოდა.",
]
PENSION = ["პენსია გაზარდონ.", "პენსიის მომატება გვინდა.", "პენსია ცოტაა.", "პენსია!", "პენსიები"]
DISABILITY = [
    "სახელმწიფომ შშმ პირებს მეტი ყურადღება მიაქციოს.",
    "შეზღუდული შესაძლებლობის მქონე პირებს მიხედეთ.",
    # The stem rules before issue 14 found nothing here and needed an analyst's correction.
    "ჩემს შვილს ეტლი სჭირდება და ვერავინ გვეხმარება.",
]
# Analysts' corrections the seed needs to reach its counts: none any more.
CORRECTED: dict[str, tuple[str, ...]] = {}

EXPECTED_CATEGORIES = {
    "increase_amount": 13,
    "satisfied": 7,
    "data_request": 2,
    "pension_increase": 5,
    "disability_attention": 3,
}


def answers() -> list[dict[str, str | None]]:
    """96 answer sets; 30 of them carry a suggestion."""
    rows: list[dict[str, str | None]] = []
    for service, (_applications, women, men) in SERVICES.items():
        rows += [_answers(service, "female") for _ in range(women)]
        rows += [_answers(service, "male") for _ in range(men)]
    texts = INCREASE + SATISFIED + DATA_REQUEST + PENSION + DISABILITY
    for row, text in zip(rows[::3], texts, strict=False):
        row["suggestions"] = text
    return rows


def _answers(service: str, gender: str) -> dict[str, str | None]:
    return {
        "service": service,
        "gender": gender,
        "info_source": "staff",
        "awareness": "partial",
        "documents": "3",
        "satisfaction": "4",
        "professionalism": "5",
        "helpfulness": "5",
        "extra_needs": "no",
        "suggestions": None,
    }


def days() -> itertools.cycle[date]:
    return itertools.cycle(PERIOD.start + timedelta(days=n) for n in range(PERIOD.days))


# Ten extra needs described by winter-heating recipients (question 9ა), written for issue 31:
# each with the category an analyst would give it.
NEEDS = {
    "შეშა მჭირდება ზამთრისთვის, პენსია არ მყოფნის": ("heating",),
    "წამლები ძალიან ძვირია, ვერ ვყიდულობ": ("medicine_care",),
    "სახურავი ჩამოდის, შეკეთება გვჭირდება": ("housing",),
    "რაიონში ჩასასვლელი ავტობუსი კვირაში ერთხელ დადის": ("transport",),
    "საკვები პროდუქტები გვჭირდება": ("food",),
    "ცნობის ასაღებად სამჯერ მომიწია მოსვლა": ("documents",),
    "ფულადი დახმარება ყოველთვიურად რომ იყოს": ("money",),
    "მარტო ვცხოვრობ, მომვლელი მჭირდება": ("medicine_care",),
    "შეშა და წამლები": ("heating", "medicine_care"),
    "შვილიშვილს სკოლის ფორმა და წიგნები სჭირდება": ("other",),
}


def answers_with_needs() -> list[dict[str, str | None]]:
    """``answers()`` with ``NEEDS`` described by ten winter-heating recipients who said yes."""
    rows = answers()
    heating = [row for row in rows if row["service"] == "winter_heating"]
    for row, text in zip(heating[1::7], NEEDS, strict=False):
        row["extra_needs"], row["extra_needs_text"] = "yes", text
    return rows
