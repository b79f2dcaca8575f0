"""Slips with one-use codes, to cut out and hand out at the desk: an A4 PDF, ten a page.

Each slip says who asks and about which service, has a QR code of a link that carries its
code (``bot.questionnaire.slip_codes``), the code itself in large letters for a person whose
camera fails, and one line of instructions. The same approach as the QR sheets
(``bot.application.offer``): matplotlib's PDF with DejaVu fonts (Georgian letters), segno's QR
matrix.
Nothing on a slip, and nothing the bot stores, says when or to whom it was handed out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno

from bot.application.offer import A4_INCHES, Bases
from bot.questionnaire import slip_codes
from bot.questionnaire.i18n import Locale

COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MAX_COUNT = 2000
"""At most this many slips in one run (200 pages)."""


@dataclass(frozen=True)
class Slip:
    code: str
    link: str


def slip_link(bases: Bases, service: str, code: str) -> str:
    """The web page where configured (any phone's camera opens it, no app needed), else
    the Telegram bot, else the Messenger page; each carries the code."""
    if bases.web:
        return f"{bases.web.rstrip('/')}/q/{service}?c={code}"
    payload = slip_codes.join(service, code)
    if bases.telegram:
        return f"https://t.me/{bases.telegram.lstrip('@')}?start={payload}"
    if bases.messenger:
        return f"https://m.me/{bases.messenger.lstrip('@')}?ref={payload}"
    raise ValueError("no link is configured")


@dataclass(frozen=True)
class SlipText:
    """What every slip of one print says."""

    municipality: str
    heading: str
    instruction: str
    once: str
    code_line: str
    """With ``{code}`` for the slip's code."""

    @classmethod
    def of(cls, locale: Locale, municipality: str, service_name: str) -> SlipText:
        return cls(
            municipality=locale.t("slips.title", municipality=municipality),
            heading=locale.t("slips.heading", service=service_name),
            instruction=locale.t("slips.instruction"),
            once=locale.t("slips.once"),
            code_line=locale.t("slips.code_line", code="{code}"),
        )


def write_pdf(path: Path, slips: Sequence[Slip], text: SlipText) -> None:
    """All slips, ten to an A4 page, with dashed lines to cut along."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_pdf import PdfPages

    with rc_context({"font.family": "DejaVu Sans", "pdf.fonttype": 42}), PdfPages(path) as pdf:
        for first in range(0, len(slips), PER_PAGE):
            pdf.savefig(_page(slips[first : first + PER_PAGE], text))


def _page(slips: Sequence[Slip], text: SlipText) -> object:
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    figure = Figure(figsize=A4_INCHES)
    FigureCanvasPdf(figure)
    _cut_lines(figure)
    for index, slip in enumerate(slips):
        column, row = index % COLUMNS, index // COLUMNS
        _slip(figure, slip, text, column / COLUMNS, 1 - (row + 1) / ROWS)
    return figure


def _cut_lines(figure: object) -> None:
    """Dashed lines between the slips and around them (scissors follow them)."""
    style = {"color": "0.45", "linestyle": (0, (4, 3)), "linewidth": 0.6}
    for column in range(COLUMNS + 1):
        x = min(max(column / COLUMNS, 0.002), 0.998)
        figure.add_artist(_line([x, x], [0, 1], style))  # type: ignore[attr-defined]
    for row in range(ROWS + 1):
        y = min(max(row / ROWS, 0.002), 0.998)
        figure.add_artist(_line([0, 1], [y, y], style))  # type: ignore[attr-defined]


def _line(xs: list[float], ys: list[float], style: dict[str, object]) -> object:
    from matplotlib.lines import Line2D

    return Line2D(xs, ys, **style)  # type: ignore[arg-type]


def _slip(figure: object, slip: Slip, text: SlipText, left: float, bottom: float) -> None:
    """One slip in the cell whose lower left corner is (``left``, ``bottom``)."""
    from reporting.charts import wrap

    width, height = 1 / COLUMNS, 1 / ROWS
    put = figure.text  # type: ignore[attr-defined]
    pad = 0.018
    put(left + pad, bottom + height - 0.016, text.municipality, fontsize=8, weight="bold",
        va="top")  # fmt: skip
    put(left + pad, bottom + height - 0.032, wrap(text.heading, 44), fontsize=9, va="top")
    side = 3.2 / 2.54 / A4_INCHES[0]  # a 3.2 cm code: read by any phone at arm's length
    side_high = side * A4_INCHES[0] / A4_INCHES[1]
    qr = segno.make_qr(slip.link, error="m")
    axes = figure.add_axes((left + pad * 0.6, bottom + 0.012, side, side_high))  # type: ignore[attr-defined]
    axes.imshow(list(qr.matrix_iter(border=1)), cmap="gray_r", interpolation="nearest")
    axes.set_axis_off()
    right = left + pad + side + 0.01
    put(right, bottom + height * 0.62, wrap(text.instruction, 30), fontsize=7.5, va="top")
    code = text.code_line.format(code=slip_codes.spaced(slip.code))
    put(right, bottom + height * 0.3, code, fontsize=10.5, weight="bold", va="center",
        family="DejaVu Sans Mono")  # fmt: skip
    put(right, bottom + height * 0.16, text.once, fontsize=7, va="center")
    put(left + width / 2, bottom + 0.004, slip.link, fontsize=5, ha="center", va="bottom",
        color="0.35")  # fmt: skip
