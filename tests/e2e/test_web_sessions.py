"""The web session belongs to the server: attacks on it, over HTTP, as an attacker runs them.

An attacker who can put a cookie into someone's browser (a shared computer at the front
desk, a phone lent for a minute) must not be able to read that person's questionnaire with
the same cookie afterwards; a cookie or a Messenger link of one municipality must open
nothing of another's (issue 24, points 3 and 4)."""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot.channels.web.session import COOKIE
from bot.config.settings import Settings
from bot.entry.runner import serve
from bot.wiring.bootstrap import Runtime, build_runtime
from tests.conftest import _count_handled_calls, free_port
from tests.e2e.test_web import answer_all
from tests.support.fake_graph_api import FakeGraphApi
from tests.support.messenger_citizen import MessengerCitizen, Webhook
from tests.support.web_citizen import CSRF, WebCitizen, browser

PROGRESS = re.compile(r"კითხვა \d+ / 10")
BEGIN = "▶️ დაწყება"
LINK_NOT_VALID = "ეს ბმული უკვე გამოყენებულია ან მოძველდა"
EXPIRED = "გვერდი მოძველდა"


@dataclass
class Seen:
    """What an attacker's own client got back: no cookie jar, every header as sent."""

    status: int
    page: str
    cookies: dict[str, tuple[str, str]]
    """Each cookie the server set: its value and its ``Path``."""


async def as_attacker(
    method: str,
    url: str,
    cookie: str | None = None,
    data: dict[str, str] | None = None,
    header: str | None = None,
) -> Seen:
    """One request with exactly the cookie given (the attacker's client keeps none);
    ``header``: a whole ``Cookie`` header instead."""
    if cookie is not None:
        header = f"{COOKIE}={cookie}"
    headers = {"Cookie": header} if header is not None else {}
    jar = aiohttp.DummyCookieJar()
    async with (
        aiohttp.ClientSession(cookie_jar=jar) as http,
        http.request(method, url, headers=headers, data=data) as response,
    ):
        cookies = {name: (m.value, m["path"]) for name, m in response.cookies.items()}
        return Seen(response.status, await response.text(), cookies)


def cookie_in(http: aiohttp.ClientSession, url: str) -> str:
    """The session cookie the browser would send to ``url``."""
    return http.cookie_jar.filter_cookies(URL(url))[COOKIE].value


def plant(http: aiohttp.ClientSession, url: str, value: str) -> None:
    """Puts the attacker's value into the victim's browser, as the server's own would be."""
    http.cookie_jar.update_cookies({COOKIE: value}, URL(url))


async def a_signed_cookie(url: str) -> str:
    """What anyone gets by opening the page: a cookie the server signed."""
    seen = await as_attacker("GET", url)
    assert seen.status == 200 and COOKIE in seen.cookies
    return seen.cookies[COOKIE][0]


async def start_and_answer_two(victim: WebCitizen, path: str = "/") -> None:
    await victim.open(path)
    await victim.press("▶️")
    await victim.press("ზამთრის თბობა")
    await victim.press("ქალი")
    assert "კითხვა 3 / 10" in victim.page


# --- one municipality ------------------------------------------------------------------
@pytest.mark.both_databases
async def test_a_cookie_the_server_never_issued_is_replaced_and_opens_no_draft(web_bot):
    forged = "w." + secrets.token_urlsafe(32)  # 43 characters, as a real one looked
    async with browser() as http:
        plant(http, web_bot.url, forged)
        victim = WebCitizen(web_bot.url, http)
        await start_and_answer_two(victim)
        kept = cookie_in(http, web_bot.url)
    seen = await as_attacker("GET", web_bot.url, forged)
    assert seen.status == 200 and not PROGRESS.search(seen.page), "the victim's question"
    assert BEGIN in seen.page and "ზამთრის" not in seen.page
    assert kept != forged, "the victim's browser got a cookie of the server's"
    assert seen.cookies[COOKIE][0] != forged, "whoever brings it gets a cookie of the server's"
    # Nor does the forged value, with a token worked out for it, get a form through.
    posted = await as_attacker("POST", web_bot.url, forged, {"b": "start", "csrf": "x"})
    assert posted.status == 403 and EXPIRED in posted.page


@pytest.mark.both_databases
async def test_a_signed_cookie_planted_in_a_victims_browser_opens_nothing_of_their_draft(
    web_bot,
):
    planted = await a_signed_cookie(web_bot.url)
    async with browser() as http:
        plant(http, web_bot.url, planted)
        assert cookie_in(http, web_bot.url) == planted
        victim = WebCitizen(web_bot.url, http)
        await start_and_answer_two(victim)
        kept = cookie_in(http, web_bot.url)
    seen = await as_attacker("GET", web_bot.url, planted)
    assert seen.status == 200
    assert not PROGRESS.search(seen.page), "the planter sees no question of the victim's"
    assert BEGIN in seen.page and "ზამთრის" not in seen.page
    assert kept != planted, "a new cookie when the victim began"
    # The planter's own "Begin" starts a questionnaire of their own, not "you have one open".
    csrf = html.unescape(CSRF.search(seen.page)[1])
    async with browser() as attacker:  # the answer's redirect is followed with its cookie
        plant(attacker, web_bot.url, planted)
        began = WebCitizen(web_bot.url, attacker, page=seen.page)
        await began.post({"b": "start", "start": "", "csrf": csrf}, action="/")
    assert "კითხვა 1 / 10" in began.page and "უკვე დაიწყეთ" not in began.page


