"""Turning engine states into prompts (what the citizen is asked), through the locale.

A ``Prompt`` is data; ``prompt`` and the other methods that return a ``Reply`` add its chat
rendering (``bot.dialogue.chat``), which Telegram, Messenger and the console send and the
web page ignores. Asking one question is ``bot.dialogue.asking``'s; here are the states
around the questions: the introduction, the summary and the list to change an answer, the
paper desk, resuming and the messages for someone with nothing open.
"""

from __future__ import annotations

from bot.dialogue import chat
from bot.dialogue.asking import Asking, Navigation
from bot.dialogue.callbacks import Languages, Restart, Resume, encode
from bot.dialogue.events import Reply
from bot.dialogue.prompt import Move, Nav, Option, Progress, Prompt, State
from bot.dialogue.typed import Understood, labels_of, understand
from bot.questionnaire import engine
from bot.questionnaire.engine import (
    Back,
    Blank,
    ChangeAnswer,
    Pick,
    Problem,
    Submit,
    previous_question,
)
from bot.questionnaire.i18n import Locale
from bot.questionnaire.kinds.base import Answering
from bot.questionnaire.model import (
    PICK,
    SERVICE,
    SUMMARY,
    Draft,
    Question,
    Questionnaire,
)


class Views(Asking):
    def __init__(self, questionnaire: Questionnaire, locale: Locale, municipality: str) -> None:
        super().__init__(questionnaire, locale)
        self.municipality = municipality
        self._channels: dict[str, Views] = {}

    def for_channel(self, channel: str) -> Views:
        """The views with the channel's own texts where it has them (see ``channels:``)."""
        if channel not in self._channels:
            self._channels[channel] = Views(
                self.questionnaire, self.locale.for_channel(channel), self.municipality
            )
        return self._channels[channel]

    def intro(self) -> str:
        """The built-in form's own introduction; any other form's names its title."""
        if self._heading is None:
            return self.t("intro", municipality=self.municipality, count=self.count)
        title = self._heading
        return self.t("intro_form", municipality=self.municipality, count=self.count, title=title)

    def introduction(self, switch: bool = False) -> Reply:
        """The introduction as a prompt; ``switch``: with the button to change language."""
        navigation: Navigation = ()
        if switch:
            label = self.t("language.switch")
            navigation = ((Nav(Move.SWITCH_LANGUAGE, label, encode(Languages())),),)
        return chat.reply(
            Prompt(State.INTRO, self.intro(), title=self._heading, navigation=navigation)
        )

    def understand(self, draft: Draft | None, text: str) -> Understood:
        """A typed message at the citizen's prompt: an option's or a button's label presses
        it, free text loses its personal details."""
        if draft is None:
            return Understood(engine.Typed(text))
        return self._understood(draft, text, self._asked(draft)[0])

    def understand_paper(self, draft: Draft, text: str) -> Understood:
        return self._understood(draft, text, self._paper(draft, 1, "")[0])

    def _understood(self, draft: Draft, text: str, prompt: Prompt) -> Understood:
        question = self.questionnaire.get(draft.position)
        aliases: dict[str, list[str]] = {}
        if question is not None:
            for code in question.options:
                names = aliases.setdefault(encode(self._press(question, code)), [])
                names.append(self.t(f"options.{question.id}.{code}"))
                if question.role == SERVICE:
                    names.append(self.t(f"service_names.{code}"))
        labels = labels_of(prompt, aliases)
        return understand(text, question, labels, self.t("privacy.mark"))

    def prompt(self, draft: Draft) -> Reply:
        """Where the draft is, as the citizen is asked it (with a loaded form's title)."""
        return chat.reply(*self._asked(draft))

    @property
    def heading(self) -> str | None:
        """A loaded form's title; the built-in form keeps the page's own heading."""
        return self._heading

    def _asked(self, draft: Draft) -> tuple[Prompt, chat.Keyboard | None]:
        """The prompt, and its keyboard where one was kept from an earlier turn."""
        if draft.position == SUMMARY:
            return self._summary(draft), None
        if draft.position == PICK:
            return self._pick(draft), None
        question = self.questionnaire.get(draft.position)
        if question is None:
            raise LookupError(f"draft at unknown position {draft.position!r}")
        return self._question(question, draft)

    def question(self, question: Question, draft: Draft) -> Reply:
        return chat.reply(*self._question(question, draft))

    def paper_question(self, draft: Draft, form: int, forms_date: str) -> Reply:
        """Fast entry: the short title, the buttons, and "not answered" on every question."""
        return chat.reply(*self._paper(draft, form, forms_date))

    def _paper(self, draft: Draft, form: int, forms_date: str) -> tuple[Prompt, None]:
        question = self.questionnaire.get(draft.position)
        assert question is not None
        if not question.kind.stores:
            return self._note(question, draft), None
        number = self.number(question.id)
        header = self.t(
            "paper.form", number=form, date=forms_date, question=number, total=self.count
        )
        typed = question.kind.answering is Answering.TYPING
        moves = [self._nav(Move.BLANK, "paper.blank", Blank(question.id))]
        if previous_question(self.questionnaire, draft.answers, question.id) is not None:
            moves.insert(0, self._nav(Move.BACK, "buttons.back", Back(question.id)))
        prompt = Prompt(
            State.QUESTION,
            self.t(f"questions.{question.id}.title"),
            Progress(number, self.count, header),
            hint=self.t("paper.type_text") if typed else "",
            options=self._options(question, draft),
            navigation=(*self._done(question), tuple(moves)),
            typed=typed,
            dense=True,
        )
        return prompt, None

    def summary(self, draft: Draft) -> Reply:
        return chat.reply(self._summary(draft))

    def _summary(self, draft: Draft) -> Prompt:
        answers = []
        for question in self.questionnaire.applicable(draft.answers):
            if not question.kind.stores:
                continue
            title = self.t(f"questions.{question.id}.title")
            answer = self.answer_label(question, draft.answers.get(question.id))
            answers.append(f"{self.number(question.id)}. {title}: {answer}")
        navigation = (
            (self._nav(Move.SEND, "buttons.submit", Submit()),),
            (self._nav(Move.CHANGE, "buttons.change", ChangeAnswer()),),
            (self._nav(Move.BACK, "buttons.back", Back(SUMMARY)),),
        )
        return Prompt(
            State.SUMMARY,
            self.t("prompt.summary_header"),
            title=self._heading,
            answers=tuple(answers),
            hint=self.t("prompt.summary_footer"),
            navigation=navigation,
        )

    def pick(self, draft: Draft) -> Reply:
        return chat.reply(self._pick(draft))

    def _pick(self, draft: Draft) -> Prompt:
        shown = (q for q in self.questionnaire.applicable(draft.answers) if q.kind.stores)
        options = tuple(
            Option(self.t(f"questions.{q.id}.title"), encode(Pick(q.id)), key=str(number))
            for number, q in enumerate(shown, 1)
        )
        back = ((self._nav(Move.TO_SUMMARY, "buttons.to_summary", Back(PICK)),),)
        text = self.t("prompt.pick")
        return Prompt(State.PICK, text, title=self._heading, options=options, navigation=back)

    def answered(self, question_id: str, draft: Draft) -> str:
        """The question's text with the chosen answer, replacing the message that asked it."""
        question = self.questionnaire.get(question_id)
        assert question is not None
        answer = self.answer_label(question, draft.answers.get(question_id))
        text = self.t(f"questions.{question_id}.text")
        return f"{text}\n\n{self.t('prompt.answered', answer=answer)}"

    def problem(self, problem: Problem) -> str:
        if problem.code == "constraint":
            own = f"questions.{problem.values.get('question')}.constraint_message"
            return self.t(own) if self.locale.has(own) else self.t("problem.constraint")
        return self.t(f"problem.{problem.code}", **problem.values)

    def resume_question(self, payload: str | None) -> Reply:
        navigation = (
            (self._nav(Move.RESUME, "buttons.resume", Resume()),),
            (self._nav(Move.RESTART, "buttons.restart", Restart(payload)),),
        )
        return chat.reply(
            Prompt(State.RESUME, self.t("session.resume_question"), navigation=navigation)
        )

    def invitation(self, key: str) -> Reply:
        """A message that ends with a way to begin, for someone with no questionnaire open."""
        begin = ((self._nav(Move.BEGIN, "buttons.begin", Restart()),),)
        return chat.reply(Prompt(State.NOTHING_OPEN, self.t(key), navigation=begin))

    def text(self, key: str, **values: object) -> Reply:
        return Reply(self.t(key, **values))
