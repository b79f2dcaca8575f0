"""Several versions of one form, lined up by question name for reports and exports.

Staff change a form (a question added, an option renamed) and answers keep arriving on the
old version from drafts started before. Reports and exports count each question by its
``name`` across versions and say where the versions differ, so no figure silently mixes
two different questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Question, Questionnaire


@dataclass(frozen=True)
class Difference:
    kind: str
    """``only_in``, ``kind_changed`` or ``options_changed`` (texts under ``forms.``)."""
    name: str
    versions: tuple[str, ...]
    kinds: tuple[str, ...] = ()

    def text(self, locale: Locale) -> str:
        return locale.t(
            f"forms.{self.kind}",
            name=self.name,
            versions=", ".join(self.versions),
            kinds=", ".join(self.kinds),
        )


def differences(versions: Sequence[Questionnaire]) -> list[Difference]:
    if len(versions) < 2:
        return []
    found: list[Difference] = []
    for name in _names(versions):
        having = [q for q in versions if q.get(name) is not None]
        asked = [q.get(name) for q in having]
        if len(having) < len(versions):
            found.append(Difference("only_in", name, tuple(q.version for q in having)))
        kinds = tuple(dict.fromkeys(a.kind.name for a in asked if a is not None))
        if len(kinds) > 1:
            found.append(Difference("kind_changed", name, (), kinds))
        elif len({a.options for a in asked if a is not None}) > 1:
            found.append(Difference("options_changed", name, tuple(q.version for q in having)))
    return found


def combined(versions: Sequence[Questionnaire]) -> Questionnaire:
    """The newest version's questions in its order, then those only older versions asked;
    a choice question's options are the newest ones, then any only older versions had."""
    newest = versions[-1]
    questions: list[Question] = []
    for name in _names(versions):
        asked = [q.get(name) for q in reversed(versions) if q.get(name) is not None]
        first = asked[0]
        assert first is not None
        options = tuple(dict.fromkeys(code for a in asked if a for code in a.options))
        questions.append(replace(first, options=options) if first.options else first)
    texts: dict[str, dict[str, str]] = {}
    for version in versions:  # newer texts win
        for language, found in version.texts.items():
            texts.setdefault(language, {}).update(found)
    return replace(newest, questions=tuple(questions), texts=texts)


def _names(versions: Sequence[Questionnaire]) -> list[str]:
    names = [q.id for q in versions[-1].questions]
    for version in reversed(versions[:-1]):
        names += [q.id for q in version.questions if q.id not in names]
    return names
