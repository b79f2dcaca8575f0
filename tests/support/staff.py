"""The staff console under test: a running server with two municipalities, accounts of any
role, and signed-in clients (httpx, with the CSRF token handled) and browser pages.

In a test module::

    from tests.support.staff import HOME, OTHER
    # the fixture staff_console comes from tests/e2e/conftest.py

    async def test_an_analyst_reads_texts(staff_console):
        analyst = await staff_console.account(Role.ANALYST)
        async with staff_console.client(analyst) as http:
            page = await http.get(f"/staff/{HOME}/texts")
            done = await http.post_form(f"/staff/{HOME}/texts", {"publish": "17"})
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from argon2 import PasswordHasher

from bot.application.staff_accounts import Role, StaffAccounts
from bot.application.staff_secrets import new_totp_secret
from bot.config.settings import Settings
from bot.entry.runner import serve
from bot.wiring.bootstrap import Runtime, build_runtime

HOME = "default"
"""The municipality the environment configures (``MUNICIPALITY_CODE``'s default)."""
OTHER = "marneuli"
"""A second municipality, from a file in ``MUNICIPALITIES_DIR``."""
PASSWORD = "a long test passphrase"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class Member:
    email: str
    role: Role
    municipality: str | None
    password: str = PASSWORD
    totp_secret: str | None = None
    clock: Callable[[], datetime] | None = None
    """The server's clock (a test's may stand still): the code is the one for its time."""
    steps: list[int] = field(default_factory=list, compare=False)
    """The time-steps whose codes this member has used (the set-up's is one before now)."""

    def code(self) -> str:
        """The second factor's next unused code ('' without one): the server takes each
        code once, one step either side of its time. A test's clock may stand still, so
        when the step after the clock's has been used too, the clock moves on 30 s."""
        if not self.totp_secret:
            return ""
        totp = pyotp.TOTP(self.totp_secret)
        now = self.clock() if self.clock else datetime.now(UTC)
        step = max([totp.timecode(now) - 1, *(s + 1 for s in self.steps)])
        if step > totp.timecode(now) + 1 and hasattr(self.clock, "now"):
            self.clock.now = now + timedelta(seconds=totp.interval)  # type: ignore[union-attr]
            now = self.clock.now  # type: ignore[union-attr]
        self.steps.append(step)
        return totp.at(now, counter_offset=step - totp.timecode(now))


def csrf_in(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class StaffClient(httpx.AsyncClient):
    """An httpx client on the console; ``post_form`` adds the session's CSRF token."""

    csrf: str = ""

    async def post_form(
        self, path: str, data: Mapping[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        return await self.post(path, data={"csrf": self.csrf, **(data or {})}, **kwargs)


@dataclass
class Console:
    url: str
    runtime: Runtime
    settings: Settings
    accounts: StaffAccounts
    """The service on the server's database (cheap hashing: tests make many accounts)."""

    async def account(
        self,
        role: Role,
        municipality: str | None = HOME,
        email: str | None = None,
        totp: bool | None = None,
    ) -> Member:
        """A ready account (password set; TOTP for admins, or when ``totp``)."""
        place = None if role is Role.NATIONAL else municipality
        email = email or f"{role.value}-{secrets.token_hex(3)}@{place or 'national'}.test"
        token = await self.accounts.add(email, role, place)
        secret = new_totp_secret() if (totp or (totp is None and role is Role.ADMIN)) else None
        code = self.totp(secret, -1) if secret else ""
        await self.accounts.finish_setup(token, PASSWORD, secret, code)
        used = [pyotp.TOTP(secret).timecode(self.runtime.clock()) - 1] if secret else []
        return Member(email, role, place, PASSWORD, secret, self.runtime.clock, used)

    def totp(self, secret: str, offset: int = 0) -> str:
        """The code an authenticator app shows for ``secret`` at the server's time (or
        ``offset`` steps of 30 s from it: each code is good once, and the clock may stand
        still)."""
        return pyotp.TOTP(secret).at(self.runtime.clock(), counter_offset=offset)

    async def setup_link(self, role: Role, municipality: str | None = HOME) -> tuple[str, str]:
        """An account waiting for its set-up: (e-mail, the set-up page's path)."""
        email = f"new-{role.value}-{secrets.token_hex(3)}@example.test"
        token = await self.accounts.add(
            email, role, None if role is Role.NATIONAL else municipality
        )
        return email, f"/staff/setup/{token}"

    def anonymous(self) -> StaffClient:
        return StaffClient(base_url=self.url, follow_redirects=False, timeout=30)

    @asynccontextmanager
    async def client(self, member: Member) -> AsyncIterator[StaffClient]:
        """Signed in through the sign-in form, as a browser would; ``csrf`` set."""
        async with self.anonymous() as http:
            await sign_in(http, member)
            yield http


async def sign_in(http: StaffClient, member: Member) -> httpx.Response:
    form = await http.get("/staff/sign-in")
    answer = await http.post(
        "/staff/sign-in",
        data={
            "csrf": csrf_in(form.text),
            "email": member.email,
            "password": member.password,
            "code": member.code(),
        },
    )
    assert answer.status_code == 303, answer.text
    home = await http.get(f"/staff/{member.municipality or HOME}/")
    http.csrf = csrf_in(home.text)
    return answer


async def signed_in_page(browser: Any, console: Console, member: Member, width: int = 390) -> Any:
    """A Playwright page (a context of its own) signed in through the form."""
    context = await browser.new_context(viewport={"width": width, "height": 844}, locale="ka-GE")
    page = await context.new_page()
    await page.goto(console.url + "/staff/sign-in")
    await page.fill("#email", member.email)
    await page.fill("#password", member.password)
    if member.totp_secret:
        await page.fill("#code", member.code())
    await page.click("button[type=submit] >> nth=-1")
    await page.wait_for_load_state()
    return page


def write_other_municipality(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "municipalities"
    folder.mkdir(exist_ok=True)
    (folder / f"{OTHER}.yaml").write_text(
        "name: {ka: მარნეული, en: Marneuli Municipality}\nquarter_start_month: 1\n",
        encoding="utf-8",
    )
    return {"MUNICIPALITIES_DIR": str(folder)}


@asynccontextmanager
async def running_console(env: Mapping[str, str], clock: Any) -> AsyncIterator[Console]:
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    runtime = await build_runtime(settings, clock=clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(runtime, stop))
    url = f"http://127.0.0.1:{settings.webhook_port}"
    async with httpx.AsyncClient() as http:
        for _ in range(500):
            if serving.done():
                serving.result()
            try:
                if (await http.get(url + "/healthz")).status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.02)
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    from bot.application.staff_secrets import Passwords

    accounts = StaffAccounts(
        runtime.database.staff,
        clock,
        timedelta(minutes=settings.staff_idle_minutes),
        Passwords(cheap),
    )
    try:
        yield Console(url, runtime, settings, accounts)
    finally:
        stop.set()
        await serving
        await runtime.close()


@pytest.fixture
async def staff_console(
    web_env: dict[str, str], clock: Any, tmp_path: Path
) -> AsyncIterator[Console]:
    """The console of two municipalities (``HOME`` and ``OTHER``) on a running server."""
    env = {**web_env, **write_other_municipality(tmp_path)}
    async with running_console(env, clock) as console:
        yield console
