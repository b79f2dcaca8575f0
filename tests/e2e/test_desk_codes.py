"""Slips handed out at the desk: one-use codes that make a form "confirmed", and nothing more.

The attacker here is the one of docs/anonymity.md (a copy of the database, the feedback
secret) who also holds the clerk's notes: which slip went to whom. Spending a code may
show that it was used; it must never show which form it confirmed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.questionnaire import slip_codes
from tests.support.attacks import (
    answer,
    dialect,
    pairing_hits,
    physical_order,
    rows,
    suggestion_of,
    xmins,
)
from tests.support.citizen import Citizen
from tests.support.flows import NEED, STEPS, SUGGESTION, step_update, stored_responses
from tests.support.web_citizen import WebCitizen, browser

CITIZENS = 12
FIRST_ID = 790000000
BEYOND_CHANCE = CITIZENS // 2
SERVICE = "winter_heating"
ACCEPTED = "ტალონის კოდი მიღებულია"
ALREADY_USED = "უკვე გამოყენებულია"


@pytest.fixture
def settings_env(settings_env: dict[str, str], request: pytest.FixtureRequest) -> dict[str, str]:
    marker = request.node.get_closest_marker("box")
    settings_env["BALLOT_BOX_SIZE"] = str(marker.args[0] if marker else 1)
    return settings_env


async def hand_out(runtime: Any, count: int) -> list[str]:
    """Staff print ``count`` slips: only the codes' keyed hashes are stored."""
    codes = slip_codes.new_codes(count)
    keys = [runtime.conversation.keyer.code_key(None, code) for code in codes]
    async with runtime.database.transaction() as tx:
        await tx.codes.issue(keys, SERVICE)
        await tx.commit()
    return codes


async def with_slip(citizen: Citizen, code: str, suggestion: str = SUGGESTION) -> list[str]:
    """Opens the slip's link (``/start winter_heating---CODE``: the service is answered),
    answers everything else and sends; the texts the bot said on opening the link."""
    await answer(citizen, citizen.message_update(text=f"/start {SERVICE}---{code}"))
    opened = [m.get("text", "") for m in citizen.received[-3:]]
    for kind, value in STEPS[1:]:  # the service came with the link
        value = suggestion if value == SUGGESTION else value
        await answer(citizen, await step_update(citizen, (kind, value)))
    return opened


async def test_a_slip_confirms_one_form_and_a_second_form_with_it_counts_as_open(running_bot):
    runtime = running_bot.runtime
    [code] = await hand_out(runtime, 1)
    first = await with_slip(Citizen(running_bot.api, FIRST_ID), code)
    assert any(ACCEPTED in text for text in first)

    second = await with_slip(Citizen(running_bot.api, FIRST_ID + 1), code.lower())
    assert any(ALREADY_USED in text for text in second), "the citizen is told, and welcome"

    await runtime.database.empty_box()
    stored = await stored_responses(runtime)
    assert sorted(r["confirmed"] for r in stored) == [False, True]
    assert all(r["answers"]["service"] == SERVICE for r in stored)


async def test_a_code_typed_by_hand_opens_its_service_and_a_made_up_one_is_answered_politely(
    running_bot,
):
    runtime = running_bot.runtime
    [code] = await hand_out(runtime, 1)
    citizen = Citizen(running_bot.api, FIRST_ID)
    await answer(citizen, citizen.message_update(text=slip_codes.spaced(code).lower()))
    said = "\n".join(m.get("text", "") for m in citizen.received)
    assert ACCEPTED in said and "ზამთრის" in said, "the slip's service is answered"

    stranger = Citizen(running_bot.api, FIRST_ID + 1)
    await answer(stranger, stranger.message_update(text=f"/start {SERVICE}---ACDEFGHJ"))
    assert any("ვერ ვიპოვე" in m.get("text", "") for m in stranger.received)


