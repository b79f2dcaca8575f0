"""A citizen on Facebook Messenger, played by a test through signed webhook calls."""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.support.fake_graph_api import FakeGraphApi, Sent

PAGE_ID = "104857600000001"
_mids = itertools.count(1)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Webhook:
    url: str
    app_secret: str
    http: aiohttp.ClientSession
    posted: int = 0
    """Calls the bot accepted (200): each is handled after the answer."""

    async def post(self, payload: dict[str, Any], signature: str | None = "sign") -> int:
        """POSTs the payload as Meta would; ``signature`` "sign" signs it, else used as is."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            signature = sign(body, self.app_secret)
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self.http.post(self.url, data=io.BytesIO(body), headers=headers) as response:
            self.posted += response.status == 200
            return response.status


def page_payload(*items: dict[str, Any]) -> dict[str, Any]:
    entry = {"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(items)}
    return {"object": "page", "entry": [entry]}


@dataclass
class MessengerCitizen:
    graph: FakeGraphApi
    webhook: Webhook
    psid: str
    received: list[Sent] = field(default_factory=list)

    def item(self, **content: Any) -> dict[str, Any]:
        return {
            "sender": {"id": self.psid},
            "recipient": {"id": PAGE_ID},
            "timestamp": int(time.time() * 1000) + next(_mids),
            **content,
        }

    def message(self, **content: Any) -> dict[str, Any]:
        return self.item(message={"mid": f"m_{self.psid}_{next(_mids)}", **content})

    async def deliver(self, item: dict[str, Any], expect_reply: bool = True) -> list[str]:
        """Sends one item and returns the texts the page sent back."""
        before = len(self.graph.sent)
        assert await self.webhook.post(page_payload(item)) == 200
        self.graph.posted_for[self.psid] += 1
        # A bot in another process cannot be watched: wait for its answers with wait_until.
        assert self.graph.spied, "deliver() needs the in-process bot (messenger_bot fixture)"
        posted = self.graph.posted_for[self.psid]
        await self.graph.wait_until(lambda: self.graph.handled_for[self.psid] >= posted)
        replies = self.graph.to(self.psid, since=before)
        assert replies or not expect_reply, "the bot handled the message without a word"
        self.received.extend(replies)
        return [sent.text for sent in replies]

    async def say(self, text: str) -> list[str]:
        return await self.deliver(self.message(text=text))

    async def get_started(self, ref: str | None = None) -> list[str]:
        postback: dict[str, Any] = {"title": "Get Started", "payload": "start"}
        if ref:
            postback["referral"] = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
        return await self.deliver(self.item(postback=postback))

    async def open_link(self, ref: str) -> list[str]:
        """m.me/<page>?ref=<ref> in a thread that already exists."""
        referral = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
        return await self.deliver(self.item(referral=referral))

    @property
    def quick_replies(self) -> list[dict[str, Any]]:
        """The quick replies under the last message that had any."""
        for sent in reversed(self.received):
            if sent.quick_replies:
                return sent.quick_replies
        return []

    async def tap(self, title_start: str) -> list[str]:
        """Taps the quick reply whose title starts with ``title_start``."""
        for reply in self.quick_replies:
            if reply["title"].startswith(title_start):
                quick = {"payload": reply["payload"]}
                return await self.deliver(self.message(text=reply["title"], quick_reply=quick))
        titles = [reply["title"] for reply in self.quick_replies]
        raise AssertionError(f"no quick reply starting {title_start!r} in {titles}")
