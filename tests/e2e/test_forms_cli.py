"""Staff load a questionnaire written in Excel; analysts get its report and export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from storage import open_database
from tests.e2e.test_cli import run_cli
from tests.support.process import process_env
from tests.support.xlsforms import (
    KINDERGARTEN_CHOICES,
    KINDERGARTEN_SURVEY,
    broken,
    kindergarten,
    settings,
    write_xlsform,
)

ANSWERS = [
    {"garden": "garden_1", "content": "5", "liked": "food teachers", "children": "1"},
    {"garden": "garden_1", "content": "4", "liked": "food", "children": "2"},
    {
        "garden": "garden_2",
        "content": "2",
        "liked": "hours",
        "children": "1",
        "problems": "yes",
        "problem_text": "სადილი ცივია",
    },
    {
        "garden": "garden_2",
        "content": "3",
        "liked": "food hours",
        "children": "3",
        "problems": "no",
    },
]


async def store(url: str, version: str, answers: list[dict[str, str]], day: date) -> None:
    database = await open_database(url)
    async with database.transaction() as tx:
        for given in answers:
            await tx.responses.add(version, "telegram", given, day)
        await tx.commit()
    await database.close()


def cli(args: list[str], env: dict[str, str], cwd: Path):
    return run_cli(args, process_env(env), cwd)


async def test_staff_load_list_show_and_retire_a_form(settings_env, tmp_path: Path):
    added = cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path)
    assert added.returncode == 0, added.stderr
    assert "საბავშვო ბაღი" in added.stdout and "ვერსია 1" in added.stdout
    again = cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path)
    assert "უკვე ჩატვირთულია იგივე შინაარსით" in again.stdout
    listed = cli(["form", "list"], settings_env, tmp_path).stdout.splitlines()
    assert listed[1].startswith("social_services | 1 |") and "ჩაშენებული" in listed[1]
    assert listed[2].startswith("kindergarten | 1 | საბავშვო ბაღი | 5 | აქტიური")
    shown = cli(["form", "show", "kindergarten"], settings_env, tmp_path).stdout
    assert "liked [რამდენიმე პასუხი, სავალდებულო] რა მოგწონთ ბაღში?" in shown
    assert "შემოწმება: . >= 1 and . <= 5" in shown and "როდის: ${problems} = 'yes'" in shown
    retired = cli(["form", "retire", "kindergarten"], settings_env, tmp_path)
    assert "აღარ შეთავაზდება" in retired.stdout
    assert "გაუქმებული" in cli(["form", "list"], settings_env, tmp_path).stdout
    unknown = cli(["form", "show", "water"], settings_env, tmp_path)
    assert (
        unknown.returncode == 2 and "water" in unknown.stderr and "Traceback" not in unknown.stderr
    )


async def test_a_broken_form_is_refused_with_each_mistake_and_nothing_stored(
    settings_env, tmp_path: Path
):
    refused = cli(["form", "add", str(broken(tmp_path))], settings_env, tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    lines = refused.stderr.splitlines()
    assert "არ ჩაიტვირთა — 15 შეცდომა; არაფერი შენახულა" in lines[0]
    assert any(
        "ფურცელი survey, სტრიქონი 3, სვეტი calculation: გამოთვლას" in line for line in lines
    ), "a calculate is read now; one with nothing to work out is named at its cell"
    assert any("სტრიქონი 11, სვეტი relevant" in line and "later" in line for line in lines)
    listed = cli(["form", "list"], settings_env, tmp_path).stdout
    assert "broken" not in listed
    english = cli(
        ["form", "add", str(broken(tmp_path))], settings_env | {"LANGUAGE": "en"}, tmp_path
    )
    assert 'sheet survey, row 8, column type: The choice list "missing_list"' in english.stderr


async def test_the_report_and_export_of_a_loaded_form_count_its_answers_only(
    settings_env, tmp_path: Path
):
    url = settings_env["DATABASE_URL"]
    assert cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path).returncode == 0
    await store(url, "kindergarten_v1", ANSWERS, date(2025, 7, 1))
    await store(
        url, "social_services_v1", [{"service": "newborn", "gender": "female"}], date(2025, 7, 2)
    )
    out = tmp_path / "reports"
    made = cli(
        [
            "report",
            "--quarter",
            "2025Q1",
            "--form",
            "kindergarten",
            "--format",
            "html",
            "--out",
            str(out),
        ],
        settings_env,
        tmp_path,
    )
    assert made.returncode == 0, made.stderr
    digest = cli(
        ["digest", "--week", "2025-W27", "--print", "--form", "kindergarten"],
        settings_env,
        tmp_path,
    )
    assert "საბავშვო ბაღი" in digest.stdout and "პასუხები: 4 (" in digest.stdout
    builtin = cli(["digest", "--week", "2025-W27", "--print"], settings_env, tmp_path)
    assert "პასუხები: 1 (" in builtin.stdout, "the social services count their own only"
    page = (out / "report_2025Q1.html").read_text(encoding="utf-8")
    assert "კითხვარის „საბავშვო ბაღი“" in page and "სოციალური სერვისებით" not in page
    assert "უკუკავშირი წარმოადგინა 4 მომხმარებელმა" in page
    assert "რამდენიმე პასუხის არჩევა შეიძლებოდა" in page  # liked: food 3 of 4 = 75%
    assert "75%" in page and "ბაღი №2 (ნიკორწმინდა)" in page
    assert "დადებითი პასუხების წილი (ორი საუკეთესო შეფასება): 50%" in page  # content 5, 4
    assert "საშუალო: 1.8." in page  # children 1, 2, 1, 3
    assert "სადილი ცივია" in page
    public = cli(
        [
            "report",
            "--quarter",
            "2025Q1",
            "--form",
            "kindergarten",
            "--public",
            "--format",
            "html",
            "--out",
            str(out),
        ],
        settings_env,
        tmp_path,
    )
    assert public.returncode == 0, public.stderr
    shown = (out / "report_2025Q1_public.html").read_text(encoding="utf-8")
    assert "&lt;3" in shown and "სადილი ცივია" not in shown  # 1–2 people; no unpublished text
    exported = cli(
        ["export", "--form", "kindergarten", "--format", "csv", "--out", str(tmp_path / "kg")],
        settings_env,
        tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    with open(tmp_path / "kg.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == [
        "submitted_on",
        "channel",
        "questionnaire_version",
        "garden",
        "content",
        "liked",
        "children",
        "problems",
        "problem_text",
    ]
    assert rows[1][3] == "რომელ საბავშვო ბაღში დადის თქვენი ბავშვი?"
    assert sorted(row[5] for row in rows[2:]) == ["food", "food hours", "food teachers", "hours"]
    assert {row[2] for row in rows[2:]} == {"kindergarten_v1"}
    default = cli(
        ["export", "--format", "csv", "--out", str(tmp_path / "ss")], settings_env, tmp_path
    )
    assert "1" in default.stdout
    with open(tmp_path / "ss.csv", encoding="utf-8-sig", newline="") as file:
        assert [row[2] for row in list(csv.reader(file))[2:]] == ["social_services_v1"]


async def test_versions_line_up_by_name_and_their_differences_are_said(
    settings_env, tmp_path: Path
):
    url = settings_env["DATABASE_URL"]
    assert cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path).returncode == 0
    await store(url, "kindergarten_v1", ANSWERS[:2], date(2025, 7, 1))
    survey = [row for row in KINDERGARTEN_SURVEY if row[1] != "children"]  # a question dropped
    choices = [*KINDERGARTEN_CHOICES, ("gardens", "garden_4", "ბაღი №4 (ახალი)", "No 4")]
    second = write_xlsform(tmp_path / "kg2.xlsx", survey, choices, settings("kindergarten", None))
    added = cli(["form", "add", str(second)], settings_env, tmp_path)
    assert "ვერსია 2" in added.stdout, added.stderr
    await store(
        url,
        "kindergarten_v2",
        [{"garden": "garden_4", "content": "5", "liked": "food"}],
        date(2025, 7, 3),
    )
    exported = cli(
        ["export", "--form", "kindergarten", "--format", "csv", "--out", str(tmp_path / "kg")],
        settings_env,
        tmp_path,
    )
    assert "„children“ მხოლოდ ვერსიაშია kindergarten_v1" in exported.stdout
    assert "„garden“-ის პასუხები განსხვავდება" in exported.stdout
    with open(tmp_path / "kg.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][3:] == ["garden", "content", "liked", "problems", "problem_text", "children"]
    by_version = {row[2]: row for row in rows[2:]}
    assert by_version["kindergarten_v2"][3] == "garden_4" and by_version["kindergarten_v2"][8] == ""
    out = tmp_path / "reports"
    cli(
        [
            "report",
            "--quarter",
            "2025Q1",
            "--form",
            "kindergarten",
            "--format",
            "html",
            "--out",
            str(out),
        ],
        settings_env,
        tmp_path,
    )
    page = (out / "report_2025Q1.html").read_text(encoding="utf-8")
    assert "აერთიანებს კითხვარის ვერსიებს (kindergarten_v1, kindergarten_v2)" in page
    assert "ბაღი №4 (ახალი)" in page and "უკუკავშირი წარმოადგინა 3 მომხმარებელმა" in page
    assert "„children“ მხოლოდ ვერსიაშია kindergarten_v1" in page, "the report says it too"


async def test_a_loaded_forms_export_imports_back_and_a_google_forms_file_is_read(
    settings_env, tmp_path: Path
):
    url = settings_env["DATABASE_URL"]
    assert cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path).returncode == 0
    await store(url, "kindergarten_v1", ANSWERS, date(2025, 7, 1))
    exported = cli(
        ["export", "--form", "kindergarten", "--format", "xlsx", "--out", str(tmp_path / "kg")],
        settings_env,
        tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    fresh = settings_env | {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"}
    assert cli(["form", "add", str(kindergarten(tmp_path))], fresh, tmp_path).returncode == 0
    again = cli(["import", str(tmp_path / "kg.xlsx"), "--form", "kindergarten"], fresh, tmp_path)
    assert again.returncode == 0, again.stderr
    database = await open_database(fresh["DATABASE_URL"])
    async with database.analysis() as analysis:
        back = await analysis.responses_between(date.min, date.max)
    await database.close()
    assert sorted(r.answers["liked"] for r in back) == [
        "food",
        "food hours",
        "food teachers",
        "hours",
    ]
    assert {r.questionnaire_version for r in back} == {"kindergarten_v1"}

    google = tmp_path / "google.csv"
    header = [
        "Timestamp",
        "რომელ საბავშვო ბაღში დადის თქვენი ბავშვი?",
        "რამდენად კმაყოფილი ხართ ბაღით?",
        "რა მოგწონთ ბაღში?",
        "რამდენი შვილი დადის ამ ბაღში?",
        "შეგექმნათ რაიმე პრობლემა?",
        "გთხოვთ, მოკლედ აღწეროთ, რა პრობლემა იყო.",
    ]
    row = [
        "2025/08/10 5:45:00 PM GMT+4",
        "ბაღი №3 (ჭრებალო)",
        "ძალიან კმაყოფილი",
        "კვება, შენობა და ეზო",
        "2",
        "",
        "",
    ]
    bad = ["2025/08/11 5:45:00 PM GMT+4", "ბაღი №3 (ჭრებალო)", "კმაყოფილი", "კვება", "9", "", ""]
    with open(google, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, row, bad])
    refused = cli(
        ["import", str(google), "--form", "kindergarten", "--channel", "paper"], fresh, tmp_path
    )
    assert refused.returncode != 0 and "9" in refused.stdout + refused.stderr
    with open(google, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, row])
    imported = cli(
        ["import", str(google), "--form", "kindergarten", "--channel", "paper"], fresh, tmp_path
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    database = await open_database(fresh["DATABASE_URL"])
    async with database.analysis() as analysis:
        found = await analysis.responses_between(date(2025, 8, 10), date(2025, 8, 10))
    await database.close()
    assert [r.answers for r in found] == [
        {
            "garden": "garden_3",
            "content": "5",
            "liked": "food building",
            "children": "2",
        }  # "a problem?" is asked only after 3 or less: nothing stored for it
    ]


async def test_qr_codes_and_links_open_a_loaded_form_and_its_first_choice(
    settings_env, tmp_path: Path
):
    env = settings_env | {
        "BOT_USERNAME": "ambrolauri_feedback_bot",
        "WEB_BASE_URL": "https://feedback.example.ge/",
    }
    assert cli(["form", "add", str(kindergarten(tmp_path))], env, tmp_path).returncode == 0
    made = cli(["qr", "--form", "kindergarten", "--out", str(tmp_path / "qr")], env, tmp_path)
    assert made.returncode == 0, made.stderr
    links = (tmp_path / "qr" / "links.txt").read_text(encoding="utf-8")
    assert "საბავშვო ბაღი\n" in links
    assert "https://t.me/ambrolauri_feedback_bot?start=kindergarten\n" in links
    assert "ბაღი №2 (ნიკორწმინდა)" in links
    assert "https://feedback.example.ge/q/kindergarten--garden_2" in links
    assert (tmp_path / "qr" / "sheet_kindergarten--garden_2.pdf").is_file()


WATER_SURVEY = (
    ("type", "name", "label::ka", "required"),
    ("select_one yn", "water_ok", "წყალი რეგულარულად მოდის?", "yes"),
    ("text", "remark", "სხვა შენიშვნა", "no"),
)
WATER_CHOICES = (("list_name", "name", "label::ka"), ("yn", "yes", "დიახ"), ("yn", "no", "არა"))
STAFF_TEXT = "თანამშრომლები ძალიან თავაზიანები იყვნენ"
UNSURE_TEXT = "მადლობა, მაგრამ ვერ ვიტყვი რომ ყველაფერი კარგად იყო"  # thanks and a complaint


async def test_a_loaded_forms_free_text_is_categorised_listed_and_corrected_like_suggestions(
    settings_env, tmp_path: Path
):
    url = settings_env["DATABASE_URL"]
    water = write_xlsform(
        tmp_path / "water.xlsx", WATER_SURVEY, WATER_CHOICES, settings("water", "1", "წყალი")
    )
    assert cli(["form", "add", str(water)], settings_env, tmp_path).returncode == 0
    given = [
        {"water_ok": "no", "remark": UNSURE_TEXT},
        {"water_ok": "yes", "remark": STAFF_TEXT},
        {"water_ok": "yes"},
    ]
    await store(url, "water_v1", given, date(2025, 7, 1))
    await store(
        url, "social_services_v1", [{"service": "newborn", "suggestions": "x"}], date(2025, 7, 1)
    )
    listed = cli(["comments", "list", "2025Q1", "--form", "water"], settings_env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [row[4] for row in rows] == [UNSURE_TEXT, STAFF_TEXT], "unsure first; its own only"
    assert all(row[0].startswith("#") and row[0].endswith("/remark") for row in rows)
    assert rows[0][2:4] == ["სხვა", "❓ სანახავია"]
    assert rows[1][2:4] == ["თანამშრომელთა მომსახურება", ""]
    fixed = cli(
        ["comments", "category", rows[0][0], "information", "--form", "water"],
        settings_env,
        tmp_path,
    )
    assert fixed.returncode == 0, fixed.stderr
    again = cli(["comments", "list", "2025Q1", "--form", "water"], settings_env, tmp_path)
    corrected = next(line for line in again.stdout.splitlines() if UNSURE_TEXT in line)
    assert corrected.split("\t")[2:4] == ["ინფორმაციის ხელმისაწვდომობა", ""]
    published = cli(["comments", "publish", rows[1][0], "--form", "water"], settings_env, tmp_path)
    assert published.returncode == 0, published.stderr
    wrong = cli(["comments", "category", rows[1][0], "information"], settings_env, tmp_path)
    assert wrong.returncode != 0 and "ვერ მოიძებნა" in wrong.stderr, "no such text on the form"

    out = tmp_path / "reports"
    for public in ([], ["--public"]):
        asked = ["report", "--quarter", "2025Q1", "--form", "water", "--format", "html,xlsx"]
        made = cli(
            [*asked, "--out", str(out), *public],
            settings_env,
            tmp_path,
        )
        assert made.returncode == 0, made.stderr
    page = (out / "report_2025Q1.html").read_text(encoding="utf-8")
    assert "„სხვა შენიშვნა“ — კატეგორიების მიხედვით" in page
    assert "ინფორმაციის ხელმისაწვდომობა" in page and "თანამშრომელთა მომსახურება" in page
    assert UNSURE_TEXT in page and "/remark" in page
    assert "1 კომენტარის კატეგორია ანალიტიკოსმა ხელით დააზუსტა" in page
    assert "გამოხმაურების მაჩვენებლის დასათვლელად ფორმას სჭირდება სერვისის კითხვა" in page
    from openpyxl import load_workbook

    book = load_workbook(out / "report_2025Q1.xlsx")
    register = list(book["კომენტარები"].iter_rows(values_only=True))
    row = next(r for r in register if UNSURE_TEXT in r)
    assert "ინფორმაციის ხელმისაწვდომობა" in row and "✓" in row
    shown = (out / "report_2025Q1_public.html").read_text(encoding="utf-8")
    assert STAFF_TEXT in shown, "published by the analyst"
    assert UNSURE_TEXT not in shown and "/remark" not in shown, "never published: withheld"
    assert "&lt;3" in shown  # two people wrote: a small count is never printed as it is
    digest = cli(
        ["digest", "--week", "2025-W27", "--print", "--form", "water"], settings_env, tmp_path
    )
    assert "სხვა შენიშვნა (2)" in digest.stdout  # plain text
    assert "ინფორმაციის ხელმისაწვდომობა" in digest.stdout and STAFF_TEXT in digest.stdout


async def test_a_form_that_marks_its_services_takes_applications_and_shows_its_rate(
    settings_env, tmp_path: Path
):
    url = settings_env["DATABASE_URL"]
    assert cli(["form", "add", str(kindergarten(tmp_path))], settings_env, tmp_path).returncode == 0
    water = write_xlsform(
        tmp_path / "water.xlsx", WATER_SURVEY, WATER_CHOICES, settings("water", "1", "წყალი")
    )
    assert cli(["form", "add", str(water)], settings_env, tmp_path).returncode == 0
    await store(url, "kindergarten_v1", ANSWERS, date(2025, 7, 1))
    await store(url, "water_v1", [{"water_ok": "yes"}], date(2025, 7, 1))
    steps = [
        ["applications", "set", "2025Q1", "garden_1", "20", "--form", "kindergarten"],
        ["applications", "set", "2025Q1", "garden_2", "20", "--form", "kindergarten"],
        ["applications", "set", "2025Q1", "newborn", "500"],  # the social services' own
    ]
    for step in steps:
        done = cli(step, settings_env, tmp_path)
        assert done.returncode == 0, done.stderr
    refused = cli(
        ["applications", "set", "2025Q1", "garden_1", "5", "--form", "water"],
        settings_env,
        tmp_path,
    )
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "feedback_role: service" in refused.stderr and "Traceback" not in refused.stderr
    wrong = cli(
        ["applications", "set", "2025Q1", "newborn", "5", "--form", "kindergarten"],
        settings_env,
        tmp_path,
    )
    assert wrong.returncode != 0 and "garden_1" in wrong.stderr, "the form's own codes named"
    out = tmp_path / "reports"
    out.mkdir()
    for form in ("kindergarten", "water"):
        asked = ["report", "--quarter", "2025Q1", "--form", form, "--format", "html"]
        made = cli(
            [*asked, "--out", str(out)],
            settings_env,
            tmp_path,
        )
        assert made.returncode == 0, made.stderr
        (out / "report_2025Q1.html").rename(out / f"{form}.html")
    page = (out / "kindergarten.html").read_text(encoding="utf-8")
    assert "მიმართა 40 მომხმარებელმა (2 სერვისი)" in page, "its own figures, not the 500"
    assert "გამოხმაურების მაჩვენებელი — 10%" in page  # 4 of 40
    assert "ცხრილშია" not in page, "no table of services to point to without gender"
    other = (out / "water.html").read_text(encoding="utf-8")
    assert "სჭირდება სერვისის კითხვა" in other and "500" not in other


async def test_an_edited_copy_of_the_shipped_form_under_its_version_is_refused(
    settings_env, tmp_path: Path
):
    """The built-in form is version 1 though no row holds it: staff who edit its file must
    raise the version, or reports would read new answers with the old questions."""
    from openpyxl import load_workbook

    from bot.questionnaire.content import bundled_questionnaire

    same = cli(["form", "add", str(bundled_questionnaire())], settings_env, tmp_path)
    assert same.returncode == 0 and "უკვე ჩატვირთულია იგივე შინაარსით" in same.stdout
    book = load_workbook(bundled_questionnaire())
    book["survey"].cell(row=3, column=3).value = "სხვა ტექსტი"
    book.save(tmp_path / "edited.xlsx")
    edited = cli(["form", "add", str(tmp_path / "edited.xlsx")], settings_env, tmp_path)
    assert edited.returncode == 2 and "Traceback" not in edited.stderr
    assert "social_services-ის ვერსია 1 უკვე ჩატვირთულია სხვა შინაარსით" in edited.stderr
    listed = cli(["form", "list"], settings_env, tmp_path).stdout.splitlines()
    assert listed[1].startswith("social_services | 1 |") and "ჩაშენებული" in listed[1]


async def test_rules_too_long_or_too_deep_to_answer_are_refused_at_form_add_with_their_cells(
    settings_env, tmp_path: Path
):
    """The reported attack: a ``relevant`` of 1,000 terms and one of 150 parentheses passed
    ``form add`` and then failed every citizen who reached them."""
    survey = [
        ("type", "name", "label::ka", "required", "relevant"),
        ("select_one yes_no", "a", "გქონდათ პრობლემა?", "yes", ""),
        ("text", "wide", "რა მოხდა?", "no", " + ".join(["${a}"] * 1000) + " > 1"),
        ("text", "deep", "სად?", "no", "(" * 150 + "${a} = 'yes'" + ")" * 150),
    ]
    path = write_xlsform(
        tmp_path / "rules.xlsx", survey, KINDERGARTEN_CHOICES, settings("rules", "1", "წესები")
    )
    refused = cli(["form", "add", str(path)], settings_env, tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    lines = refused.stderr.splitlines()
    assert "არ ჩაიტვირთა — 2 შეცდომა; არაფერი შენახულა" in lines[0]
    [wide] = [line for line in lines if "სტრიქონი 3, სვეტი relevant" in line]
    assert "ძალიან გრძელია: 2001 ნაწილი, შეიძლება არაუმეტეს 200" in wide
    [deep] = [line for line in lines if "სტრიქონი 4, სვეტი relevant" in line]
    assert "150 დონეზე, შეიძლება არაუმეტეს 20" in deep
    assert max(len(line) for line in lines) < 400, "a refusal quotes the start of the rule"
    assert "rules" not in cli(["form", "list"], settings_env, tmp_path).stdout
    english = cli(["form", "add", str(path)], settings_env | {"LANGUAGE": "en"}, tmp_path)
    assert "row 3, column relevant: The expression" in english.stderr
    assert "2001 parts, at most 200" in english.stderr
    assert "nested 150 deep, at most 20" in english.stderr
