"""``feedback-bot --help`` as a clerk reads it: every option says what it is, with an example."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from bot.entry.cli import _parser
from bot.entry.cli_input import REPORT_FORMATS
from bot.entry.cli_words import argparse_speaks
from bot.questionnaire.content import bundled_locale, load_locale

EXAMPLE = {"ka": "მაგ.", "en": "e.g."}


def parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, (*path, name))


def helps(language: str) -> dict[tuple[str, ...], str]:
    locale = load_locale(bundled_locale(language))
    with argparse_speaks(locale):
        return {path: parser.format_help() for path, parser in parsers(_parser(locale))}


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_option_and_argument_has_a_help_text_with_an_example(language):
    locale = load_locale(bundled_locale(language))
    with argparse_speaks(locale):
        built = _parser(locale)
        for path, parser in parsers(built):
            for action in parser._actions:
                if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                    continue
                where = " ".join(
                    [*path, action.option_strings[0] if action.option_strings else action.dest]
                )
                assert action.help and EXAMPLE[language] in action.help, where


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_command_is_listed_with_its_line_in_the_help_above_it(language):
    locale = load_locale(bundled_locale(language))
    texts = helps(language)
    for path in filter(None, texts):
        line = locale.t("cli.commands." + "_".join(path), formats="")
        above = " ".join(texts[path[:-1]].split())
        assert f"{path[-1]} {' '.join(line.split()[:3])}" in above, path
        assert "``" not in texts[path]


def test_the_top_help_names_the_web_page_and_the_staff_commands():
    top = helps("ka")[()]
    assert "ვებ-კითხვარ" in top and "თანამშრომლებისთვის" in top
    assert "feedback-bot report --help" in top
    english = helps("en")[()]
    assert "web questionnaire" in english and "staff" in english


def test_run_help_names_the_web_page():
    assert "ვებ-კითხვარი ბრაუზერში" in helps("ka")[("run",)]
    assert "web browser" in helps("en")[("run",)]


def test_report_help_lists_the_formats():
    for language in ("ka", "en"):
        assert ", ".join(REPORT_FORMATS) in " ".join(helps(language)[("report",)].split())


def test_the_report_formats_are_the_ones_the_reports_are_written_in():
    from reporting.build import FORMATS

    assert tuple(FORMATS) == REPORT_FORMATS


def test_help_is_in_georgian_and_argparse_speaks_english_again_after():
    text = helps("ka")[("comments", "list")]
    assert text.startswith("გამოყენება: feedback-bot comments list")
    assert "პარამეტრები:" in text and "არგუმენტები:" in text and "usage" not in text
    plain = argparse.ArgumentParser(prog="x")
    assert plain.format_help().startswith("usage: x")


def test_help_lines_break_between_words_never_inside_a_command():
    for language in ("ka", "en"):
        for path, text in helps(language).items():
            assert not re.search(r"\w-\n", text), (path, text)


DEVELOPERS_ONLY = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)",
    'argument "-" with mode %r',
    "can't open '%(filename)s': %(error)s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
    "subcommands",
    "show program's version number and exit",
}
"""argparse's words a clerk never meets: mistakes in the code that declares the parser, a
file type and a version option we do not use."""


def test_every_message_argparse_can_show_a_clerk_is_in_both_locales():
    import ast
    import inspect

    from bot.entry.cli_words import ARGPARSE_KEYS, PLURAL_KEY

    said = {
        node.args[0].value
        for node in ast.walk(ast.parse(inspect.getsource(argparse)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }
    assert said - DEVELOPERS_ONLY <= set(ARGPARSE_KEYS), said - DEVELOPERS_ONLY - set(ARGPARSE_KEYS)
    for language in ("ka", "en"):
        locale = load_locale(bundled_locale(language))
        for key in [*ARGPARSE_KEYS.values(), PLURAL_KEY, "command"]:
            assert locale.has(f"cli.argparse.{key}"), (language, key)


@pytest.mark.parametrize("language", ["ka", "en"])
def test_each_positional_argument_is_named_in_the_clerks_language(language):
    locale = load_locale(bundled_locale(language))
    with argparse_speaks(locale):
        for path, parser in parsers(_parser(locale)):
            for action in parser._actions:
                if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                    expected = locale.t(f"cli.metavars.{action.dest}")
                    assert action.metavar == expected, (path, action.dest)
    assert "გამოყენება: feedback-bot notes [-h] [--municipality CODE] პერიოდი სახე ტექსტი" in (
        " ".join(helps("ka")[("notes",)].split())
    )
