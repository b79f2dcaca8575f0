"""Links and QR codes that open the questionnaire, for the desk, the box and e-mails."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno

from bot import atomic
from bot.i18n import Locale
from bot.questionnaire.model import Questionnaire

GENERAL = "general"
A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    link: str


def entries(questionnaire: Questionnaire, locale: Locale, username: str) -> list[Entry]:
    """One general link (no service chosen) and one per service."""
    base = f"https://t.me/{username.lstrip('@')}"
    found = [Entry(GENERAL, locale.t("qr.general"), base)]
    for code in questionnaire.get("service").options:  # type: ignore[union-attr]
        if code != "other":
            found.append(Entry(code, locale.t(f"service_names.{code}"), f"{base}?start={code}"))
    return found


def write_all(
    entries: list[Entry], locale: Locale, municipality: str, folder: Path, questions: int
) -> list[Path]:
    """Each file is written under a temporary name and renamed when complete, so a printer
    never gets half a sheet. ``questions``: how many the sheet promises."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in entries:
        code = segno.make_qr(entry.link, error="m")
        png, svg = folder / f"qr_{entry.code}.png", folder / f"qr_{entry.code}.svg"
        with atomic.written(png) as temporary:
            code.save(temporary, scale=10, border=4)
        with atomic.written(svg) as temporary:
            code.save(temporary, scale=10, border=4, title=entry.name)
        pdf = folder / f"sheet_{entry.code}.pdf"
        atomic.write_bytes(pdf, a4_sheet(code, entry, locale, municipality, questions))
        written += [png, svg, pdf]
    links = folder / "links.txt"
    atomic.write_text(links, "".join(f"{e.name}\n{e.link}\n\n" for e in entries))
    return [*written, links]


def a4_sheet(
    code: segno.QRCode, entry: Entry, locale: Locale, municipality: str, questions: int
) -> bytes:
    """A printable page: who asks, what to do in one line, a 12 cm code, the link in text."""
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
        side = 4.72 / A4_INCHES[0]  # 12 cm
        axes = figure.add_axes((0.5 - side / 2, 0.3, side, side * A4_INCHES[0] / A4_INCHES[1]))
        axes.imshow(list(code.matrix_iter(border=2)), cmap="gray_r", interpolation="nearest")
        axes.set_axis_off()
        figure.text(
            0.5,
            0.24,
            wrap(locale.t("qr.instructions", count=questions), 60),
            ha="center",
            va="top",
            fontsize=14,
        )
        figure.text(0.5, 0.16, locale.t("qr.link_line", link=entry.link), ha="center", fontsize=12)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf")
    return buffer.getvalue()