async def test_the_digest_and_the_report_say_how_many_forms_were_confirmed_and_open(
    running_bot,
):
    from bot.entry.cli_digest import digest_for
    from bot.questionnaire.periods import Period
    from reporting.build import gather, report_texts
    from reporting.categories import load_categoriser
    from reporting.compose import compose
    from reporting.composer import Composer

    runtime = running_bot.runtime
    codes = await hand_out(runtime, 2)
    for number, code in enumerate([codes[0], codes[1], codes[1]]):
        await with_slip(Citizen(running_bot.api, FIRST_ID + number), code)
    today = runtime.today()
    week = Period(today - timedelta(days=today.weekday()), today + timedelta(days=6))

    digest = "\n".join(await digest_for(runtime.content, runtime.database, week))
    assert "დადასტურებული (ტალონით ან ქაღალდზე): 2, ღია: 1" in digest
    headline = await digest_for(runtime.content, runtime.database, week, headline="confirmed")
    assert "დადასტურებული პასუხები: <b>2</b>" in headline[0]

    categoriser = load_categoriser()
    content = runtime.content
    inputs = await gather(runtime.database, content.questionnaire, categoriser, week)
    for public in (False, True):
        composer = Composer(
            content.questionnaire, content.locale, report_texts(), categoriser, "ა", public
        )
        report = compose(composer, inputs)
        blocks = [block for section in report.sections for block in section.blocks]
        [table] = [b for b in blocks if getattr(b, "name", "") == "confirmation"]
        figures = {str(label): value for label, value in table.rows}
        confirmed, unconfirmed = (
            figures["დადასტურებული (ტალონით ან ქაღალდზე)"],
            figures["ღია (ტალონის გარეშე)"],
        )
        if public:  # 2 and 1 are small groups: never printed as such
            assert confirmed == unconfirmed == "<3"
        else:
            assert (confirmed, unconfirmed, figures["სულ"]) == (2, 1, 3)


@pytest.mark.both_databases
@pytest.mark.box(50)
async def test_a_clerk_who_noted_each_slip_cannot_tell_which_form_a_used_code_confirmed(
    running_bot,
):
    """Twelve citizens, each with a slip the clerk noted, send one after another. With a
    copy of the database and the secret, the attacker orders the used codes' rows as they
    lie in storage and pairs them with the forms in theirs (waiting, then mixed), and
    looks for a transaction id that a code's row shares with a form."""
    runtime = running_bot.runtime
    codes = await hand_out(runtime, CITIZENS + 8)  # a few slips are still in the drawer
    notes = {code: number for number, code in enumerate(codes[:CITIZENS])}
    for code, number in notes.items():
        await with_slip(Citizen(running_bot.api, FIRST_ID + number), code, suggestion_of(number))
    keyer = runtime.conversation.keyer
    keys = {keyer.code_key(None, code): number for code, number in notes.items()}
    texts = {suggestion_of(n): n for n in range(CITIZENS)}

    used = await rows(runtime, "SELECT key FROM desk_codes WHERE spent")
    assert {k for (k,) in used} == set(keys), "spending a code shows that it was used"

    for table, column in (("ballot_box", "payload"), ("responses", "answers")):
        if table == "responses":
            await runtime.database.empty_box()  # as before a digest
        forms = [texts[t] for t in await physical_order(runtime, table, column, list(texts))]
        slips = [keys[k] for k in await physical_order(runtime, "desk_codes", "key", list(keys))]
        assert len(forms) == len(slips) == CITIZENS
        assert pairing_hits(slips, forms) <= BEYOND_CHANCE, f"used codes pair with {table}"
        if dialect(runtime) == "postgresql":
            codes_xmin = set(await xmins(runtime, "desk_codes"))
            assert len(codes_xmin) == 1, "the service's codes are written anew together"
            assert not codes_xmin & set(await xmins(runtime, table)), f"a code shares {table}'s"

    stored = await stored_responses(runtime)
    assert all(r["confirmed"] for r in stored)
    dump = repr(await rows(runtime, "SELECT * FROM responses"))
    assert not any(code in dump or key in dump for code in notes for key in keys)


