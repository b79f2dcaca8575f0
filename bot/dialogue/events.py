"""What a channel adapter tells the conversation, and what it gets back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.dialogue.prompt import Prompt


@dataclass(frozen=True)
class Sender:
    """Who sent an update, as the adapter knows it; never stored as given."""

    channel: str
    user: str
    update_key: str | None = None
    chat: str | None = None
    """Where to send the one reminder; stored only encrypted, and only while unfinished."""
    reply_window: timedelta | None = None
    """Messenger lets a page write only this long after the person's last message, so there
    a reminder comes inside the window and no later news can be offered."""
    draft_as: str | None = None
    """What keys the draft when it is not ``user`` (who the daily limit counts): the web
    page's questionnaire, whose value is new with every questionnaire while the browser's
    stays (``bot.channels.web.session``)."""
    may_send: Callable[[], bool] | None = field(default=None, compare=False, repr=False)
    """Asked at the one place a form goes into the box, however the send was asked for (a
    press, a typed label): ``False`` holds the form back, its draft untouched. The web page
    gives one for its per-address and per-kiosk limits, and says itself why."""


@dataclass(frozen=True)
class Start:
    payload: str | None = None


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Privacy:
    """``/privacy``: how the answers are kept, who sees them, for how long."""


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    data: str


@dataclass(frozen=True)
class Repeat:
    """Show the current question again (Messenger pages long option lists this way)."""


@dataclass(frozen=True)
class Unsubscribe:
    pass


@dataclass(frozen=True)
class ChooseLanguage:
    """``/language``: the choice of the municipality's languages, to switch."""


@dataclass(frozen=True)
class Unsupported:
    """A sticker, photo, voice message, file or anything else that is not text."""


@dataclass(frozen=True)
class UnknownCommand:
    pass


@dataclass(frozen=True)
class PaperCommand:
    """``/paper`` (begin a batch of paper forms) or ``/done`` (end it): staff only.
    ``/paper kindergarten`` types in the forms of a questionnaire other than the first."""

    name: str
    rest: str = ""


@dataclass(frozen=True)
class AnalystCommand:
    """``/report``, ``/comments`` and the rest: analysts only."""

    name: str
    rest: str = ""


Event = (
    Start
    | Stop
    | Help
    | Privacy
    | Text
    | Press
    | Repeat
    | Unsubscribe
    | ChooseLanguage
    | Unsupported
    | UnknownCommand
    | PaperCommand
    | AnalystCommand
)

SIMPLE_COMMANDS: dict[str, type[Event]] = {
    "stop": Stop,
    "help": Help,
    "privacy": Privacy,
    "unsubscribe": Unsubscribe,
    "language": ChooseLanguage,
    "lang": ChooseLanguage,
}
CITIZEN_COMMANDS = ("start", "help", "privacy", "stop", "unsubscribe")
PAPER_COMMANDS = ("paper", "done")
ANALYST_COMMANDS = (
    "report",
    "applications",
    "comments",
    "category",
    "publish",
    "summary",
    "changes",
    "national",
)


def command(name: str, rest: str = "", staff: bool = False) -> Event:
    """The event a typed /command stands for, the same on every channel.

    ``staff``: the channel has staff desks (Telegram), so their commands mean something;
    elsewhere they are unknown commands like any other.
    """
    name = name.lower()
    if name == "start":
        return Start(rest.strip() or None)
    if staff and name in PAPER_COMMANDS:
        return PaperCommand(name, rest.strip())
    if staff and name in ANALYST_COMMANDS:
        return AnalystCommand(name, rest.strip())
    kind = SIMPLE_COMMANDS.get(name)
    return kind() if kind else UnknownCommand()


@dataclass(frozen=True)
class Incoming:
    """One update, translated once by its channel: who, what, and where it was said.

    ``roles`` are what the channel vouches for (``paper``, ``analyst``: Telegram users in
    ``STAFF_IDS`` / ``ANALYST_IDS``); ``private`` is false in a group chat.
    """

    sender: Sender
    event: Event
    private: bool = True
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    key: str | None = None
    """What a citizen may type instead of pressing (an option's number or scale digit)."""


@dataclass(frozen=True)
class Reply:
    """A message as a chat sends it, and what it asks as data.

    ``text`` and ``buttons`` are the chat rendering (``bot.dialogue.chat``) of ``prompt``;
    a reply that asks nothing (a notice, a staff message) has no prompt."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    prompt: Prompt | None = None


@dataclass(frozen=True)
class Outcome:
    """Messages to send, and the new text of the message whose button was pressed.

    ``edit`` replaces that message's text and removes its buttons, so the chat history
    shows each question with the answer chosen and old buttons do not linger.
    """

    replies: tuple[Reply, ...] = ()
    edit: str | None = None
    tidy: bool = False
    """Without an ``edit``, still remove the pressed message's buttons (the paper desk)."""
    in_place: bool = False
    """The one reply is the pressed message redrawn (an option ticked, a page turned): a
    channel that can edit a message (Telegram) changes it instead of sending a new one."""
    language: str | None = None
    """The language the citizen chose (kept in their draft), for the texts a channel puts
    around the replies (a web page's buttons and title, Messenger's welcome)."""
