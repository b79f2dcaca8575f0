"""The layers the folders show: each imports only what lies beneath it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ("bot/questionnaire",)
ADAPTERS_AND_ENTRY_POINTS = (
    "bot.channels",
    "bot.entry",
    "bot.wiring",
    "bot.dialogue",
    "bot.application.analyst_desk",
    "bot.staff",
)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def files(*places: str) -> list[Path]:
    found = []
    for place in places:
        path = ROOT / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in found if "migrations" not in f.parts]


def project(module: str) -> bool:
    return module.split(".")[0] in {"bot", "storage", "reporting"}


def test_the_questionnaire_domain_imports_nothing_but_itself():
    domain = ("bot.questionnaire",)
    for path in files(*DOMAIN):
        outside = {m for m in imports(path) if project(m) and not m.startswith(domain)}
        assert not outside, f"{path.relative_to(ROOT)} imports {outside}"


def test_storage_and_reporting_never_import_adapters_dialogue_or_entry_points():
    for path in files("storage", "reporting"):
        wrong = {m for m in imports(path) if m.startswith(ADAPTERS_AND_ENTRY_POINTS)}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_dialogue_knows_no_channel_no_storage_and_no_entry_point():
    for path in files("bot/dialogue"):
        wrong = {
            m
            for m in imports(path)
            if m.startswith(("storage", "reporting", "bot.channels", "bot.entry", "bot.wiring"))
        }
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_no_channel_imports_an_entry_point_the_wiring_or_an_application_service():
    """A channel is wired in from above (``bot.wiring``); it never reaches back up."""
    for path in files("bot/channels"):
        wrong = {
            m for m in imports(path) if m.startswith(("bot.entry", "bot.wiring", "bot.application"))
        }
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_only_entry_points_import_the_command_lines_modules():
    """Configuration, form choice, storage and reporting say what is wrong (a ``Refusal``);
    the entry points alone decide how it is printed."""
    for path in files("bot", "storage", "reporting"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if module.startswith(ADAPTERS_AND_ENTRY_POINTS):
            continue
        wrong = {m for m in imports(path) if m.startswith("bot.entry")}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_configuration_never_imports_reporting():
    """Settings read the period arithmetic from the domain (``bot.questionnaire.periods``):
    configuration sits above reporting, never beneath it."""
    for path in files(
        "bot/config/settings.py",
        "bot/application/municipalities.py",
        "bot/application/municipality_settings.py",
    ):
        wrong = {m for m in imports(path) if m.startswith("reporting")}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_common_helpers_import_nothing_of_the_project():
    """``bot.common`` (atomic files) lies beneath every layer, so any of them may use it."""
    for path in files("bot/common"):
        wrong = {m for m in imports(path) if project(m)}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_reporting_imports_of_the_bot_only_the_domain_and_the_common_helpers():
    """Reporting lies beneath the application: it never reaches for a module beside the entry
    points (``bot.atomic`` was one), and a municipality reaches it as plain values."""
    allowed = ("bot.questionnaire", "bot.common")
    for path in files("reporting"):
        wrong = {m for m in imports(path) if m.split(".")[0] == "bot" and not m.startswith(allowed)}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def names_imported(path: Path) -> set[tuple[str, str]]:
    return {
        (node.module, alias.name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_one_report_service_builds_every_report():
    """The command line, the jobs and the analysts' chat ask ``bot.application.reports``;
    nothing else in the bot wires the pipeline that writes report files."""
    pipeline = {("reporting.build", "produce"), ("reporting.national", "write_public_national")}
    for path in files("bot"):
        if path == ROOT / "bot" / "application" / "reports.py":
            continue
        wrong = names_imported(path) & pipeline
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_bot_folder_holds_packages_only():
    """Every module says its layer by its folder: entry points, wiring, configuration,
    application services, channels, dialogue, the domain and the common helpers."""
    loose = [p.name for p in (ROOT / "bot").glob("*.py") if p.name != "__init__.py"]
    assert not loose, f"modules directly in bot/: {loose}"


def test_application_services_know_no_entry_point_wiring_or_channel():
    """The services are called by the command line, the jobs, the chat and (later) the staff
    console alike, so none of them may reach up into one of those."""
    for path in files("bot/application"):
        wrong = {
            m
            for m in imports(path)
            if m.startswith(("bot.entry", "bot.wiring", "bot.channels", "bot.staff"))
        }
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_staff_console_is_a_front_door_that_reaches_only_downwards():
    """``bot.staff`` asks the application services, storage, reporting, the dialogue and
    the domain; it never reaches a channel, the wiring or an entry point."""
    for path in files("bot/staff"):
        wrong = {
            m for m in imports(path) if m.startswith(("bot.entry", "bot.wiring", "bot.channels"))
        }
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_only_entry_points_and_the_wiring_import_the_staff_console():
    for path in files("bot", "storage", "reporting"):
        if path.is_relative_to(ROOT / "bot" / "staff"):
            continue
        if path.is_relative_to(ROOT / "bot" / "entry") or path.is_relative_to(
            ROOT / "bot" / "wiring"
        ):
            continue
        wrong = {m for m in imports(path) if m.startswith("bot.staff")}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_configuration_imports_only_the_domain_and_the_common_helpers():
    allowed = ("bot.questionnaire", "bot.common", "bot.config")
    for path in files("bot/config"):
        wrong = {m for m in imports(path) if m.split(".")[0] == "bot" and not m.startswith(allowed)}
        wrong |= {m for m in imports(path) if m.split(".")[0] in {"storage", "reporting"}}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"
