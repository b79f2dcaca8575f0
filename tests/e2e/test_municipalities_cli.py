"""The command line with several municipalities: it names one or refuses to guess, and no
path reads, exports, corrects or publishes another municipality's data."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.config.settings import Settings
from storage import open_database
from tests.e2e.test_cli import run_cli
from tests.support import seed_000
from tests.support.process import process_env

HOME, OTHER = "ambrolauri", "marneuli"
HOME_TEXT, OTHER_TEXT = "ამბროლაურის გზა გააკეთეთ", "მარნეულში წყალი გვჭირდება"


@pytest.fixture
def installation(settings_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "municipalities"
    folder.mkdir()
    (folder / f"{OTHER}.yaml").write_text(
        "name: {ka: მარნეულის მუნიციპალიტეტი}\npublic_min_count: 3\n", encoding="utf-8"
    )
    env = settings_env | {"MUNICIPALITIES_DIR": str(folder), "MUNICIPALITY_CODE": HOME}
    env = {k: v for k, v in env.items() if k != "TELEGRAM_BOT_TOKEN"}
    asyncio.run(_seed(env))
    return process_env(env)


async def _seed(env: dict[str, str]) -> None:
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in env.items()})
    database = await open_database(settings.database_url, home=HOME)
    answers = seed_000.answers()
    for code, count, text in ((HOME, 12, HOME_TEXT), (OTHER, 2, OTHER_TEXT)):
        async with database.transaction(code) as tx:
            for n in range(count):
                given = {**answers[n], "suggestions": f"{text} {n}"}
                await tx.responses.add("social_services_v1", "paper", given, date(2025, 7, 1))
            await tx.commit()
    await database.close()


async def _first_id(env: dict[str, str], code: str) -> str:
    database = await open_database(env["DATABASE_URL"], home=HOME)
    async with database.analysis(code) as analysis:
        found = await analysis.responses_between(date(2025, 6, 1), date(2025, 8, 31))
    await database.close()
    return found[0].id[:8]


def test_with_several_municipalities_a_command_refuses_to_guess(installation, tmp_path):
    for args in (
        ["report", "--quarter", "2025Q1", "--out", str(tmp_path / "r")],
        ["comments", "list", "2025Q1"],
        ["export", "--out", str(tmp_path / "e")],
        ["notes", "2025Q1", "summary", "ტექსტი"],
    ):
        result = run_cli(args, installation, tmp_path)
        assert result.returncode == 2, (args, result.stdout)
        [line] = result.stderr.strip().splitlines()
        assert "--municipality" in line and HOME in line and OTHER in line
    result = run_cli(
        ["report", "--quarter", "2025Q1", "--municipality", "tbilisi", "--out", "r"],
        installation,
        tmp_path,
    )
    assert result.returncode == 2 and "tbilisi" in result.stderr


def test_no_command_line_path_reaches_another_municipalitys_data(installation, tmp_path):
    home_id = asyncio.run(_first_id(installation, HOME))
    mine = ["--municipality", OTHER]
    listed = run_cli(["comments", "list", "2025Q1", *mine], installation, tmp_path)
    assert listed.returncode == 0 and OTHER_TEXT in listed.stdout
    assert HOME_TEXT not in listed.stdout
    for args in (
        ["comments", "category", home_id, "information"],
        ["comments", "publish", home_id],
    ):
        result = run_cli([*args, *mine], installation, tmp_path)
        assert result.returncode != 0 and "ვერ მოიძებნა" in result.stderr, args
    out = tmp_path / "other_export"
    assert run_cli(["export", "--out", str(out), *mine], installation, tmp_path).returncode == 0
    exported = (out.with_suffix(".csv")).read_text(encoding="utf-8-sig")
    assert OTHER_TEXT in exported and HOME_TEXT not in exported
    for args in (
        ["notes", "2025Q1", "summary", "მარნეულის შეჯამება"],
        ["applications", "set", "2025Q1", "winter_heating", "7"],
    ):
        assert run_cli([*args, *mine], installation, tmp_path).returncode == 0
    report = tmp_path / "home_report"
    result = run_cli(
        [
            "report",
            "--quarter",
            "2025Q1",
            "--format",
            "docx",
            "--municipality",
            HOME,
            "--out",
            str(report),
        ],
        installation,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(next(report.glob("*.docx"))).paragraphs)
    assert "მარნეულის შეჯამება" not in text and "ამბროლაურის" in text
    cells = [
        c.text
        for t in Document(next(report.glob("*.docx"))).tables
        for r in t.rows
        for c in r.cells
    ]
    assert "7" not in cells or "185" not in cells  # marneuli's applications are not Ambrolauri's


def test_the_national_report_compares_municipalities_and_hides_small_cells(installation, tmp_path):
    out = tmp_path / "national"
    result = run_cli(
        [
            "report",
            "--all-municipalities",
            "--quarter",
            "2025Q1",
            "--format",
            "html,xlsx,docx",
            "--out",
            str(out),
        ],
        installation,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out / "national_2025Q1.xlsx").active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    home, other = rows["ამბროლაურის მუნიციპალიტეტი"], rows["მარნეულის მუნიციპალიტეტი"]
    assert other[1] == "<3", "two respondents are not printed as 2"
    assert set(other[3:7]) <= {"x", "—"}, "no share or category of two people"
    assert "x" in (home[1], rows["სულ"][1]), "12 and the total would give the 2 away"
    assert home[4] not in ("x", "—"), "a large municipality's satisfaction is shown"
    assert "&lt;3" in (out / "national_2025Q1.html").read_text(encoding="utf-8")
    assert Document(out / "national_2025Q1.docx").tables[0].rows[2].cells[1].text == "<3"


async def _add(env: dict[str, str], code: str, version: str, answers: list[dict]) -> None:
    database = await open_database(env["DATABASE_URL"], home=HOME)
    async with database.transaction(code) as tx:
        for given in answers:
            await tx.responses.add(version, "paper", given, date(2025, 7, 1))
        await tx.commit()
    await database.close()


def test_national_report_counts_only_the_builtin_forms_responses(installation, tmp_path):
    """Marneuli's kindergarten answers are not social-services answers: they swell neither
    its responses nor its response rate."""
    from tests.support.xlsforms import kindergarten

    mine = ["--municipality", OTHER]
    added = run_cli(["form", "add", str(kindergarten(tmp_path)), *mine], installation, tmp_path)
    assert added.returncode == 0, added.stderr
    garden = {"garden": "garden_1", "content": "5", "liked": "food", "children": "1"}
    asyncio.run(_add(installation, OTHER, "kindergarten_v1", [garden] * 4))
    asyncio.run(_add(installation, OTHER, "social_services_v1", seed_000.answers()[2:5]))
    for service, count in (("newborn", "6"), ("disabled_persons", "4")):  # those answered
        applied = ["applications", "set", "2025Q1", service, count, *mine]
        assert run_cli(applied, installation, tmp_path).returncode == 0
    out = tmp_path / "national"
    args = ["report", "--all-municipalities", "--quarter", "2025Q1", "--format", "xlsx"]
    result = run_cli([*args, "--out", str(out)], installation, tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out / "national_2025Q1.xlsx").active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    other = rows["მარნეულის მუნიციპალიტეტი"]
    assert other[1:4] == (5, 10, "50%"), "2 + 3 social-services answers of 10 applications"


@pytest.fixture
def own_services(installation: dict[str, str]) -> dict[str, str]:
    """Marneuli lists its own services (a gas subsidy in newborn help's place), as in
    ``test_municipalities``; its web questionnaire is where its QR codes point."""
    from tests.e2e.test_municipalities import OTHER_SERVICES

    path = Path(installation["MUNICIPALITIES_DIR"]) / f"{OTHER}.yaml"
    with path.open("a", encoding="utf-8") as file:
        file.write(f"services: {OTHER_SERVICES}\n")
    gas = {**seed_000.answers()[0], "service": "gas_subsidy"}
    asyncio.run(_add(installation, OTHER, "social_services_v1", [gas] * 3))
    return installation | {"WEB_BASE_URL": "https://feedback.example.ge"}


def test_the_command_line_works_on_a_municipalitys_own_services(own_services, tmp_path):
    """The same list as its bot: applications for its own service, a QR code for each of
    its services only, its report names them, and a typed-in file may answer them."""
    from tests.e2e.test_municipalities import GAS

    mine = ["--municipality", OTHER]
    applied = ["applications", "set", "2025Q1", "gas_subsidy", "40", *mine]
    result = run_cli(applied, own_services, tmp_path)
    assert result.returncode == 0 and "შენახულია" in result.stdout, result.stderr
    refused = ["applications", "set", "2025Q1", "gas_subsidy", "4", "--municipality", HOME]
    assert run_cli(refused, own_services, tmp_path).returncode != 0, "not Ambrolauri's service"

    qr = tmp_path / "qr"
    result = run_cli(["qr", "--out", str(qr), *mine], own_services, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (qr / "qr_gas_subsidy.png").is_file() and not list(qr.glob("qr_newborn*"))
    links = (qr / "links.txt").read_text(encoding="utf-8")
    assert "https://feedback.example.ge/m/marneuli/q/gas_subsidy" in links and GAS in links

    out = tmp_path / "report"
    args = ["report", "--quarter", "2025Q1", "--format", "html", "--out", str(out), *mine]
    result = run_cli(args, own_services, tmp_path)
    assert result.returncode == 0, result.stderr
    report = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert GAS in report and "gas_subsidy" not in report
    assert "ამ 1 სერვისზე — 8%" in report, "3 of gas subsidy's 40 applications"

    from tests.support.forms import QUESTIONNAIRE, form_header, form_rows, write_csv

    [row] = form_rows(1)
    row[2 + [q.id for q in QUESTIONNAIRE.questions].index("service")] = GAS
    typed = write_csv(tmp_path / "google.csv", [form_header(), row])
    imported = ["import", str(typed), "--channel", "paper", *mine]
    result = run_cli(imported, own_services, tmp_path)
    assert result.returncode == 0 and "შენახულია 1 ახალი" in result.stdout, result.stderr
    assert asyncio.run(_services(own_services, OTHER)).count("gas_subsidy") == 4


def test_a_file_imported_for_a_municipality_lands_in_its_data_only(installation, tmp_path):
    from tests.support.forms import form_header, form_rows, write_csv

    typed = write_csv(tmp_path / "google.csv", [form_header(), *form_rows(3)])
    args = ["import", str(typed), "--channel", "paper", "--municipality", OTHER]
    for stored in (3, 0):  # the second time: the same rows were imported already
        result = run_cli(args, installation, tmp_path)
        assert result.returncode == 0 and f"შენახულია {stored} ახალი" in result.stdout
    assert len(asyncio.run(_services(installation, OTHER))) == 2 + 3
    assert len(asyncio.run(_services(installation, HOME))) == 12, "nothing of it is Ambrolauri's"


async def _services(env: dict[str, str], code: str) -> list[str]:
    database = await open_database(env["DATABASE_URL"], home=HOME)
    async with database.analysis(code) as analysis:
        found = await analysis.responses_between(date.min, date.max)
    await database.close()
    return [r.answers["service"] for r in found]


def test_municipalities_are_managed_from_the_command_line_without_secrets(installation, tmp_path):
    result = run_cli(
        [
            "municipality",
            "add",
            "bolnisi",
            "--name-ka",
            "ბოლნისის მუნიციპალიტეტი",
            "--languages",
            "ka,az,ru",
        ],
        installation,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    refused = run_cli(
        ["municipality", "set", "bolnisi", "telegram.token", "123:abc"], installation, tmp_path
    )
    assert refused.returncode == 2 and "bolnisi" in refused.stderr and "telegram" in refused.stderr
    assert "123:abc" not in (Path(installation["MUNICIPALITIES_DIR"]) / "bolnisi.yaml").read_text()
    ok = run_cli(
        ["municipality", "set", "bolnisi", "staff.analysts", "[777]"], installation, tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    listed = run_cli(["municipality", "list"], installation, tmp_path).stdout
    assert "bolnisi" in listed and "ka,az,ru" in listed and OTHER in listed and HOME in listed
    assert run_cli(["municipality", "disable", "bolnisi"], installation, tmp_path).returncode == 0
    assert "disabled" in run_cli(["municipality", "list"], installation, tmp_path).stdout
    shown = run_cli(["municipality", "show", "bolnisi"], installation, tmp_path).stdout
    assert "777" in shown


def test_a_form_belongs_to_the_municipality_that_loaded_it(installation, tmp_path):
    from tests.support.xlsforms import kindergarten

    path = str(kindergarten(tmp_path))
    refused = run_cli(["form", "add", path], installation, tmp_path)
    assert refused.returncode == 2 and "--municipality" in refused.stderr
    added = run_cli(["form", "add", path, "--municipality", OTHER], installation, tmp_path)
    assert added.returncode == 0, added.stderr
    assert f"მუნიციპალიტეტი: {OTHER}" in added.stdout
    theirs = run_cli(["form", "list", "--municipality", OTHER], installation, tmp_path).stdout
    mine = run_cli(["form", "list", "--municipality", HOME], installation, tmp_path).stdout
    assert "kindergarten" in theirs and "kindergarten" not in mine
    report = run_cli(
        [
            "report",
            "--quarter",
            "2025Q1",
            "--form",
            "kindergarten",
            "--municipality",
            HOME,
            "--out",
            str(tmp_path / "r"),
        ],
        installation,
        tmp_path,
    )
    assert report.returncode == 2 and "kindergarten" in report.stderr


BAD_FILES = {
    "timezone": ("timezone: Asia/Tbilsi\n", "დროის სარტყელი „Asia/Tbilsi“ უცნობია"),
    "languages": ("languages: [ru, ka]\n", "პირველი ქართული (ka) უნდა იყოს"),
    "telegram.token": ('telegram: {token: "123:abc"}\n', "საიდუმლო"),
    "telegram.token_env": ("telegram: {token_env: NO_SUCH_TOKEN}\n", "NO_SUCH_TOKEN"),
    "staff.emails": ("staff: {emails: [not-an-address]}\n", "ელფოსტის მისამართი არ არის"),
    "services.0.code": ("services: [{name: {ka: ახალი}}]\n", "სავალდებულოა"),
    "services.1": ("services: [free_meals, free_meal]\n", "„free_meal“ სტანდარტულ სიაში არ არის"),
}


@pytest.mark.parametrize("key", BAD_FILES)
def test_a_bad_municipality_file_stops_the_start_with_one_georgian_line(
    key, settings_env, tmp_path
):
    """The clerk who fixes the file reads which municipality and which key, in Georgian."""
    folder = tmp_path / "municipalities"
    folder.mkdir()
    written, reason = BAD_FILES[key]
    (folder / "bolnisi.yaml").write_text(
        "name: {ka: ბოლნისის მუნიციპალიტეტი}\n" + written, encoding="utf-8"
    )
    env = process_env(settings_env | {"MUNICIPALITIES_DIR": str(folder)})
    env.pop("NO_SUCH_TOKEN", None)
    result = run_cli(["run"], env, tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "მუნიციპალიტეტის „bolnisi“" in line and f"„{key}“ არასწორია" in line, line
    assert reason in line and "bolnisi.yaml" in line, line


def test_the_national_view_of_overlapping_periods_is_refused_and_the_year_hides_as_much(
    installation, tmp_path
):
    """The issue's attack: two comparisons of overlapping periods, subtracted, showed one
    response in one municipality. Only quarters and years are compared now, and each row is
    the municipality's own audited public figures (the year is that quarter here)."""
    out = tmp_path / "national"
    base = ["report", "--all-municipalities", "--format", "xlsx", "--out", str(out)]
    for start, end in (("2025-06-01", "2025-09-30"), ("2025-09-01", "2025-09-30")):
        refused = run_cli([*base, "--from", start, "--to", end], installation, tmp_path)
        assert refused.returncode != 0 and "Traceback" not in refused.stderr
        assert "კვარტლებსა და წლებზე" in refused.stderr
    made = run_cli([*base, "--quarter", "2025"], installation, tmp_path)
    assert made.returncode == 0, made.stderr
    sheet = load_workbook(out / "national_2025.xlsx").active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    other = rows["მარნეულის მუნიციპალიტეტი"]
    assert other[1] == "<3" and set(other[3:7]) <= {"x", "—"}, "two people stay hidden"
    assert rows["სულ"][1] == "x", "a total over a hidden count would give it back"
