"""Turning engine states into prompts (what the citizen is asked), through the locale.

A ``Prompt`` is data; ``prompt`` and the other methods that return a ``Reply`` add its chat
rendering (``bot.dialogue.chat``), which Telegram, Messenger and the console send and the
web page ignores.
"""

from __future__ import annotations

from bot.dialogue import chat
from bot.dialogue.callbacks import Action, Languages, Restart, Resume, encode
from bot.dialogue.events import Reply
from bot.dialogue.hints import hint
from bot.dialogue.prompt import Move, Nav, Option, Progress, Prompt, State
from bot.dialogue.typed import Understood, labels_of, understand
from bot.questionnaire import engine
from bot.questionnaire.content import BUILTIN_FORM
from bot.questionnaire.engine import (
    Back,
    Blank,
    ChangeAnswer,
    Done,
    Input,
    Pick,
    Problem,
    Skip,
    Submit,
    previous_question,
)
from bot.questionnaire.i18n import Locale
from bot.questionnaire.kinds.base import Answering
from bot.questionnaire.model import (
    PICK,
    SERVICE,
    SUMMARY,
    Answer,
    Draft,
    Question,
    Questionnaire,
)
from bot.questionnaire.numbering import numbered_count, question_numbers

Navigation = tuple[tuple[Nav, ...], ...]
Parts = tuple[tuple[Option, ...], Navigation, chat.Keyboard]
"""A question's options, its navigation, and their chat keyboard."""


class Views:
    def __init__(self, questionnaire: Questionnaire, locale: Locale, municipality: str) -> None:
        self.questionnaire = questionnaire
        self.locale = locale
        self.t = locale.t
        self.municipality = municipality
        self._channels: dict[str, Views] = {}
        self._numbers = question_numbers(questionnaire, self.t("prompt.follow_up_suffix"))
        self._count = numbered_count(questionnaire)
        self._parts: dict[tuple[str, bool], Parts] = {}
        self._said: dict[str, tuple[str, Progress, str]] = {}
        builtin = questionnaire.form_id in ("", BUILTIN_FORM)
        self._heading = None if builtin or not locale.has("form.title") else self.t("form.title")

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

    @property
    def count(self) -> int:
        """The questions the introduction promises: the numbered ones, as on paper."""
        return self._count

    def number(self, question_id: str) -> str:
        return self._numbers.get(question_id, "")

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
