"""Turning engine states into messages with buttons, through the locale."""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue.callbacks import Restart, Resume, encode
from bot.dialogue.events import Button, Reply
from bot.dialogue.typed import Understood, labels_of, understand
from bot.questionnaire import engine
from bot.questionnaire.content import BUILTIN_FORM
from bot.questionnaire.engine import (
    Back,
    Blank,
    ChangeAnswer,
    Choose,
    Done,
    Pick,
    Problem,
    Skip,
    Submit,
    Toggle,
    previous_question,
)
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import (
    PICK,
    SERVICE,
    SUMMARY,
    Answer,
    Draft,
    Kind,
    Question,
    Questionnaire,
)
from bot.questionnaire.numbering import numbered_count, question_numbers


class Views:
    def __init__(self, questionnaire: Questionnaire, locale: Locale, municipality: str) -> None:
        self.questionnaire = questionnaire
        self.locale = locale
        self.t = locale.t
        self.municipality = municipality
        self._channels: dict[str, Views] = {}
        self._numbers = question_numbers(questionnaire, self.t("prompt.follow_up_suffix"))
        self._count = numbered_count(questionnaire)
        self._buttons: dict[tuple[str, bool], tuple[tuple[Button, ...], ...]] = {}

    def for_channel(self, channel: str) -> Views:
        """The views with the channel's own texts where it has them (see ``channels:``)."""
        if channel not in self._channels:
            self._channels[channel] = Views(
                self.questionnaire, self.locale.for_channel(channel), self.municipality
            )
        return self._channels[channel]

    def intro(self) -> str:
        """The built-in form's own introduction; any other form's names its title."""
        if self.questionnaire.form_id in ("", BUILTIN_FORM) or not self.locale.has("form.title"):
            return self.t("intro", municipality=self.municipality, count=self.count)
        title = self.t("form.title")
        return self.t("intro_form", municipality=self.municipality, count=self.count, title=title)

    @property
    def count(self) -> int:
        """The questions the introduction promises: the numbered ones, as on paper."""
        return self._count

    def number(self, question_id: str) -> str:
        return self._numbers.get(question_id, "")

    def understand(self, draft: Draft | None, text: str) -> Understood:
        """A typed message at the citizen's prompt: a button's label presses it, free text
        loses its personal details."""
        if draft is None:
            return Understood(engine.Typed(text))
        return self._understood(draft, text, self.prompt(draft))

    def understand_paper(self, draft: Draft, text: str) -> Understood:
        return self._understood(draft, text, self.paper_question(draft, 1, ""))

    def _understood(self, draft: Draft, text: str, reply: Reply) -> Understood:
        question = self.questionnaire.get(draft.position)
        aliases: dict[str, list[str]] = {}
        if question is not None:
            for code in question.options:
                names = aliases.setdefault(encode(self._press(question, code)), [])
                names.append(self.t(f"options.{question.id}.{code}"))
                if question.role == SERVICE:
                    names.append(self.t(f"service_names.{code}"))
        labels = labels_of(reply, aliases)
        return understand(text, question, labels, self.t("privacy.mark"))

    def prompt(self, draft: Draft) -> Reply:
        return replace(self._prompt(draft), heading=self.heading)

    @property
    def heading(self) -> str | None:
        """A loaded form's title; the built-in form keeps the page's own heading."""
        if self.questionnaire.form_id in ("", BUILTIN_FORM) or not self.locale.has("form.title"):
            return None
        return self.t("form.title")

    def _prompt(self, draft: Draft) -> Reply:
        if draft.position == SUMMARY:
            return self.summary(draft)
        if draft.position == PICK:
            return self.pick(draft)
        question = self.questionnaire.get(draft.position)
        if question is None:
            raise LookupError(f"draft at unknown position {draft.position!r}")
        return self.question(question, draft)

    def question(self, question: Question, draft: Draft) -> Reply:
        if question.kind is Kind.NOTE:
            return self._note(question, draft)
        lines = [
            self.t("prompt.progress", number=self.number(question.id), total=self.count),
            "",
            self.t(f"questions.{question.id}.text"),
        ]
        if question.id in draft.answers and question.kind is not Kind.MULTI:
            answer = self.answer_label(question, draft.answers[question.id])
            lines += ["", self.t("prompt.current_answer", answer=answer)]
        hint = self._hint(question)
        lines += ["", hint] if hint else []
        first = previous_question(self.questionnaire, draft.answers, question.id) is None
        buttons = self._question_buttons(question, draft, first)
        typed = question.kind in (Kind.TEXT, Kind.NUMBER)
        return Reply("\n".join(lines), buttons, typed=typed)

    def _question_buttons(
        self, question: Question, draft: Draft, first: bool
    ) -> tuple[tuple[Button, ...], ...]:
        """Built once per question (and language): the same tuple every time it is asked,
        so a channel can keep what it made of it (Telegram: the keyboard's JSON). A multiple
        choice shows the draft's ticks, so its buttons are built each time."""
        cached = self._buttons.get((question.id, first))
        if cached is not None:
            return cached
        rows = self._option_rows(question, draft)
        navigation = [] if first else [Button(self.t("buttons.back"), encode(Back(question.id)))]
        if not question.required:
            navigation.append(Button(self.t("buttons.skip"), encode(Skip(question.id))))
        buttons = (*rows, tuple(navigation)) if navigation else tuple(rows)
        if question.kind is not Kind.MULTI:
            self._buttons[(question.id, first)] = buttons
        return buttons

    def _note(self, question: Question, draft: Draft) -> Reply:
        """Text to read, and a button to go on."""
        lines = [self.t(f"questions.{question.id}.text")]
        if self.locale.has(f"questions.{question.id}.hint"):
            lines += ["", self.t(f"questions.{question.id}.hint")]
        row = [Button(self.t("buttons.continue"), encode(Done(question.id)))]
        if previous_question(self.questionnaire, draft.answers, question.id) is not None:
            row.insert(0, Button(self.t("buttons.back"), encode(Back(question.id))))
        return Reply("\n".join(lines), (tuple(row),))

    @staticmethod
    def _press(question: Question, code: str) -> Choose | Toggle:
        if question.kind is Kind.MULTI:
            return Toggle(question.id, code)
        return Choose(question.id, code)

    def _option_rows(
        self, question: Question, draft: Draft | None = None
    ) -> list[tuple[Button, ...]]:
        """One option per row: long Georgian labels stay readable on a phone.

        Each button also has what may be typed instead: the digit on a scale, else the
        option's number (Messenger lists long options by number). Options of a multiple
        choice show whether they are ticked, and "done" follows them."""
        scale = question.kind is Kind.SCALE
        chosen = set()
        if question.kind is Kind.MULTI and draft is not None:
            chosen = set((draft.answers.get(question.id) or "").split())
        rows = [
            (
                Button(
                    self._option_label(question, code, code in chosen),
                    encode(self._press(question, code)),
                    key=code if scale else str(number),
                ),
            )
            for number, code in enumerate(question.options, 1)
        ]
        if question.kind is Kind.MULTI:
            rows.append((Button(self.t("buttons.done"), encode(Done(question.id))),))
        return rows

    def _hint(self, question: Question) -> str:
        own = f"questions.{question.id}.hint"
        lines = [self.t(own)] if self.locale.has(own) else []
        if question.kind is Kind.TEXT:
            key = "prompt.type_text" if question.required else "prompt.type_text_optional"
            lines += [self.t(key), self.t("prompt.privacy_hint")]
        elif question.kind is Kind.SCALE:
            low, high = question.scale_bounds()
            lines.append(self.t("prompt.scale_hint", low=low, high=high))
        elif question.kind is Kind.MULTI:
            lines.append(self.t("prompt.multi_hint"))
        elif question.kind is Kind.NUMBER and question.bounds is not None:
            low, high, _ = question.bounds
            lines.append(self.t("prompt.range_hint", low=f"{low:g}", high=f"{high:g}"))
        elif question.kind is Kind.NUMBER:
            lines.append(
                self.t("prompt.decimal_hint" if question.decimal else "prompt.integer_hint")
            )
        return "\n".join(lines)

    def paper_question(self, draft: Draft, form: int, forms_date: str) -> Reply:
        """Fast entry: the short title, the buttons, and "not answered" on every question."""
        question = self.questionnaire.get(draft.position)
        assert question is not None
        if question.kind is Kind.NOTE:
            return self._note(question, draft)
        header = self.t(
            "paper.form",
            number=form,
            date=forms_date,
            question=self.number(question.id),
            total=self.count,
        )
        lines = [header, self.t(f"questions.{question.id}.title")]
        if question.kind in (Kind.TEXT, Kind.NUMBER):
            lines.append(self.t("paper.type_text"))
        rows = self._option_rows(question, draft)
        navigation = [Button(self.t("paper.blank"), encode(Blank(question.id)))]
        if previous_question(self.questionnaire, draft.answers, question.id) is not None:
            navigation.insert(0, Button(self.t("buttons.back"), encode(Back(question.id))))
        return Reply("\n".join(lines), (*rows, tuple(navigation)))

    def summary(self, draft: Draft) -> Reply:
        lines = [self.t("prompt.summary_header"), ""]
        for question in self.questionnaire.applicable(draft.answers):
            if question.kind is Kind.NOTE:
                continue
            title = self.t(f"questions.{question.id}.title")
            answer = self.answer_label(question, draft.answers.get(question.id))
            lines.append(f"{self.number(question.id)}. {title}: {answer}")
        lines += ["", self.t("prompt.summary_footer")]
        buttons = (
            (Button(self.t("buttons.submit"), encode(Submit())),),
            (Button(self.t("buttons.change"), encode(ChangeAnswer())),),
            (Button(self.t("buttons.back"), encode(Back(SUMMARY))),),
        )
        return Reply("\n".join(lines), buttons)

    def pick(self, draft: Draft) -> Reply:
        rows = tuple(
            (Button(self.t(f"questions.{q.id}.title"), encode(Pick(q.id)), key=str(number)),)
            for number, q in enumerate(
                (
                    q
                    for q in self.questionnaire.applicable(draft.answers)
                    if q.kind is not Kind.NOTE
                ),
                1,
            )
        )
        back = (Button(self.t("buttons.to_summary"), encode(Back(PICK))),)
        return Reply(self.t("prompt.pick"), (*rows, back))

    def answered(self, question_id: str, draft: Draft) -> str:
        """The question's text with the chosen answer, replacing the message that asked it."""
        question = self.questionnaire.get(question_id)
        assert question is not None
        answer = self.answer_label(question, draft.answers.get(question_id))
        text = self.t(f"questions.{question_id}.text")
        return f"{text}\n\n{self.t('prompt.answered', answer=answer)}"

    def answer_label(self, question: Question, answer: Answer) -> str:
        if answer is None:
            return self.t("prompt.skipped")
        if question.kind in (Kind.TEXT, Kind.NUMBER, Kind.NOTE):
            return answer
        if question.kind is Kind.MULTI:
            return ", ".join(
                self._named(f"options.{question.id}.{code}", code) for code in answer.split()
            )
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
        if question.kind is Kind.MULTI:
            return self.t("prompt.chosen" if chosen else "prompt.not_chosen", label=label)
        return f"{code} — {label}" if question.kind is Kind.SCALE and label != code else label

    def problem(self, problem: Problem) -> str:
        if problem.code == "constraint":
            own = f"questions.{problem.values.get('question')}.constraint_message"
            return self.t(own) if self.locale.has(own) else self.t("problem.constraint")
        return self.t(f"problem.{problem.code}", **problem.values)

    def resume_question(self, payload: str | None) -> Reply:
        buttons = (
            (Button(self.t("buttons.resume"), encode(Resume())),),
            (Button(self.t("buttons.restart"), encode(Restart(payload))),),
        )
        return Reply(self.t("session.resume_question"), buttons)

    def invitation(self, key: str) -> Reply:
        """A message that ends with a way to begin, for someone with no questionnaire open."""
        return Reply(self.t(key), ((Button(self.t("buttons.begin"), encode(Restart())),),))

    def text(self, key: str, **values: object) -> Reply:
        return Reply(self.t(key, **values))
