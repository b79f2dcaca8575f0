"""Ballot stuffing, tried as the script in issue 25 ran it: a client that drops its cookie after
every form, from one address, then with a forged ``X-Forwarded-For`` on each form. No more
than ``WEB_FORMS_PER_HOUR`` are counted in the hour; the one over the limit is told kindly when
to come back and keeps its answers; the digest flags the week. A registered front-desk tablet
(kiosk) is exempt."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import random
from datetime import datetime, timedelta

import pytest

from tests.e2e.test_web import answer_all
from tests.support.flows import stored_responses
from tests.support.web_citizen import WebCitizen, browser

pytestmark = pytest.mark.both_databases

LIMIT = 6
"""``WEB_FORMS_PER_HOUR``'s default."""
THANKS = "გმადლობთ"


@pytest.fixture
def behind_proxy() -> bool:
    """True (a test parametrizes it): deployed as documented, behind Caddy or nginx on the
    same machine, whose ``X-Forwarded-For`` the bot believes."""
    return False


@pytest.fixture
def kiosk_limit() -> int | None:
    """A kiosk's forms an hour, when a test parametrizes it (20 in production)."""
    return None


@pytest.fixture
def total_limit() -> int | None:
    """``WEB_FORMS_PER_HOUR_TOTAL``, when a test parametrizes it (none by default)."""
    return None


