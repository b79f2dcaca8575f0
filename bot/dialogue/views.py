"""Turning engine states into messages with buttons, through the locale."""

from __future__ import annotations

from bot.dialogue.callbacks import Restart, Resume, encode
from bot.dialogue.events import Button, Reply
from bot.dialogue.typed import Understood, labels_of, understand
from bot.questionnaire import engine
from bot.questionnaire.engine import (
    Back,
    Blank,
    ChangeAnswer,
    Choose,
    Pick,
    Problem,
    Skip,
    Submit,
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
        self._buttons: dict[tuple[str, bool], tuple[tuple[Button, ...], ...]] = {}

    def for_channel(self, channel: str) -> Views:
        """The views with the channel's own texts where it has them (see ``channels:``)."""
        if channel not in self._channels:
            self._channels[channel] = Views(
                self.questionnaire, self.locale.for_channel(channel), self.municipality
            )
        return self._channels[channel]

    def intro(self) -> str:
        return self.t("intro", municipality=self.municipality, count=self.count)

    @property
    def count(self) -> int:
        """The questions the introduction promises: the numbered ones, as on paper."""
        return numbered_count(self.questionnaire)

    def number(self, question_id: str) -> str:
        return question_numbers(self.questionnaire, self.t("prompt.follow_up_suffix"))[question_id]

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
                names = aliases.setdefault(encode(Choose(question.id, code)), [])
                names.append(self.t(f"options.{question.id}.{code}"))
                if question.id == "service":
                    names.append(self.t(f"service_names.{code}"))
        labels = labels_of(reply, aliases)
        return understand(text, question, labels, self.t("privacy.mark"))

    def prompt(self, draft: Draft) -> Reply:
        if draft.position == SUMMARY:
            return self.summary(draft)
        if draft.position == PICK:
            return self.pick(draft)
        question = self.questionnaire.get(draft.position)
        if question is None:
            raise LookupError(f"draft at unknown position {draft.position!r}")
        return self.question(question, draft)

    def question(self, question: Question, draft: Draft) -> Reply:
        applicable = self.questionnaire.applicable(draft.answers)
        number = [q.id for q in applicable].index(question.id) + 1
        lines = [
            self.t("prompt.progress", number=self.number(question.id), total=self.count),
            "",
            self.t(f"questions.{question.id}.text"),
        ]
        if question.id in draft.answers:
            answer = self.answer_label(question, draft.answers[question.id])
            lines += ["", self.t("prompt.current_answer", answer=answer)]
        lines += ["", self._hint(question)] if self._hint(question) else []
        buttons = self._question_buttons(question, first=number == 1)
        return Reply("\n".join(lines), buttons, typed=question.kind is Kind.TEXT)

    def _question_buttons(self, question: Question, first: bool) -> tuple[tuple[Button, ...], ...]:
        """Built once per question (and language): the same tuple every time it is asked,
        so a channel can keep what it made of it (Telegram: the keyboard's JSON)."""
        cached = self._buttons.get((question.id, first))
        if cached is not None:
            return cached
        rows = self._option_rows(question)
        navigation = [] if first else [Button(self.t("buttons.back"), encode(Back(question.id)))]
        if not question.required:
            navigation.append(Button(self.t("buttons.skip"), encode(Skip(question.id))))
        buttons = (*rows, tuple(navigation)) if navigation else tuple(rows)
        self._buttons[(question.id, first)] = buttons
        return buttons

    def _option_rows(self, question: Question) -> list[tuple[Button, ...]]:
        """One option per row: long Georgian labels stay readable on a phone.

        Each button also has what may be typed instead: the digit on a scale, else the
        option's number (Messenger lists long options by number)."""
        scale = question.kind is Kind.SCALE
        return [
            (
                Button(
                    self._option_label(question, code),
                    encode(Choose(question.id, code)),
                    key=code if scale else str(number),
                ),
            )
            for number, code in enumerate(question.options, 1)
        ]

    def _hint(self, question: Question) -> str:
        if question.kind is Kind.TEXT:
            key = "prompt.type_text" if question.required else "prompt.type_text_optional"
            return f"{self.t(key)}\n{self.t('prompt.privacy_hint')}"
        if question.kind is Kind.SCALE:
            low, high = question.scale_bounds()
            return self.t("prompt.scale_hint", low=low, high=high)
        return ""

    def paper_question(self, draft: Draft, form: int, forms_date: str) -> Reply:
        """Fast entry: the short title, the buttons, and "not answered" on every question."""
        question = self.questionnaire.get(draft.position)
        assert question is not None
        applicable = [q.id for q in self.questionnaire.applicable(draft.answers)]
        header = self.t(
            "paper.form",
            number=form,
            date=forms_date,
            question=self.number(question.id),
            total=self.count,
        )
        lines = [header, self.t(f"questions.{question.id}.title")]
        if question.kind is Kind.TEXT:
            lines.append(self.t("paper.type_text"))
        rows = self._option_rows(question)
        navigation = [Button(self.t("paper.blank"), encode(Blank(question.id)))]
        if applicable.index(question.id):
            navigation.insert(0, Button(self.t("buttons.back"), encode(Back(question.id))))
        return Reply("\n".join(lines), (*rows, tuple(navigation)))

    def summary(self, draft: Draft) -> Reply:
        lines = [self.t("prompt.summary_header"), ""]
        for question in self.questionnaire.applicable(draft.answers):
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
            for number, q in enumerate(self.questionnaire.applicable(draft.answers), 1)
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
        if question.kind is Kind.TEXT:
            return answer
        if question.role == SERVICE:
            return self.t(f"service_names.{answer}")
        return self._option_label(question, answer)

    def _option_label(self, question: Question, code: str) -> str:
        label = self.t(f"options.{question.id}.{code}")
        return f"{code} — {label}" if question.kind is Kind.SCALE else label

    def problem(self, problem: Problem) -> str:
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
