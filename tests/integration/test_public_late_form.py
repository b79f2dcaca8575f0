"""A late paper form, tried as an attacker would (issue 28): the seed quarter is published
with 96 responses, one paper form for it is typed in afterwards, and every public output
made after that (the quarter again, its headline on the results page and the card, the next
quarter's report) must give back neither 97 nor the late form's answer."""

from __future__ import annotations

from datetime import date

from bot.application.public_figures import PublicFigures, PublicOutput
from bot.config.settings import Settings
from bot.questionnaire.content import load_content
from reporting.document import Paragraph, Table
from storage import Database
from tests.integration.test_report_seed import seeded  # noqa: F401
from tests.support import seed_000

QUARTER = seed_000.PERIOD


def figures(database: Database) -> PublicFigures:
    settings = Settings(_env_file=None)
    return PublicFigures(database, load_content("ka"), settings, None, lambda: date(2026, 7, 1))


def everything_printed(made: PublicOutput) -> list[object]:
    """Every sentence and every table cell of the output, and its headline."""
    found: list[object] = [h.value for h in made.headline]
    found += [h.sentence for h in made.headline]
    for section in made.report.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                found.append(block.text)
            elif isinstance(block, Table):
                found += [cell for row in block.rows for cell in row]
    return found


def gives_back(printed: list[object], value: int) -> bool:
    return any(
        (isinstance(cell, int) and not isinstance(cell, bool) and cell == value)
        or (isinstance(cell, str) and str(value) in cell)
        for cell in printed
    )


async def add_late_form(database: Database) -> None:
    late = {**seed_000.answers()[0], "satisfaction": "1", "service": "veterans"}
    async with database.transaction() as tx:
        await tx.responses.add("social_services_v1", "paper", late, date(2025, 8, 30))
        await tx.commit()


async def test_after_a_late_form_the_quarters_headline_says_nothing_new(seeded):  # noqa: F811
    public = figures(seeded)
    before = await public.for_quarter(QUARTER, "report")
    said_before = {h.key: h.value for h in before.headline}
    assert said_before.get("responses") == "96"
    await add_late_form(seeded)
    for output in ("results_page", "card"):
        again = await public.for_quarter(QUARTER, output)
        assert not gives_back(everything_printed(again), 97), output
        for h in again.headline:  # what it still says big is what it said before
            assert said_before.get(h.key) == h.value, (output, h)


async def test_the_next_quarters_public_report_does_not_count_the_late_form(seeded):  # noqa: F811
    public = figures(seeded)
    await public.for_quarter(QUARTER, "results_page")
    await add_late_form(seeded)
    await public.for_quarter(QUARTER, "report")  # the quarter again, its total now hidden
    following = await public.for_quarter(public.settings.quarters.quarter(2025, 2), "report")
    printed = everything_printed(following)
    assert not gives_back(printed, 97), "the previous quarter's responses: 96 + 1"
    names = {b.name for s in following.report.sections for b in s.blocks if isinstance(b, Table)}
    assert "comparison" not in names, "the previous quarter counted again, outside the audit"


async def test_a_late_form_corrected_by_hand_does_not_show_in_the_count_of_corrections(seeded):  # noqa: F811
    from bot.application.analyst import Analyst
    from bot.questionnaire.content import load_content as content_of

    public = figures(seeded)
    before = await public.for_quarter(QUARTER, "results_page")
    late = {**seed_000.answers()[0], "suggestions": "გზა გაგვიკეთეთ, ტალახია."}
    async with seeded.transaction() as tx:
        await tx.responses.add("social_services_v1", "paper", late, date(2025, 8, 30))
        await tx.commit()
    analyst = Analyst(seeded, content_of("ka").questionnaire)
    [road] = [c for c in await analyst.comments(QUARTER) if "ტალახია" in c.text]
    await analyst.correct(road.id, "information")
    again = await public.for_quarter(QUARTER, "report")

    def corrections(made: PublicOutput) -> list[str]:
        return [t for t in everything_printed(made) if isinstance(t, str) and "ხელით" in t]

    said_before, said_after = corrections(before), corrections(again)
    assert len(said_after) <= len(said_before)
    assert not any("<3" in t for t in said_after if t not in said_before), (
        "0 corrected before, '<3' after: the late form's category was set by hand"
    )
