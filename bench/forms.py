"""Questionnaires staff write as XLSForm: loading a big one, and what one answer costs.

Loading: a form of 200 questions and 2,000 choices (select_one, select_multiple, integer
and text in turn, every fifth asked after a "yes") is read, checked by pyxform, checked by
us and translated, as ``feedback-bot form add`` does; best of several runs.

Answering: the engine's cost for one answer (the pure ``engine.advance`` plus the views'
next question, as a channel renders it), averaged over a whole questionnaire, for forms of
10, 100 and 200 questions. It should not grow with the number of questions: the engine
looks forward from the question just answered, not from the start.

    python bench/forms.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.model import Draft, Kind, Question, Questionnaire
from bot.questionnaire.xlsform import read_xlsform
from tests.support.xlsforms import long_form


def loading(folder: Path, repeat: int) -> None:
    path = long_form(folder, 200, 20)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        loaded = read_xlsform(path)
        times.append(time.perf_counter() - started)
    form = loaded.questionnaire
    choices = sum(len(q.options) for q in form.questions)
    print(
        f"load: {len(form.questions)} questions, {choices} choices: "
        f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"
    )


def an_answer(question: Question) -> engine.Input:
    if question.kind is Kind.CHOICE:
        return engine.Choose(question.id, question.options[0])
    if question.kind is Kind.MULTI:
        return engine.Typed("1,3")
    if question.kind is Kind.NUMBER:
        return engine.Typed("42")
    return engine.Typed("ბაღში ყველაფერი კარგადაა")


def answering(form: Questionnaire, views: Views, rounds: int) -> float:
    """Microseconds per answer, over ``rounds`` whole questionnaires."""
    answers = 0
    started = time.perf_counter()
    for _ in range(rounds):
        draft = engine.start(form)
        while draft.position != "@summary":
            question = form.get(draft.position)
            assert question is not None
            step = engine.advance(form, draft, an_answer(question))
            assert step.problem is None, step.problem
            draft = step.draft
            if draft.position != "@summary":
                views.prompt(draft)
            answers += 1
    return (time.perf_counter() - started) / answers * 1e6


def per_answer(folder: Path, repeat: int) -> None:
    locale = load_locale(bundled_locale("ka"))
    for size in (10, 100, 200):
        form = read_xlsform(long_form(folder, size, 10)).questionnaire
        views = Views(form, locale.with_texts(form.texts_in("ka")), "ამბროლაური")
        rounds = max(1, 2000 // size)
        best = min(answering(form, views, rounds) for _ in range(repeat))
        asked = len(form.applicable({q.id: "c0" for q in form.questions}))
        print(f"answer: {size:>3} questions ({asked} asked): {best:.0f} µs per answer")
    _ = Draft  # the engine's state, for readers of this script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        loading(Path(folder), args.repeat)
        per_answer(Path(folder), args.repeat)


if __name__ == "__main__":
    main()