@pytest.fixture
def web_env(
    web_env: dict[str, str],
    behind_proxy: bool,
    kiosk_limit: int | None,
    total_limit: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    if behind_proxy:
        web_env["FORWARDED_ALLOW_IPS"] = "127.0.0.1"
    if total_limit is not None:
        web_env["WEB_FORMS_PER_HOUR_TOTAL"] = str(total_limit)
    if kiosk_limit is not None:
        from bot.channels.web import kiosk

        monkeypatch.setattr(kiosk, "FORMS_PER_HOUR", kiosk_limit)
    return web_env


async def one_form(
    url: str, headers: dict[str, str] | None = None, typed: bool = False
) -> WebCitizen:
    """A fresh browser (the last one's cookie dropped) answers everything and sends: by
    pressing "send", or (``typed``) by posting its label as a typed answer."""
    async with browser(headers=headers or {}) as http:
        citizen = WebCitizen(url, http)
        await answer_all(citizen)
        if typed:
            await citizen.write(next(b for b in citizen.buttons() if b.startswith("✅")))
        else:
            await citizen.press("✅")
        return citizen


def forged() -> dict[str, str]:
    address = ".".join(str(random.randint(1, 254)) for _ in range(4))
    return {"X-Forwarded-For": address, "Forwarded": f"for={address}", "X-Real-IP": address}


async def this_weeks_digest(web_bot) -> str:
    from bot.entry.cli_digest import digest_for
    from reporting.digest import parse_week

    today = datetime.now(web_bot.settings.zone).date()
    year, week, _ = today.isocalendar()
    runtime = web_bot.runtime
    week_period = parse_week(f"{year}-W{week:02d}")
    return "\n".join(await digest_for(runtime.content, runtime.database, week_period))


async def test_a_script_dropping_cookies_gets_no_more_than_the_hourly_limit_counted(
    web_bot, caplog
):
    caplog.set_level(logging.INFO)
    tries = [await one_form(web_bot.url) for _ in range(LIMIT + 3)]
    assert [THANKS in c.page for c in tries] == [True] * LIMIT + [False] * 3
    assert len(await stored_responses(web_bot.runtime)) == LIMIT
    refused = tries[-1]
    assert refused.status == 429
    assert "თქვენი პასუხები შენახულია" in refused.page and "-ის შემდეგ" in refused.page
    assert "კიდევ ერთი კითხვარის შევსება" not in refused.page, "no 'fill in another'"
    warnings = [r.getMessage() for r in caplog.records if "limit of 6 web forms" in r.getMessage()]
    assert len(warnings) == 1 and "127.0.0.1" not in warnings[0]


async def test_typing_the_send_buttons_label_counts_as_a_send_under_the_limit(web_bot):
    tries = [await one_form(web_bot.url, typed=True) for _ in range(LIMIT + 3)]
    assert [THANKS in c.page for c in tries] == [True] * LIMIT + [False] * 3
    assert tries[-1].status == 429 and "თქვენი პასუხები შენახულია" in tries[-1].page
    assert len(await stored_responses(web_bot.runtime)) == LIMIT


async def test_after_a_typed_send_the_browser_gets_a_new_session(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await answer_all(citizen)
        before = {c.key: c.value for c in http.cookie_jar}
        await citizen.write(next(b for b in citizen.buttons() if b.startswith("✅")))
        assert THANKS in citizen.page
        after = {c.key: c.value for c in http.cookie_jar}
        assert after["feedback_session"] != before["feedback_session"]


async def test_the_form_over_the_limit_keeps_its_answers_and_says_when_to_come_back(web_bot):
    for _ in range(LIMIT):
        await one_form(web_bot.url)
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await answer_all(citizen)
        send = {"b": citizen.buttons()["✅ გაგზავნა"], "csrf": _csrf(citizen)}
        async with http.post(web_bot.url, data=send) as refused:
            assert refused.status == 429
            retry = int(refused.headers["Retry-After"])
            page = await refused.text()
        assert 3000 < retry <= 3600, retry
        assert "⬅️ ჩემს კითხვარზე დაბრუნება" in page
        await citizen.open()
        assert "✅ გაგზავნა" in citizen.buttons(), "the summary is still there to send later"
    assert len(await stored_responses(web_bot.runtime)) == LIMIT


async def test_forged_forwarded_addresses_do_not_buy_more_forms(web_bot):
    tries = [await one_form(web_bot.url, forged()) for _ in range(LIMIT + 3)]
    assert sum(THANKS in c.page for c in tries) == LIMIT
    assert len(await stored_responses(web_bot.runtime)) == LIMIT


@pytest.mark.parametrize("behind_proxy", [True])
async def test_a_phone_taking_a_new_ipv6_address_for_every_form_gets_no_more_counted(web_bot):
    network = ipaddress.IPv6Network("2001:db8:1:2::/64")
    tries = [
        await one_form(web_bot.url, {"X-Forwarded-For": str(network[random.getrandbits(64)])})
        for _ in range(LIMIT + 2)
    ]
    assert sum(THANKS in c.page for c in tries) == LIMIT
    assert len(await stored_responses(web_bot.runtime)) == LIMIT
    neighbour = await one_form(web_bot.url, {"X-Forwarded-For": "2001:db8:1:3400::1"})
    assert THANKS in neighbour.page, "another customer's /56 is someone else"


@pytest.mark.parametrize(("behind_proxy", "total_limit"), [(True, LIMIT - 2)])
async def test_a_script_with_many_addresses_is_held_by_the_ceiling_when_one_is_set(web_bot):
    addresses = [{"X-Forwarded-For": f"198.51.100.{n}"} for n in range(1, LIMIT + 1)]
    tries = [await one_form(web_bot.url, headers) for headers in addresses]
    assert [THANKS in c.page for c in tries] == [True] * (LIMIT - 2) + [False] * 2
    assert tries[-1].status == 429 and "თქვენი პასუხები შენახულია" in tries[-1].page


async def test_the_digest_flags_a_stuffed_week_and_groups_identical_comments(web_bot):
    for _ in range(LIMIT + 2):
        await one_form(web_bot.url, forged())
    text = await this_weeks_digest(web_bot)
    assert "უჩვეულო კვირა" in text
    assert f"<b>{LIMIT}</b> ფორმა ერთმანეთის ზუსტი ასლია" in text
    assert "არცერთი არ წაშლილა" in text
    assert f"<b>×{LIMIT}</b>" in text, "the same comment once, with its count"
    assert text.count("შეშა ძვირია") == 1


async def test_a_registered_kiosk_sends_past_the_limit_and_a_removed_one_no_longer(web_bot):
    runtime = web_bot.runtime
    _said, link = await kiosk_command(web_bot, action="add", label="მისაღები")
    assert link.startswith("http://127.0.0.1:") and "/kiosk/" in link
    path = "/kiosk/" + link.split("/kiosk/")[1]
    async with browser() as tablet:
        desk = WebCitizen(web_bot.url, tablet)
        await desk.open(path)
        await desk.press("✅")
        assert desk.status == 200 and "კიოსკია" in desk.page
        for _ in range(LIMIT + 2):  # one citizen after another at the front desk
            await answer_all(desk)
            await desk.press("✅")
            assert THANKS in desk.page
        async with browser() as other:  # the link was used up
            thief = WebCitizen(web_bot.url, other)
            await thief.open(path)
            await thief.press("✅")
            assert thief.status == 410
        for _ in range(LIMIT):  # the town hall's address, from ordinary browsers
            assert THANKS in (await one_form(web_bot.url)).page
        assert len(await stored_responses(runtime)) == 2 * LIMIT + 2
        [listed] = await kiosk_command(web_bot, action="list")
        assert listed.endswith(f"ამ კვირაში გაგზავნილი ფორმები: {LIMIT + 2}"), listed
        await kiosk_command(web_bot, action="remove", id=listed.split("\t")[0])
        await answer_all(desk)
        await desk.press("✅")
        assert desk.status == 429, "an ordinary browser again, over its address's limit"


@pytest.mark.parametrize("kiosk_limit", [LIMIT + 2])
async def test_a_kiosk_cookie_is_no_unlimited_pass_its_kiosk_has_a_limit_of_its_own(web_bot):
    _said, link = await kiosk_command(web_bot, action="add", label="მისაღები")
    async with browser() as tablet:
        desk = WebCitizen(web_bot.url, tablet)
        await desk.open("/kiosk/" + link.split("/kiosk/")[1])
        await desk.press("✅")
        sent = []
        for n in range(LIMIT + 3):  # pressed and typed in turn
            typed = n % 2 == 1
            await answer_all(desk)
            if typed:
                await desk.write(next(b for b in desk.buttons() if b.startswith("✅")))
            else:
                await desk.press("✅")
            sent.append(THANKS in desk.page)
        assert sent == [True] * (LIMIT + 2) + [False]
        assert desk.status == 429 and "თქვენი პასუხები შენახულია" in desk.page
    assert len(await stored_responses(web_bot.runtime)) == LIMIT + 2


async def test_at_a_kiosk_a_questionnaire_left_half_way_starts_afresh_for_the_next_person(
    web_bot, clock
):
    from tests.support.attacks import rows

    _said, link = await kiosk_command(web_bot, action="add", label="მისაღები")
    async with browser() as tablet:
        desk = WebCitizen(web_bot.url, tablet)
        await desk.open("/kiosk/" + link.split("/kiosk/")[1])
        await desk.press("✅")
        await desk.open()
        await desk.press("▶️")
        for label in ("ზამთრის თბობა", "ქალი"):
            await desk.press(label)
        clock.now += timedelta(minutes=9)  # the same person, slow: still theirs
        await desk.open()
        assert any(b.startswith("ნათესავისგან") for b in desk.buttons())
        clock.now += timedelta(minutes=11)  # they walked away; someone else comes
        await desk.open()
        assert "▶️" in " ".join(desk.buttons()), "the welcome, for the next person"
        assert not any(b.startswith("ნათესავისგან") for b in desk.buttons())
        assert await rows(web_bot.runtime, "SELECT count(*) FROM drafts") == [(0,)]
        await answer_all(desk)
        await desk.press("✅")
        assert THANKS in desk.page


async def kiosk_command(web_bot, **arguments: str) -> list[str]:
    from bot.entry.cli_kiosk import run_kiosk

    runtime = web_bot.runtime
    return await run_kiosk(
        argparse.Namespace(**arguments),
        web_bot.settings,
        runtime.content,
        runtime.database,
        runtime.municipality,
    )


def _csrf(citizen: WebCitizen) -> str:
    import html

    from tests.support.web_citizen import CSRF

    return html.unescape(CSRF.search(citizen.page)[1])


@pytest.mark.parametrize("behind_proxy", [False, True])
async def test_staff_are_told_once_when_the_proxys_forwarded_address_is_not_believed(
    web_bot, caplog, behind_proxy
):
    caplog.set_level(logging.WARNING)
    async with browser(headers={"X-Forwarded-For": "203.0.113.9"}) as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        await citizen.open()
    told = [r for r in caplog.records if "FORWARDED_ALLOW_IPS=127.0.0.1" in r.getMessage()]
    assert len(told) == (0 if behind_proxy else 1)
    assert all("203.0.113.9" not in r.getMessage() for r in caplog.records)