@pytest.mark.both_databases
async def test_the_cookie_is_new_when_a_questionnaire_begins_and_after_it_is_sent(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await citizen.open()
        first = cookie_in(http, web_bot.url)
        await answer_all(citizen)
        during = cookie_in(http, web_bot.url)
        assert during != first, "a new cookie when the questionnaire began"
        await citizen.press("✅")
        assert "გმადლობთ" in citizen.page
        after = cookie_in(http, web_bot.url)
        assert after not in (first, during), "a new cookie once the form was sent"
        # The same browser goes on as usual with its new cookie.
        await citizen.open()
        assert BEGIN in citizen.page


@pytest.mark.both_databases
async def test_the_page_stays_where_the_citizen_left_it_while_the_cookie_is_renewed(web_bot):
    async with browser() as http:
        citizen = WebCitizen(web_bot.url, http)
        await start_and_answer_two(citizen)
        again = WebCitizen(web_bot.url, http)  # a new tab: "Begin" again shows the open one
        await again.open("/q/winter_heating")
        await again.press("▶️")
        assert "უკვე დაიწყეთ" in again.page
        await again.press("▶️ გაგრძელება")
        assert "კითხვა 3 / 10" in again.page


async def test_the_daily_limit_still_counts_the_browser_though_each_form_has_a_new_cookie(
    web_env, running_runtime_for, clock
):
    web_env["MAX_RESPONSES_PER_DAY"] = "1"
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in web_env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    url = f"http://127.0.0.1:{settings.webhook_port}/"
    try:
        await until_serving(url, serving)
        async with browser() as http:
            citizen = WebCitizen(url, http)
            await answer_all(citizen)
            await citizen.press("✅")
            assert "გმადლობთ" in citizen.page
            await citizen.open()
            await citizen.press("▶️")
            assert "დღის ზღვარია" in citizen.page and not PROGRESS.search(citizen.page)
    finally:
        stop.set()
        await serving
        await runtime.close()


async def until_serving(url: str, serving: asyncio.Task[None]) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(500):
            if serving.done():
                serving.result()
            try:
                async with http.get(url + "healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                await asyncio.sleep(0.02)
    raise AssertionError("the bot did not start serving")


# --- two municipalities ----------------------------------------------------------------
HOME, OTHER = "ambrolauri", "marneuli"
PAGES = {HOME: "104857600000001", OTHER: "204857600000002"}


@dataclass
class Two:
    root: str
    graph: FakeGraphApi
    webhook: Webhook

    def messenger(self, code: str, psid: str) -> MessengerCitizen:
        return MessengerCitizen(self.graph, self.webhook, psid, page_id=PAGES[code])

    async def link(self, code: str, psid: str) -> str:
        """The path of the hand-off link the municipality's page sends in Messenger."""
        citizen = self.messenger(code, psid)
        await citizen.get_started()
        [url] = [url for sent in self.graph.to(psid) for url in sent.urls]
        return "/" + url.split("/", 3)[3]


@pytest.fixture
async def two(settings_env: dict[str, str], tmp_path: Path, clock, monkeypatch) -> Two:
    """The home municipality at ``/`` and Marneuli at ``/m/marneuli/``, each with its
    Facebook page in the default mode (the questionnaire opens on the web page)."""
    tokens = {code: "EAAG" + secrets.token_urlsafe(40) for code in PAGES}
    graph = FakeGraphApi(tokens[HOME], tokens[OTHER])
    _count_handled_calls(graph, monkeypatch)
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / f"{OTHER}.yaml").write_text(
        f'name: {{ka: მარნეულის მუნიციპალიტეტი}}\nmessenger: {{page_id: "{PAGES[OTHER]}", '
        "page_token_env: MARNEULI_PAGE_TOKEN}\n",
        encoding="utf-8",
    )
    secrets_file = tmp_path / "secrets.env"
    secrets_file.write_text(f"MARNEULI_PAGE_TOKEN={tokens[OTHER]}\n")
    env = {key: value for key, value in settings_env.items() if key != "TELEGRAM_BOT_TOKEN"}
    env |= {
        "MUNICIPALITIES_DIR": str(folder),
        "SECRETS_FILE": str(secrets_file),
        "MUNICIPALITY_CODE": HOME,
        "MESSENGER_PAGE_TOKEN": tokens[HOME],
        "MESSENGER_PAGE_ID": PAGES[HOME],
        "MESSENGER_APP_SECRET": secrets.token_hex(16),
        "MESSENGER_VERIFY_TOKEN": secrets.token_urlsafe(12),
        "MESSENGER_GRAPH_URL": await graph.start(),
        "WEB_ENABLED": "true",
        "WEBHOOK_PORT": str(free_port()),
    }
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime: Runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    root = f"http://127.0.0.1:{settings.webhook_port}"
    async with aiohttp.ClientSession() as http:
        async with asyncio.timeout(120):
            while len(graph.profiles) < 2:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.02)
        webhook = Webhook(f"{root}/messenger/webhook", env["MESSENGER_APP_SECRET"], http)
        yield Two(root, graph, webhook)
    stop.set()
    await serving
    await runtime.close()
    await graph.stop()


