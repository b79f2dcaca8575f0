"""The Grafana dashboard and the alert rules in deploy/ ask for figures the bot exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot.wiring.metrics import Backups, Metrics

DEPLOY = Path(__file__).parents[2] / "deploy"
NAME = re.compile(r"\bfeedback_[a-z_]+")


async def exposed() -> set[str]:
    async def no(_=None) -> bool:
        return False

    async def backups() -> Backups:
        return Backups(1, None)

    metrics = Metrics(no, backups)
    metrics.turn("telegram", 0.1, failed=True)
    metrics.request("web", 200)
    metrics.job("digest", failed=True)
    text = (await metrics.scrape(database_up=True)).decode()
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line[:1] != "#"}


async def test_every_figure_the_dashboard_and_the_alerts_ask_for_is_exposed():
    names = await exposed()
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    asked = {t["expr"] for panel in dashboard["panels"] for t in panel["targets"]}
    rules = yaml.safe_load((DEPLOY / "prometheus-alerts.yml").read_text())
    asked |= {rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    wanted = {name for expr in asked for name in NAME.findall(expr)}
    assert wanted and wanted <= names, sorted(wanted - names)
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert {"FeedbackBotDown", "FeedbackBotHealthzFailing", "FeedbackBotJobsFailing"} <= alerts
    assert {"FeedbackBotBackupTooOld", "FeedbackBotServerErrors"} <= alerts


def test_the_dashboards_panels_do_not_overlap():
    panels = json.loads((DEPLOY / "grafana-dashboard.json").read_text())["panels"]
    cells = [
        (x, y)
        for p in panels
        for x in range(p["gridPos"]["x"], p["gridPos"]["x"] + p["gridPos"]["w"])
        for y in range(p["gridPos"]["y"], p["gridPos"]["y"] + p["gridPos"]["h"])
    ]
    assert len(cells) == len(set(cells)) and max(x for x, _ in cells) < 24
