"""Staff load forms written elsewhere (ODK's and pyxform's own examples) with
``feedback-bot form add``: an old ``.xls``, a sheet Excel made many columns wide, an ``.xlsm``
that asks for the device's id."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "xlsforms" / "pyxform"


def cli(args: list[str], env: dict[str, str], cwd: Path):
    return run_cli(args, process_env(env), cwd)


async def test_an_old_excel_form_and_a_wide_sheet_load_with_form_add(settings_env, tmp_path):
    for name in (
        "example_xls/choice_name_same_as_select_name.xls",
        "example_xls/extra_columns.xlsx",
    ):
        added = cli(["form", "add", str(CORPUS / name)], settings_env, tmp_path)
        assert added.returncode == 0, added.stderr
        assert "ჩაიტვირთა" in added.stdout and "Warning" not in added.stderr
    listed = cli(["form", "list"], settings_env, tmp_path).stdout
    assert "choice_name_same_as_select_name" in listed and "extra_columns" in listed


async def test_a_form_asking_for_the_device_is_refused_as_anonymous_one_line_a_problem(
    settings_env, tmp_path
):
    path = CORPUS / "bug_example_xls" / "excel_with_macros.xlsm"
    refused = cli(["form", "add", str(path)], settings_env, tmp_path)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr and "Warning" not in refused.stderr
    lines = refused.stderr.splitlines()
    assert "არ ჩაიტვირთა — 5 შეცდომა" in lines[0]
    assert len(lines) == 1 + 5 + 1  # the allowed columns once, at the end
    assert "სტრიქონი 3, სვეტი type: „deviceid“ არ შეიძლება: კითხვარი ანონიმურია" in lines[5]
    assert lines[-1].startswith("შეიძლება ეს სვეტები")
