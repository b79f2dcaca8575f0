"""The web questionnaire's page on a reused and on a fresh connection: ours against a bare
Starlette + jinja2 page, both served by uvicorn on 127.0.0.1 in a process of their own, in
one run (issue 25, point 5: every answer after the first on a reused connection waited
~40 ms, TCP_NODELAY being off).

    python bench/web.py [--requests 400]

Prints p50/p99 in milliseconds per server and connection kind. A reused connection should
cost no more than a fresh one (it saves the TCP handshake).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_PAGE = """<!doctype html><html lang="ka"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>
<form method="post" action="/"><input type="hidden" name="csrf" value="{{ csrf }}">
<p>{{ question }}</p>{% for label in labels %}
<button type="submit" name="b" value="{{ loop.index }}">{{ label }}</button>{% endfor %}
</form></main></body></html>"""


def bare_app():  # type: ignore[no-untyped-def]
    """A Starlette page rendered by jinja2 with a form of buttons, and nothing else."""
    from jinja2 import Environment
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    template = Environment(autoescape=True).from_string(BARE_PAGE)
    labels = [f"პასუხი ნომერი {n} — საკმაოდ გრძელი ქართული ტექსტით" for n in range(12)]

    async def page(_request):  # type: ignore[no-untyped-def]
        html = template.render(
            title="ამბროლაურის მუნიციპალიტეტი", csrf=secrets.token_urlsafe(24),
            question="რამდენად კმაყოფილი ხართ მომსახურებით?", labels=labels,
        )  # fmt: skip
        return HTMLResponse(html)

    return Starlette(routes=[Route("/", page)])


def serve_bare(port: int) -> None:
    import uvicorn

    uvicorn.run(bare_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def start_bot(port: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MESSENGER_"))}
    env |= {
        "WEB_ENABLED": "true",
        "WEBHOOK_PORT": str(port),
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        "FEEDBACK_SECRET": secrets.token_hex(32),
        "SCHEDULED_JOBS": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "bot.entry.cli", "run"]
    return subprocess.Popen(command, env=env, cwd=folder, stderr=subprocess.PIPE)


def cookie_of(port: int) -> str:
    """Our page as a returning citizen sees it: the session cookie the first visit set."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    connection.close()
    return "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])


def timings(port: int, headers: dict[str, str], count: int, reuse: bool) -> list[float]:
    """Fresh connections come from many addresses (127.0.2.x), as many people's would; a
    reused one from one address: the per-address page budget is not what is measured."""
    taken = []
    sources = itertools.cycle(f"127.0.2.{n}" for n in range(1, 251))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        if not reuse:
            source = (next(sources), 0)
            connection = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30, source_address=source
            )
        started = time.perf_counter()
        connection.request("GET", "/", headers=headers)
        response = connection.getresponse()
        body = response.read()
        taken.append((time.perf_counter() - started) * 1000)
        assert response.status == 200 and body, response.status
        if not reuse:
            connection.close()
    connection.close()
    return taken


def page_size(port: int, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers=headers)
    size = len(connection.getresponse().read())
    connection.close()
    return size


def line(name: str, kind: str, taken: list[float]) -> str:
    p50 = statistics.median(taken)
    p99 = statistics.quantiles(taken, n=100)[98]
    return f"{name:<28} {kind:<7} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="at most 500")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)  # the bare server itself
    args = parser.parse_args()
    if args.bare:
        serve_bare(args.bare)
        return
    ours, bare = free_port(), free_port()
    with tempfile.TemporaryDirectory() as folder:
        bot = start_bot(ours, Path(folder))
        other = subprocess.Popen(
            [sys.executable, __file__, "--bare", str(bare)], stderr=subprocess.PIPE
        )
        try:
            wait_until_up(ours, bot)
            wait_until_up(bare, other)
            cookie = {"Cookie": cookie_of(ours)}
            print(f"{os.cpu_count()} cores, {args.requests} requests each, GET / on 127.0.0.1")
            for name, port, headers in (
                ("ours (web questionnaire)", ours, cookie),
                ("bare Starlette + jinja2", bare, {}),
            ):
                timings(port, headers, 50, reuse=False)  # warm up
                print(f"{name:<28} page of {page_size(port, headers):,} bytes")
                for kind, reuse in (("reused", True), ("fresh", False)):
                    print(line(name, kind, timings(port, headers, args.requests, reuse)))
        finally:
            for process in (bot, other):
                process.terminate()
                process.wait(30)


if __name__ == "__main__":
    main()
