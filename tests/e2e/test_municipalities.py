"""Two municipalities side by side in one process: Telegram (two bots), Messenger (two pages
of one app), the web (``/`` and ``/m/marneuli/``); each citizen's answers land in their own
municipality, each staff gets its own digest, and nobody reaches the other's data."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.application.municipality_file import standard_services
from bot.application.reports import ReportOrder
from bot.config.settings import Settings
from bot.dialogue.events import ANALYST_COMMANDS, PAPER_COMMANDS
from bot.entry.runner import serve
from bot.wiring.bootstrap import Runtime, build_runtime
from tests.conftest import _count_handled_calls, free_port, make_token, wait_for_polling
from tests.e2e.test_messenger import answer_up_to_summary as messenger_up_to_summary
from tests.support import seed_000
from tests.support.citizen import Citizen
from tests.support.fake_bot_api import FakeBotApi, FakeBotApis
from tests.support.fake_graph_api import FakeGraphApi
from tests.support.flows import SUGGESTION, complete
from tests.support.messenger_citizen import MessengerCitizen, Webhook
from tests.support.web_citizen import WebCitizen, browser

HOME, OTHER = "ambrolauri", "marneuli"
PAGES = {HOME: "104857600000001", OTHER: "204857600000002"}
STAFF_CHATS = {HOME: -100111, OTHER: -100222}
ANALYSTS = {HOME: 640000001, OTHER: 640000002}
CLERKS = {HOME: 640000011, OTHER: 640000012}
NAMES = {HOME: "ამბროლაურის მუნიციპალიტეტი", OTHER: "მარნეულის მუნიციპალიტეტი"}
NATIONAL = 640000099
"""An analyst of the association: the national comparison, nothing of one municipality."""
MONDAY = datetime(2025, 9, 8, 5, 5, tzinfo=UTC)  # 09:05 in Tbilisi: the digest is due
LAST_WEEK = {
    HOME: [date(2025, 9, 1), date(2025, 9, 3), date(2025, 9, 5)],
    OTHER: [date(2025, 9, 2)],
}


GAS = "ბუნებრივი აირის სუბსიდია"
"""Marneuli's own service (its short label: ``აირის სუბსიდია``); newborn help it does not
offer, and its mountain allowance it no longer offers."""
OTHER_SERVICES = [
    *(
        {"code": "gas_subsidy", "name": {"ka": GAS, "en": "Gas"}, "short": {"ka": "აირის სუბსიდია"}}
        if code == "newborn"  # in its place: winter heating keeps its number (15)
        else code
        for code in standard_services()
        if code != "other"
    ),
    {"code": "mountain_bonus", "name": {"ka": "მთის დანამატი"}, "offered": False},
]


@dataclass
class Two:
    apis: dict[str, FakeBotApi]
    graph: FakeGraphApi
    page_tokens: dict[str, str]
    root: str
    webhook: Webhook
    runtime: Runtime

    def telegram(self, code: str, user_id: int) -> Citizen:
        return Citizen(self.apis[code], user_id)

    def messenger(self, code: str, psid: str) -> MessengerCitizen:
        return MessengerCitizen(self.graph, self.webhook, psid, page_id=PAGES[code])


def write_installation(tmp_path: Path, tokens: dict[str, str]) -> dict[str, str]:
    """marneuli.yaml (secrets named, kept in a secrets file) beside the home municipality
    configured by the environment, as an upgraded single-municipality installation is."""
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / f"{OTHER}.yaml").write_text(
        f"""