def test_the_slips_pdf_is_a4_with_every_code_once(tmp_path: Path):
    from pypdf import PdfReader

    from bot.application.offer import Bases
    from bot.application.slips import Slip, SlipText, slip_link, write_pdf

    codes = slip_codes.new_codes(23)
    bases = Bases(web="https://feedback.example.ge/")
    slips = [Slip(code, slip_link(bases, SERVICE, code)) for code in codes]
    text = SlipText("ამბროლაური", "ზამთრის თბობა", "გაადგით კამერა", "ერთჯერადი", "კოდი: {code}")
    path = tmp_path / "slips.pdf"
    write_pdf(path, slips, text)

    reader = PdfReader(path)
    assert len(reader.pages) == 3, "ten slips a page"
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5, "A4 in points"
    printed = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert all(printed.count(code) >= 1 for code in codes)
    assert slips[0].link == f"https://feedback.example.ge/q/{SERVICE}?c={codes[0]}"


async def test_a_slip_opened_on_the_web_page_confirms_that_form_only(web_bot):
    """The slip's QR code opens ``/q/<service>?c=CODE`` in a phone's browser."""
    runtime = web_bot.runtime
    [code] = await hand_out(runtime, 1)
    for told in (ACCEPTED, ALREADY_USED):  # the second form is open, and still welcome
        async with browser() as http:
            citizen = WebCitizen(web_bot.url, http)
            await citizen.open(f"q/{SERVICE}?c={code}")
            await citizen.press("▶️")
            assert told in citizen.page
            for label in ("ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
                await citizen.press(label)
            for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
                await citizen.press(label)
            await citizen.write(NEED)
            await citizen.write(SUGGESTION)
            await citizen.press("✅")
            assert "გმადლობთ" in citizen.page
    await runtime.database.empty_box()
    stored = await stored_responses(runtime)
    assert sorted(r["confirmed"] for r in stored) == [False, True]
    assert {r["answers"]["service"] for r in stored} == {SERVICE}


async def test_a_slip_opened_under_another_services_address_confirms_its_own_service(web_bot):
    """``/q/housing?c=CODE`` with a winter-heating slip: the form it confirms is about
    winter heating, the service the slip was printed for."""
    runtime = web_bot.runtime
    [code] = await hand_out(runtime, 1)
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open(f"q/housing?c={code}")
        await citizen.press("▶️")
        assert ACCEPTED in citizen.page and "ზამთრის თბობისათვის" in citizen.page
        for label in ("ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
            await citizen.press(label)
        for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "დიახ"):
            await citizen.press(label)
        await citizen.write(NEED)
        await citizen.write(SUGGESTION)
        await citizen.press("✅")
        assert "გმადლობთ" in citizen.page
    await runtime.database.empty_box()
    [stored] = await stored_responses(runtime)
    assert stored["confirmed"] and stored["answers"]["service"] == SERVICE


@pytest.mark.both_databases
async def test_claiming_a_code_rewrites_its_bucket_only_however_many_slips_were_printed(
    running_bot, monkeypatch: pytest.MonkeyPatch
):
    """A claim once rewrote every code of its service (1 s at 30,000 codes). Here, buckets
    of 4 codes or more on average (512 in production): a claim among 200 codes touches one."""
    from storage import codes as stored_codes
    from storage import mixing

    monkeypatch.setattr(stored_codes, "BUCKET", 4)
    runtime = running_bot.runtime
    codes = await hand_out(runtime, 200)
    rewritten: list[int] = []
    rewrite = mixing.rewrite

    async def counted(*arguments: Any, **named: Any) -> list[dict[str, Any]]:
        rows = await rewrite(*arguments, **named)
        rewritten.append(len(rows))
        return rows

    monkeypatch.setattr(mixing, "rewrite", counted)
    keyer = runtime.conversation.keyer
    for code in codes[:3]:
        async with runtime.database.transaction() as tx:
            claim = await tx.codes.claim(keyer.code_key(None, code))
            await tx.commit()
        assert claim.confirmed
    async with runtime.database.transaction() as tx:
        assert not (await tx.codes.claim(keyer.code_key(None, codes[0]))).confirmed
    assert len(rewritten) == 3 and all(1 <= n <= 40 for n in rewritten), rewritten
    assert len(await rows(runtime, "SELECT key FROM desk_codes WHERE spent")) == 3
