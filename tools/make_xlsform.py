"""Writes the social-services questionnaire as an XLSForm, from its YAML and the locales.

The YAML (ids, types, options, rules, roles) and ``locales/ka.yaml``/``en.yaml`` (every
text) stay the one source; the spreadsheet staff open is made from them, so no label is
typed twice. Beside it goes the spreadsheet as the loader reads it (``.json``, the same
definition a loaded form has in the database), so the bot starts without reading Excel.
Run after changing either:

    .venv/bin/python tools/make_xlsform.py [--out questionnaires/social_services_v1.xlsx]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LANGUAGES = ("ka", "en")
FIXED_TIME = datetime(2025, 6, 1)
"""The workbook's own timestamps, fixed so that the same source makes the same file."""


def texts(language: str) -> dict:
    return yaml.safe_load((ROOT / "locales" / f"{language}.yaml").read_text(encoding="utf-8"))


def workbook(source: dict, locales: dict[str, dict]) -> Workbook:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            *(f"label::{lang}" for lang in LANGUAGES),
            *(f"feedback_title::{lang}" for lang in LANGUAGES),
            "required",
            "relevant",
            "appearance",
            "feedback_role",
        ]
    )
    choices = book.create_sheet("choices")
    choices.append(
        [
            "list_name",
            "name",
            *(f"label::{lang}" for lang in LANGUAGES),
            *(f"full_label::{lang}" for lang in LANGUAGES),
        ]
    )
    for question in source["questions"]:
        qid, kind = question["id"], question["type"]
        words = {lang: locales[lang]["questions"][qid] for lang in LANGUAGES}
        rule = question.get("ask_if")
        relevant = f"${{{rule['question']}}} = '{rule['equals']}'" if rule else ""
        listed = kind in ("choice", "scale")
        survey.append(
            [
                f"select_one {qid}" if listed else "text",
                qid,
                *(words[lang]["text"] for lang in LANGUAGES),
                *(words[lang]["title"] for lang in LANGUAGES),
                "yes" if question.get("required", True) else "no",
                relevant,
                "likert" if kind == "scale" else "",
                question.get("role", ""),
            ]
        )
        for code in question.get("options", []) if listed else []:
            code = str(code)
            service = question.get("role") == "service"
            choices.append(
                [
                    qid,
                    code,
                    *(locales[lang]["options"][qid][code] for lang in LANGUAGES),
                    *(
                        locales[lang]["service_names"][code] if service else ""
                        for lang in LANGUAGES
                    ),
                ]
            )
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    form_id, _, version = source["version"].rpartition("_v")
    settings.append([form_id, version, locales["ka"]["forms"]["social_services_title"], "ka"])
    book.properties.created = book.properties.modified = FIXED_TIME
    return book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "questionnaires" / "social_services_v1.xlsx"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    source_path = ROOT / "questionnaires" / "social_services_v1.yaml"
    source = yaml.safe_load(source_path.read_text(encoding="utf-8"))
    workbook(source, {lang: texts(lang) for lang in LANGUAGES}).save(args.out)
    from bot.questionnaire.definition import to_data
    from bot.questionnaire.xlsform import read_xlsform

    read = to_data(read_xlsform(args.out).questionnaire)
    definition = args.out.with_suffix(".json")
    text = json.dumps(read, ensure_ascii=False, indent=1, sort_keys=True)
    definition.write_text(text + "\n", encoding="utf-8")
    print(args.out, definition)


if __name__ == "__main__":
    main()
