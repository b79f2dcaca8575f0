"""Links and QR codes that open the questionnaire for a service, for the desk, the box and
e-mails: Telegram, Messenger and the web page, whichever are configured."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno

from bot.common import atomic
from bot.dialogue.forms import LINK_SEPARATOR
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import SERVICE, Questionnaire

GENERAL = "general"
A4_INCHES = (8.27, 11.69)
KINDS = ("telegram", "messenger", "web")


@dataclass(frozen=True)
class Link:
    kind: str
    """``telegram``, ``messenger`` or ``web``: the sheet names it under its code."""
    url: str


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    links: tuple[Link, ...]

    @property
    def link(self) -> str:
        return self.links[0].url


@dataclass(frozen=True)
class Bases:
    """Where each kind of link starts; ``None`` leaves that kind out."""

    telegram: str | None = None
    """The bot's username."""
    messenger: str | None = None
    """The page's name in m.me links."""
    web: str | None = None
    """The web questionnaire's public address."""

    def links(self, code: str | None) -> tuple[Link, ...]:
        found = []
        if self.telegram:
            base = f"https://t.me/{self.telegram.lstrip('@')}"
            found.append(Link("telegram", f"{base}?start={code}" if code else base))
        if self.messenger:
            base = f"https://m.me/{self.messenger.lstrip('@')}"
            found.append(Link("messenger", f"{base}?ref={code}" if code else base))
        if self.web:
            base = self.web.rstrip("/")
            found.append(Link("web", f"{base}/q/{code}" if code else f"{base}/"))
        return tuple(found)


def entries(
    questionnaire: Questionnaire,
    locale: Locale,
    bases: Bases | str,
    form_id: str | None = None,
    title: str | None = None,
) -> list[Entry]:
    """One general entry (no service chosen) and one per service; for a loaded form
    (``form_id``), one that opens it and one per option of its first choice question
    (``kindergarten--garden_2``)."""
    if isinstance(bases, str):
        bases = Bases(telegram=bases)
    if form_id is not None:
        found = [Entry(form_id, title or form_id, bases.links(form_id))]
        question = questionnaire.first_choice()
        for code in question.options if question else ():
            name = locale.t(
                f"service_names.{code}"
                if question and question.role == SERVICE
                else f"options.{question.id if question else ''}.{code}"
            )
            payload = f"{form_id}{LINK_SEPARATOR}{code}"
            found.append(Entry(payload, name, bases.links(payload)))
        return found
    found = [Entry(GENERAL, locale.t("qr.general"), bases.links(None))]
    for code in questionnaire.with_role(SERVICE).options:  # type: ignore[union-attr]
        if code != "other":
            found.append(Entry(code, locale.t(f"service_names.{code}"), bases.links(code)))
    return found


def write_all(
    entries: list[Entry],
    locale: Locale,
    municipality: str,
    folder: Path,
    questions: int,
    results: str | None = None,
) -> list[Path]:
    """Per entry and link: PNG and SVG codes; per entry an A4 sheet with its codes; one PDF
    of every sheet for printing at once; and ``links.txt`` for e-mails. Each file is written
    under a temporary name and renamed when complete, so a printer never gets half a sheet.
    ``questions``: how many the sheet promises; ``results``: the public results page's
    address, printed at the foot of each sheet."""
    from matplotlib.backends.backend_pdf import PdfPages

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    everything = folder / "sheets_all.pdf"
    with atomic.written(everything) as all_sheets, PdfPages(all_sheets) as pages:
        for entry in entries:
            codes = []
            for index, link in enumerate(entry.links):
                code = segno.make_qr(link.url, error="m")
                suffix = "" if index == 0 else f"_{link.kind}"
                png, svg = (
                    folder / f"qr_{entry.code}{suffix}.png",
                    folder / f"qr_{entry.code}{suffix}.svg",
                )
                with atomic.written(png) as temporary:
                    code.save(temporary, scale=10, border=4)
                with atomic.written(svg) as temporary:
                    code.save(temporary, scale=10, border=4, title=entry.name)
                written += [png, svg]
                codes.append((code, link))
            figure = a4_figure(codes, entry, locale, municipality, questions, results)
            pdf = folder / f"sheet_{entry.code}.pdf"
            atomic.write_bytes(pdf, _pdf(figure))
            pages.savefig(figure)
            written.append(pdf)
    links = folder / "links.txt"
    atomic.write_text(
        links,
        "".join(
            entry.name
            + "\n"
            + "".join(f"{locale.t(f'qr.kinds.{k.kind}')}: {k.url}\n" for k in entry.links)
            + "\n"
            for entry in entries
        ),
    )
    return [*written, everything, links]


def _pdf(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")  # type: ignore[attr-defined]
    return buffer.getvalue()


def a4_figure(
    codes: Sequence[tuple[segno.QRCode, Link]],
    entry: Entry,
    locale: Locale,
    municipality: str,
    questions: int,
    results: str | None = None,
) -> object:
    """A printable page: who asks, what to do in one line, the codes (12 cm alone, side by
    side when there are two or three, each named: "Facebook Messenger", "ვებგვერდი"), each
    link in text, and at its foot where the results are published."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    from reporting.charts import wrap

    with rc_context({"font.family": "DejaVu Sans", "pdf.fonttype": 42}):
        figure = Figure(figsize=A4_INCHES)
        FigureCanvasPdf(figure)
        figure.text(0.5, 0.93, municipality, ha="center", fontsize=20, weight="bold")
        figure.text(0.5, 0.885, locale.t("qr.title"), ha="center", fontsize=16)
        figure.text(0.5, 0.84, wrap(entry.name), ha="center", va="top", fontsize=12)
        count = len(codes)
        side_cm = 12.0 if count == 1 else (8.5 if count == 2 else 5.8)
        side = side_cm / 2.54 / A4_INCHES[0]
        height = side * A4_INCHES[0] / A4_INCHES[1]
        for index, (code, link) in enumerate(codes):
            centre = (index + 0.5) / count
            bottom = 0.3 if count == 1 else 0.42
            axes = figure.add_axes((centre - side / 2, bottom, side, height))
            axes.imshow(list(code.matrix_iter(border=2)), cmap="gray_r", interpolation="nearest")
            axes.set_axis_off()
            if count > 1 or link.kind != "telegram":
                label = locale.t(f"qr.kinds.{link.kind}")
                figure.text(centre, bottom + height + 0.01, label, ha="center", fontsize=14,
                            weight="bold")  # fmt: skip
        instructions = wrap(locale.t("qr.instructions", count=questions), 60)
        figure.text(
            0.5, 0.24 if count == 1 else 0.36, instructions, ha="center", va="top", fontsize=14,
        )  # fmt: skip
        for index, (_code, link) in enumerate(codes):
            line = locale.t("qr.link_line", link=link.url)
            if count > 1:
                line = f"{locale.t(f'qr.kinds.{link.kind}')}: {link.url}"
            figure.text(0.5, (0.16 if count == 1 else 0.26) - index * 0.035, line, ha="center",
                        fontsize=11)  # fmt: skip
        if results:
            said = wrap(locale.t("qr.results_line", url=results), 70)
            figure.text(0.5, 0.06, said, ha="center", va="bottom", fontsize=11)
    return figure


def a4_sheet(
    code: segno.QRCode, entry: Entry, locale: Locale, municipality: str, questions: int
) -> bytes:
    return _pdf(a4_figure([(code, entry.links[0])], entry, locale, municipality, questions))