name: {{ka: {NAMES[OTHER]}, en: Marneuli Municipality}}
quarter_start_month: 1
telegram: {{token_env: MARNEULI_TELEGRAM_TOKEN}}
messenger: {{page_id: "{PAGES[OTHER]}", page_token_env: MARNEULI_PAGE_TOKEN}}
staff: {{analysts: [{ANALYSTS[OTHER]}], paper: [{CLERKS[OTHER]}], chats: [{STAFF_CHATS[OTHER]}]}}
services: {OTHER_SERVICES}
""",
        encoding="utf-8",
    )
    secrets_file = tmp_path / "secrets.env"
    secrets_file.write_text(
        f"MARNEULI_TELEGRAM_TOKEN={tokens['telegram']}\nMARNEULI_PAGE_TOKEN={tokens['page']}\n"
    )
    return {"MUNICIPALITIES_DIR": str(folder), "SECRETS_FILE": str(secrets_file)}


async def seed(runtime: Runtime) -> None:
    answers = seed_000.answers()
    for code, days in LAST_WEEK.items():
        async with runtime.database.transaction(code) as tx:
            for n, day in enumerate(days):
                await tx.responses.add("social_services_v1", "telegram", answers[n], day)
            await tx.commit()


@pytest.fixture
async def two(settings_env: dict[str, str], tmp_path: Path, clock, monkeypatch) -> Two:
    clock.now = MONDAY
    tokens = {"telegram": make_token(), "page": "EAAG" + secrets.token_urlsafe(40)}
    apis = {
        HOME: FakeBotApi(settings_env["TELEGRAM_BOT_TOKEN"]),
        OTHER: FakeBotApi(tokens["telegram"]),
    }
    bot_apis = FakeBotApis(*apis.values())
    page_tokens = {HOME: "EAAG" + secrets.token_urlsafe(40), OTHER: tokens["page"]}
    graph = FakeGraphApi(page_tokens[HOME], page_tokens[OTHER])
    _count_handled_calls(graph, monkeypatch)
    env = settings_env | write_installation(tmp_path, tokens)
    env |= {
        "MUNICIPALITY_CODE": HOME,
        "MUNICIPALITY_NAME": NAMES[HOME],
        "TELEGRAM_BASE_URL": await bot_apis.start(),
        "MESSENGER_PAGE_TOKEN": page_tokens[HOME],
        "MESSENGER_PAGE_ID": PAGES[HOME],
        "MESSENGER_APP_SECRET": secrets.token_hex(16),
        "MESSENGER_VERIFY_TOKEN": secrets.token_urlsafe(12),
        "MESSENGER_GRAPH_URL": await graph.start(),
        "MESSENGER_MODE": "chat",
        "WEB_ENABLED": "true",
        "WEBHOOK_PORT": str(free_port()),
        "ANALYST_IDS": str(ANALYSTS[HOME]),
        "STAFF_IDS": str(CLERKS[HOME]),
        "STAFF_CHAT_IDS": str(STAFF_CHATS[HOME]),
        "SCHEDULED_JOBS": "true",
        "NATIONAL_ANALYST_IDS": str(NATIONAL),
    }
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime = await build_runtime(settings, clock=clock)
    await seed(runtime)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    root = f"http://127.0.0.1:{settings.webhook_port}"
    async with aiohttp.ClientSession() as http:
        for api in apis.values():
            await wait_for_polling(api, serving)
        while len(graph.profiles) < 2:
            await asyncio.sleep(0.02)
        webhook = Webhook(f"{root}/messenger/webhook", env["MESSENGER_APP_SECRET"], http)
        yield Two(apis, graph, page_tokens, root, webhook, runtime)
    stop.set()
    await serving
    await runtime.close()
    await graph.stop()
    await bot_apis.stop()


async def today_responses(runtime: Runtime, code: str) -> list[str]:
    async with runtime.database.analysis(code) as analysis:
        found = await analysis.responses_between(MONDAY.date(), MONDAY.date())
    return sorted(response.channel for response in found)


@pytest.mark.both_databases
async def test_each_citizens_answers_land_in_their_own_municipality_on_every_channel(two: Two):
    # The same Telegram user answers both municipalities' bots.
    for code in (HOME, OTHER):
        citizen = two.telegram(code, 5001)
        await complete(citizen)
        assert NAMES[code] in citizen.received[0]["text"]
    # A page's citizen is answered by that page only.
    citizen = two.messenger(OTHER, "7301234567890123")
    await messenger_up_to_summary(citizen)
    await citizen.tap("✅")
    assert {sent.page_token for sent in citizen.received} == {two.page_tokens[OTHER]}
    assert NAMES[OTHER] in citizen.received[0].text
    # The web page of the other municipality, in the same browser as the home one's.
    async with browser() as http:
        web = WebCitizen(two.root, http)
        await web.open(f"/m/{OTHER}/")
        assert NAMES[OTHER] in web.page
        await web.press("▶️")
        for label in ("ზამთრის თბობა", "ქალი", "ნათესავისგან", "ნაწილობრივ", "3 — მარტივი"):
            await web.press(label)
        for label in ("4 —", "5 — ძალიან კარგი", "4 — ცდილობდნენ", "არა"):
            await web.press(label)
        await web.write(SUGGESTION)
        await web.press("✅")
        assert "გმადლობთ" in web.page
        home_page = WebCitizen(two.root, http)
        await home_page.open("/")
        assert NAMES[HOME] in home_page.page and "/ 10" not in home_page.page
    assert await today_responses(two.runtime, HOME) == ["telegram"]
    assert await today_responses(two.runtime, OTHER) == ["messenger", "telegram", "web"]


async def test_the_same_person_has_a_separate_questionnaire_in_each_municipality(two: Two):
    home = two.telegram(HOME, 5002)
    await home.send("/start")
    await home.press("ზამთრის თბობა")
    other = two.telegram(OTHER, 5002)
    replies = await other.send("/start")
    assert NAMES[OTHER] in replies[0] and "კითხვა 1 /" in replies[-1], "a fresh questionnaire"
    again = await home.send("/start")
    assert "უკვე დაიწყეთ" in again[-1], "the home municipality's questionnaire is kept"


async def test_each_municipalitys_staff_get_their_own_digest(two: Two):
    for code, chat in STAFF_CHATS.items():
        api = two.apis[code]
        await api.wait_until(lambda api=api, chat=chat: bool(api.sent(chat)), 60)
        [text] = [
            c.params["text"] for c in api.sent(chat) if "კვირის მიმოხილვა" in c.params["text"]
        ]
        assert f"პასუხები: <b>{len(LAST_WEEK[code])}</b>" in text
    for code, api in two.apis.items():
        foreign = [chat for c, chat in STAFF_CHATS.items() if c != code]
        assert not any(api.sent(chat) for chat in foreign), "no bot writes to another's staff"


async def test_every_staff_and_analyst_command_across_municipalities_is_refused(two: Two):
    refusals = {
        "analyst": "მხოლოდ მერიის ანალიტიკოსებისთვისაა",
        "paper": "მხოლოდ მერიის თანამშრომლებისთვისაა",
    }
    for code, other in ((HOME, OTHER), (OTHER, HOME)):
        analyst = two.telegram(other, ANALYSTS[code])  # an analyst of `code` at `other`'s bot
        clerk = two.telegram(other, CLERKS[code])
        for name in ANALYST_COMMANDS:
            replies = await analyst.send(f"/{name} 2025Q1")
            assert len(replies) == 1 and refusals["analyst"] in replies[0], (code, name, replies)
        for name in PAPER_COMMANDS:
            replies = await clerk.send(f"/{name}")
            assert len(replies) == 1 and refusals["paper"] in replies[0], (code, name, replies)
        assert not two.apis[other].sent(analyst.chat_id, method="sendDocument")


async def test_an_analyst_sees_and_corrects_only_their_own_municipalitys_comments(two: Two):
    home_ids = await comment_ids(two.runtime, HOME)
    analyst = two.telegram(OTHER, ANALYSTS[OTHER])
    listed = "\n".join(await analyst.send("/comments 2025-09-01 2025-09-07"))
    assert not any(f"#{short}" in listed for short in home_ids), "another's comments"
    for short in home_ids:
        for command in (f"/category {short} information", f"/publish {short}"):
            [reply] = await analyst.send(command)
            assert "ვერ მოიძებნა" in reply, (command, reply)
    async with two.runtime.database.analysis(HOME) as analysis:
        assert not await analysis.reviews(), "nothing of the home municipality's was changed"


async def test_the_associations_analyst_gets_the_comparison_and_nothing_else(two: Two):
    national = two.telegram(OTHER, NATIONAL)
    [refused] = await national.send("/national 2025-09-01 2025-09-07")  # not a quarter
    assert "შედარება კეთდება მხოლოდ კვარტლებსა და წლებზე" in refused
    [running] = await national.send("/national 2025-09-01 2025-11-30")  # not ended yet
    assert "ჯერ არ დასრულებულა" in running
    await national.send("/national 2025-06-01 2025-08-31")  # the home one's last ended quarter
    api = two.apis[OTHER]
    await api.wait_until(lambda: len(api.sent(NATIONAL, method="sendDocument")) == 3, 60)
    [page] = [v for k, v in api.documents(NATIONAL).items() if k.endswith(".html")]
    assert f"შედარებაში არ არის: {NAMES[OTHER]}" in page.decode()  # its quarters start in January
    [reply] = await national.send("/comments 2025-09-01 2025-09-07")
    assert "მხოლოდ მერიის ანალიტიკოსებისთვისაა" in reply


async def comment_ids(runtime: Runtime, code: str) -> list[str]:
    async with runtime.database.analysis(code) as analysis:
        found = await analysis.responses_between(date(2025, 9, 1), date(2025, 9, 7))
    return [r.id[:8] for r in found if r.answers.get("suggestions")]


@pytest.fixture
async def two_webhooks(settings_env: dict[str, str], tmp_path: Path, clock):
    """The same installation in ``run --webhook`` mode: each bot at its own address."""
    tokens = {"telegram": make_token(), "page": "EAAG" + secrets.token_urlsafe(40)}
    apis = {
        HOME: FakeBotApi(settings_env["TELEGRAM_BOT_TOKEN"]),
        OTHER: FakeBotApi(tokens["telegram"]),
    }
    bot_apis = FakeBotApis(*apis.values())
    port = free_port()
    folder = write_installation(tmp_path, tokens)
    (Path(folder["MUNICIPALITIES_DIR"]) / f"{OTHER}.yaml").write_text(
        f"name: {{ka: {NAMES[OTHER]}}}\ntelegram: {{token_env: MARNEULI_TELEGRAM_TOKEN}}\n",
        encoding="utf-8",
    )
    env = (
        settings_env
        | folder
        | {
            "MUNICIPALITY_CODE": HOME,
            "TELEGRAM_BASE_URL": await bot_apis.start(),
            "TELEGRAM_WEBHOOK_URL": "https://feedback.example.ge/telegram/webhook",
            "WEBHOOK_PORT": str(port),
        }
    )
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop, webhook=True))
    for api in apis.values():
        await api.wait_until(lambda api=api: bool(api.webhook) or serving.done(), 30)
    if serving.done():
        serving.result()
    yield apis, f"http://127.0.0.1:{port}", runtime
    stop.set()
    await serving
    await runtime.close()
    await bot_apis.stop()


async def test_in_webhook_mode_each_bot_has_its_own_address_and_secret(two_webhooks):
    apis, root, runtime = two_webhooks
    home, other = apis[HOME].webhook, apis[OTHER].webhook
    assert home["url"] == "https://feedback.example.ge/telegram/webhook"
    assert other["url"] == f"https://feedback.example.ge/telegram/{OTHER}/webhook"
    assert home["secret_token"] != other["secret_token"]
    paths = {HOME: "/telegram/webhook", OTHER: f"/telegram/{OTHER}/webhook"}
    async with aiohttp.ClientSession() as http:
        update = Citizen(apis[OTHER], 5003).message_update(text="/start")
        update["update_id"] = 1
        headers = {"X-Telegram-Bot-Api-Secret-Token": home["secret_token"]}
        async with http.post(root + paths[OTHER], json=update, headers=headers) as response:
            assert response.status == 403, "one bot's secret does not open another's door"
    for code, api in apis.items():
        api.webhook_targets = [root + paths[code]]
        await complete(Citizen(api, 5003))
    for code in (HOME, OTHER):
        async with runtime.database.analysis(code) as analysis:
            found = await analysis.responses_between(date.min, date.max)
        assert [r.channel for r in found] == ["telegram"]


async def test_a_form_loaded_for_one_municipality_is_offered_there_only(two: Two, tmp_path: Path):
    from bot.questionnaire.xlsform import read_xlsform
    from tests.support.xlsforms import kindergarten

    async with two.runtime.database.forms(OTHER) as forms:
        await forms.add(read_xlsform(kindergarten(tmp_path)), MONDAY)
        await forms.commit()
    for place in two.runtime.everywhere:  # as the next scheduler tick does
        await place.refresh_forms()
    other = two.telegram(OTHER, 5003)
    [choose] = await other.send("/start")
    assert "რომელ კითხვარს" in choose
    intro, first = await other.press("საბავშვო ბაღი")
    assert NAMES[OTHER] in intro and "კითხვა 1 / 5" in first
    home = two.telegram(HOME, 5003)
    replies = await home.send("/start kindergarten")
    assert "ვერ ამოვიცანი" in replies[1] and "კითხვა 1 / 10" in replies[-1]


async def test_each_municipality_offers_its_own_services_and_reports_every_one_answered(
    two: Two, tmp_path: Path
):
    """Marneuli's list on every channel; its report names a service removed since."""
    newborn = "ახალშობილის დახმარება"
    other = two.telegram(OTHER, 5004)
    await other.send("/start")
    assert "აირის სუბსიდია" in other.buttons() and newborn not in other.buttons()
    assert "მთის დანამატი" not in str(other.buttons()), "no longer offered"
    await other.press("აირის სუბსიდია")
    home = two.telegram(HOME, 5004)
    await home.send("/start")
    assert newborn in home.buttons() and "აირის სუბსიდია" not in home.buttons()
    said = "\n".join(await two.messenger(OTHER, "7301234567890777").get_started())
    assert "აირის სუბსიდია" in said and newborn not in said
    async with browser() as http:
        web = WebCitizen(two.root, http)
        await web.open(f"/m/{OTHER}/q/gas_subsidy")
        await web.press("▶️")
        assert "კითხვა 2 / 10" in web.page, "the service from the link is Marneuli's own"
        await web.press("⬅️")
        assert "აირის სუბსიდია" in web.buttons() and newborn not in web.buttons()
    clerk = two.telegram(OTHER, CLERKS[OTHER])
    await clerk.send("/paper")
    await clerk.press("დღეს")
    assert "აირის სუბსიდია" in clerk.buttons() and newborn not in clerk.buttons()

    analyst = two.telegram(OTHER, ANALYSTS[OTHER])
    [saved] = await analyst.send("/applications 2025Q1 gas_subsidy 40")
    assert "შენახულია" in saved
    [refused] = await two.telegram(HOME, ANALYSTS[HOME]).send("/applications 2025Q1 gas_subsidy 4")
    assert "არ არსებობს" in refused, "not a service of the home municipality"
    answers = seed_000.answers()
    async with two.runtime.database.transaction(OTHER) as tx:
        for n, code in enumerate(("gas_subsidy", "gas_subsidy", "newborn", "mountain_bonus")):
            given = {**answers[n], "service": code}
            await tx.responses.add("social_services_v1", "paper", given, date(2025, 2, 3))
        await tx.commit()
    place = two.runtime.of(OTHER)
    period = place.settings.quarters.parse("2025Q1")
    [page] = await place.reports.write(ReportOrder(period, formats=("html",)), tmp_path)
    report = page.read_text(encoding="utf-8")
    for name in (GAS, "მთის დანამატი", "ახალშობილთა ოჯახების ერთჯერადი ფულადი დახმარება"):
        assert name in report, f"{name} answered in the period is in the report"
    assert "ამ 1 სერვისზე — 5%" in report, "2 of gas subsidy's 40 applications"