async def test_each_municipalitys_cookie_is_set_for_its_own_path_only(two: Two):
    home = await as_attacker("GET", two.root + "/")
    other = await as_attacker("GET", two.root + f"/m/{OTHER}/")
    assert home.cookies[COOKIE][1] == "/"
    assert other.cookies[COOKIE][1] == f"/m/{OTHER}/"


async def test_one_municipalitys_cookie_is_refused_and_replaced_on_anothers_page(two: Two):
    for issued_at, used_at in (("/", f"/m/{OTHER}/"), (f"/m/{OTHER}/", "/")):
        issued = await as_attacker("GET", two.root + issued_at)
        cookie = issued.cookies[COOKIE][0]
        csrf = html.unescape(CSRF.search(issued.page)[1])
        # A page of the other municipality does not take it: the browser gets one of its own.
        seen = await as_attacker("GET", two.root + used_at, cookie)
        assert seen.status == 200 and seen.cookies[COOKIE][0] != cookie, (issued_at, used_at)
        # Nor does a form posted there with it and its token begin anything.
        posted = await as_attacker(
            "POST", two.root + used_at, cookie, {"b": "start", "start": "", "csrf": csrf}
        )
        assert posted.status == 403 and not PROGRESS.search(posted.page), (issued_at, used_at)


async def test_a_browser_with_both_municipalities_cookies_keeps_each_questionnaire(two: Two):
    """A real browser sends the home cookie (``/``) along to ``/m/marneuli/`` too; each
    page takes its own, so neither questionnaire is lost."""
    async with browser() as http:
        home = WebCitizen(two.root, http)
        await start_and_answer_two(home, "/")
        other = WebCitizen(two.root, http)
        await other.open(f"/m/{OTHER}/")
        await other.press("▶️")
        await other.press("ზამთრის თბობა")
        assert "კითხვა 2 / 10" in other.page
        cookies = {path: cookie_in(http, two.root + path) for path in ("/", f"/m/{OTHER}/")}
    # As a browser sends them: the more specific path first, then the home one.
    both = f"{COOKIE}={cookies[f'/m/{OTHER}/']}; {COOKIE}={cookies['/']}"
    for path, expected in (("/", "კითხვა 3 / 10"), (f"/m/{OTHER}/", "კითხვა 2 / 10")):
        seen = await as_attacker("GET", two.root + path, header=both)
        assert expected in seen.page and COOKIE not in seen.cookies, path


async def test_a_messenger_link_of_one_municipality_opens_nothing_on_anothers_page(two: Two):
    link = await two.link(OTHER, "7301234567890101")
    assert link.startswith(f"/m/{OTHER}/h/")
    token = link.rsplit("/", 1)[1]
    genuine = await as_attacker("GET", two.root + link)  # only shows "Begin": uses nothing
    csrf = html.unescape(CSRF.search(genuine.page)[1])
    # Under the home municipality's path: the page a forged link gets, and no "Begin".
    foreign = f"/m/{token}"
    seen = await as_attacker("GET", two.root + foreign)
    assert seen.status == 410 and LINK_NOT_VALID in seen.page and BEGIN not in seen.page
    begun = await as_attacker("POST", two.root + foreign, data={"b": "go", "csrf": csrf})
    assert begun.status == 410 and COOKIE not in begun.cookies
    assert not PROGRESS.search(begun.page)
    # The home page's link, the other way round.
    home_link = await two.link(HOME, "7301234567890102")
    home_token = home_link.rsplit("/", 1)[1]
    seen = await as_attacker("GET", two.root + f"/m/{OTHER}/h/{home_token}")
    assert seen.status == 410 and LINK_NOT_VALID in seen.page and BEGIN not in seen.page
    # Each link still opens its own municipality's page: the attempts used up nothing.
    async with browser() as http:
        page = WebCitizen(two.root, http)
        await page.open(link)
        await page.press("▶️")
        assert "კითხვა 1 / 10" in page.page
        assert cookie_in(http, two.root + f"/m/{OTHER}/")
