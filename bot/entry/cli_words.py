"""The command line's words from the locale: argparse's own messages and every help text.

argparse words its messages through ``gettext`` (its module-level ``_`` and ``ngettext``),
so a clerk who mistypes reads "the following arguments are required" in English. Inside
``argparse_speaks`` those two names answer from our locale (``cli.argparse``) instead of
``.po`` files: one place for every text, Georgian first, checked like the others. Help texts
(``cli.commands``, ``cli.options``, ``cli.shared``) are set on the built parser by
``describe``, so the code that declares the options holds no English prose.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator, Mapping

from pydantic import ValidationError

from bot.questionnaire.i18n import Locale

ARGPARSE_KEYS = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "not allowed with argument %s": "not_together",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "unrecognized arguments: %s": "unrecognized",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "ignored explicit argument %r": "ignored_value",
    "unexpected option string: %s": "unexpected_option",
}
"""argparse's English (its gettext message ids, as Python 3.11 words them) and our key for
each under ``cli.argparse``; a message not listed stays English rather than be guessed, and
``tests/unit/test_cli_help.py`` reads argparse's source for any message a clerk could meet."""
PLURAL_KEY = "expected_n"
"""``ngettext('expected %s argument', 'expected %s arguments', n)``: one text for any n."""


@contextlib.contextmanager
def argparse_speaks(locale: Locale) -> Iterator[None]:
    """Builds and runs parsers inside: argparse asks for its words while it builds a parser
    (section titles), prints help and reports a mistake."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def words(message: str) -> str:
        key = ARGPARSE_KEYS.get(message)
        return locale.t(f"cli.argparse.{key}") if key else message

    def plural_words(singular: str, plural: str, count: int) -> str:
        if singular == "expected %s argument":
            return locale.t(f"cli.argparse.{PLURAL_KEY}")
        return singular if count == 1 else plural

    argparse._, argparse.ngettext = words, plural_words  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def parser_language(argv: list[str] | None, default: str = "ka") -> str:
    """The language the command line speaks before its arguments are understood: the
    settings' ``LANGUAGE`` (from the environment, ``--env-file`` or ``.env``), Georgian when
    they cannot be read yet (that mistake is reported later, in Georgian)."""
    from pathlib import Path

    from bot.config.settings import Settings

    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--env-file", type=Path)
    try:
        known, _ = early.parse_known_args(argv)
    except argparse.ArgumentError:
        return default
    chosen = known.env_file or (Path(".env") if Path(".env").is_file() else None)
    try:
        return Settings(_env_file=chosen).language
    except (ValidationError, OSError):
        return default


def describe(parser: argparse.ArgumentParser, locale: Locale, values: Mapping[str, str]) -> None:
    """Every command's and option's help from the locale: ``cli.commands.<path>`` for a
    command (``comments_list``), ``cli.options.<path>.<dest>`` for its options, else the
    text shared by many commands, ``cli.shared.<dest>``; a positional argument's name from
    ``cli.metavars`` (``პერიოდი``)."""
    t = _filled(locale, values)
    parser.description = t("cli.commands.top")
    _describe(parser, [], locale, t)


def _describe(
    parser: argparse.ArgumentParser,
    path: list[str],
    locale: Locale,
    t: Callable[[str], str],
) -> None:
    where = "_".join(path)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = t("cli.argparse.command")
            # the commands listed in help, each with its line (``add_parser`` got none)
            action._choices_actions = [
                action._ChoicesPseudoAction(name, (), _percent(t(_command(path, name))))
                for name in action.choices
            ]
            for name, child in action.choices.items():
                child.description = t(_command(path, name))
                _describe(child, [*path, name], locale, t)
            continue
        if not action.option_strings and locale.has(f"cli.metavars.{action.dest}"):
            action.metavar = t(f"cli.metavars.{action.dest}")  # in usage and in mistakes
        own = f"cli.options.{where or 'top'}.{action.dest}"
        action.help = _percent(t(own if locale.has(own) else f"cli.shared.{action.dest}"))


def _filled(locale: Locale, values: Mapping[str, str]) -> Callable[[str], str]:
    """Texts with their ``{name}`` values filled in, such as the report's formats."""

    def t(key: str) -> str:
        return locale.t(key, **values) if values else locale.t(key)

    return t


def _command(path: list[str], name: str) -> str:
    return f"cli.commands.{'_'.join([*path, name])}"


def _percent(text: str) -> str:
    """argparse reads ``%`` in a help text as its own placeholder (``%(default)s``)."""
    return text.replace("%", "%%")
