"""Asking one question: its wording, options, navigation and section, as a ``Prompt``.

The part of the views that every way of asking shares (chat, the web page, a ``field-list``
page's fields, the paper desk's options and the summary's answers): built once per question
and language where it can be, so a turn pays a lookup. ``Views`` adds the states around the
questions (introduction, summary, paper, resume).
"""

from __future__ import annotations

from bot.dialogue import chat
from bot.dialogue.callbacks import Action, encode
from bot.dialogue.hints import hint
from bot.dialogue.prompt import Move, Nav, Option, Progress, Prompt, State
from bot.questionnaire.content import BUILTIN_FORM
from bot.questionnaire.engine import Back, Done, Input, Skip, previous_question
from bot.questionnaire.i18n import Locale
from bot.questionnaire.kinds.base import Answering
from bot.questionnaire.model import SERVICE, Answer, Draft, Question, Questionnaire
from bot.questionnaire.numbering import numbered_count, question_numbers

Navigation = tuple[tuple[Nav, ...], ...]
Parts = tuple[tuple[Option, ...], Navigation, chat.Keyboard]
"""A question's options, its navigation, and their chat keyboard."""


class Asking:
    def __init__(self, questionnaire: Questionnaire, locale: Locale) -> None:
        self.questionnaire = questionnaire
        self.locale = locale
        self.t = locale.t
        self._numbers = question_numbers(questionnaire, self.t("prompt.follow_up_suffix"))
        self._count = numbered_count(questionnaire)
        self._parts: dict[tuple[str, bool], Parts] = {}
        self._said: dict[str, tuple[str, Progress, str]] = {}
        builtin = questionnaire.form_id in ("", BUILTIN_FORM)
        self._heading = None if builtin or not locale.has("form.title") else self.t("form.title")

    @property
    def count(self) -> int:
        """The questions the introduction promises: the numbered ones, as on paper."""
        return self._count

    def number(self, question_id: str) -> str:
        return self._numbers.get(question_id, "")

    def _question(
        self, question: Question, draft: Draft, paged: bool = True
    ) -> tuple[Prompt, chat.Keyboard | None]:
        """``paged``: with the questions of its ``field-list`` page (``Prompt.fields``)."""
        if not question.kind.stores:
            return self._note(question, draft), None
        current = ""
        if question.id in draft.answers and not question.kind.several:
            answer = self.answer_label(question, draft.answers[question.id])
            current = self.t("prompt.current_answer", answer=answer)
        previous = previous_question(self.questionnaire, draft.answers, question.id)
        options, navigation, keyboard = self._question_parts(question, draft, previous is None)
        text, progress, hinted = self._wording(question)
        prompt = Prompt(
            State.QUESTION,
            text,
            progress,
            self._heading,
            current=current,
            hint=hinted,
            options=options,
            navigation=navigation,
            typed=question.kind.answering is Answering.TYPING,
            question=question.id,
            section=self._section(question, previous),
            fields=self._fields(question, draft) if paged else (),
        )
        return prompt, keyboard

    def _section(self, question: Question, previous: str | None) -> str:
        """The section's heading, above the first question asked in it."""
        key = f"groups.{question.section}"
        if not question.section or not self.locale.has(key):
            return ""
        before = self.questionnaire.get(previous) if previous else None
        if before is not None and before.section == question.section:
            return ""
        return self.t("prompt.section", section=self.t(key))

    def _fields(self, question: Question, draft: Draft) -> tuple[Prompt, ...]:
        """Every question of its ``field-list`` page that applies so far, in order (itself
        among them), each as it would be asked alone."""
        if not question.page:
            return ()
        questions = self.questionnaire.questions
        at = self.questionnaire.index(question.id)
        first = at
        while first > 0 and questions[first - 1].page == question.page:
            first -= 1
        fields = []
        for other in questions[first:]:
            if other.page != question.page:
                break
            if other.asked and self.questionnaire.applies(other, draft.answers):
                asked = self._note(other, draft) if not other.kind.stores else None
                fields.append(asked or self._question(other, draft, paged=False)[0])
        return tuple(fields)

    def _wording(self, question: Question) -> tuple[str, Progress, str]:
        """A question's text, progress and hint, worked out once per question (and
        language): asking it again costs no lookups."""
        said = self._said.get(question.id)
        if said is None:
            number = self.number(question.id)
            label = self.t("prompt.progress", number=number, total=self.count)
            text = self.t(f"questions.{question.id}.text")
            said = self._said[question.id] = (
                text,
                Progress(number, self.count, label),
                hint(question, self.locale),
            )
        return said

    def _question_parts(self, question: Question, draft: Draft, first: bool) -> Parts:
        """Built once per question (and language): the same tuples every time it is asked,
        so a channel can keep what it made of them (Telegram: the keyboard's JSON). A
        multiple choice shows the draft's ticks, so its parts are built each time."""
        cached = self._parts.get((question.id, first))
        if cached is not None:
            return cached
        moves = [] if first else [self._nav(Move.BACK, "buttons.back", Back(question.id))]
        if not question.required:
            moves.append(self._nav(Move.SKIP, "buttons.skip", Skip(question.id)))
        navigation = (*self._done(question), tuple(moves)) if moves else self._done(question)
        options = self._options(question, draft)
        parts = (options, navigation, chat.keyboard(options, navigation))
        if not question.kind.several:
            self._parts[(question.id, first)] = parts
        return parts

    def _nav(self, kind: Move, key: str, action: Action) -> Nav:
        return Nav(kind, self.t(key), encode(action))

    def _done(self, question: Question) -> Navigation:
        """A multiple choice ends with "done", on a row of its own after the options."""
        if not question.kind.several:
            return ()
        return ((self._nav(Move.DONE, "buttons.done", Done(question.id)),),)

    def _note(self, question: Question, draft: Draft) -> Prompt:
        """Text to read, and a button to go on."""
        own = f"questions.{question.id}.hint"
        hint = self.t(own) if self.locale.has(own) else ""
        row = [self._nav(Move.CONTINUE, "buttons.continue", Done(question.id))]
        if previous_question(self.questionnaire, draft.answers, question.id) is not None:
            row.insert(0, self._nav(Move.BACK, "buttons.back", Back(question.id)))
        text = self.t(f"questions.{question.id}.text")
        return Prompt(
            State.NOTE,
            text,
            title=self._heading,
            hint=hint,
            navigation=(tuple(row),),
            question=question.id,
        )

    @staticmethod
    def _press(question: Question, code: str) -> Input:
        return question.kind.press(question.id, code)

    def _options(self, question: Question, draft: Draft | None = None) -> tuple[Option, ...]:
        """Each option with what may be typed instead: the digit on a scale, else the
        option's number (Messenger lists long options by number). Options of a multiple
        choice show whether they are ticked."""
        kind = question.kind
        chosen: set[str] = set()
        if kind.several and draft is not None:
            chosen = set(kind.codes(draft.answers.get(question.id) or "") or ())
        listed = tuple(
            Option(
                self._option_label(question, code, code in chosen),
                encode(self._press(question, code)),
                key=kind.option_key(code, number),
            )
            for number, code in enumerate(question.options, 1)
        )
        extras = kind.extras(question)
        return listed + tuple(
            Option(self.t(key), encode(self._press(question, code))) for code, key in extras
        )

    def answer_label(self, question: Question, answer: Answer) -> str:
        if answer is None:
            return self.t("prompt.skipped")
        codes = question.kind.codes(answer)
        if codes is None:  # typed: shown as it was (a date as people write it)
            return question.kind.shown(answer)
        if question.kind.several:
            return ", ".join(self._named(f"options.{question.id}.{code}", code) for code in codes)
        if question.role == SERVICE:
            return self._named(f"service_names.{answer}", answer)
        if answer not in question.options:
            return answer
        return self._option_label(question, answer)

    def _named(self, key: str, code: str) -> str:
        """A draft may hold a choice its municipality has since taken off its list (a
        service removed from its file): it is shown by its code, not a failure."""
        return self.t(key) if self.locale.has(key) else code

    def _option_label(self, question: Question, code: str, chosen: bool = False) -> str:
        label = self.t(f"options.{question.id}.{code}")
        if question.kind.several:
            return self.t("prompt.chosen" if chosen else "prompt.not_chosen", label=label)
        return question.kind.option_label(code, label)
