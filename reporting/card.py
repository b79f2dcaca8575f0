"""A quarter's post for the municipality's Facebook page: a 1200×630 picture (the size
Facebook shows a link's or a post's picture at without cropping) and its text.

Pure: the quarter's public figures (``bot.application.public_figures``: the tables as
audited and printed, and the headline figures the audit allows) in; a few big figures, one
chart, bytes and words out. The card states no figure the public output does not print; a
chart shows the report's marks ("<3", "x") where the report does, with its legend.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.questionnaire.i18n import Locale
from bot.questionnaire.periods import Period
from reporting.charts import wrap
from reporting.document import Percent, Table

WIDTH, HEIGHT, DPI = 1200, 630, 100
BLUE, INK, GREY = "#2f6f9f", "#1d2733", "#44505c"
CHART_ROWS = 5


@dataclass(frozen=True)
class Printed:
    """A quarter's public figures as published: its printed count tables by name, its
    headline figures (key and value, e.g. ``("satisfied", "81%")``) and the name of its
    satisfaction question's table."""

    tables: Mapping[str, Table]
    headline: tuple[tuple[str, str], ...]
    scale: str = "satisfaction"


@dataclass(frozen=True)
class Big:
    """A headline figure: the value printed big, and what it counts."""

    value: str
    label: str


@dataclass(frozen=True)
class Bars:
    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]
    shown: tuple[str, ...]
    """The text beside each bar, as the report prints it ("<3" where it hides the count)."""
    note: str | None = None
    """The report's legend of its marks, when a bar shows one."""


@dataclass(frozen=True)
class CardContent:
    municipality: str
    dates: str
    """The municipality's own quarter, as the report writes it: 01.06.2025 – 31.08.2025."""
    subtitle: str
    figures: tuple[Big, ...]
    chart: Bars | None
    link: str | None
    """The results page's address; ``None`` where the web pages are not served."""
    link_line: str | None


def card_content(
    texts: Locale,
    municipality: str,
    quarter: Period,
    printed: Printed,
    link: str | None,
) -> CardContent:
    """What the card says, from the quarter's audited public figures."""
    dates = " – ".join(day.strftime("%d.%m.%Y") for day in (quarter.start, quarter.end))
    return CardContent(
        municipality,
        dates,
        texts.t("card.subtitle", dates=dates),
        headline(texts, printed),
        chart(texts, printed.tables, printed.scale),
        link,
        texts.t("card.results", link=link) if link else None,
    )


def headline(texts: Locale, printed: Printed) -> tuple[Big, ...]:
    """The public figures' own headline (how many answered, the satisfied share: each
    when the audit allows it), and the response rate when the services table prints it."""
    found = [
        Big(value, texts.t(f"card.{key}"))
        for key, value in printed.headline
        if texts.has(f"card.{key}")
    ]
    services = printed.tables.get("services")
    if services and not services.withheld and isinstance(services.rows[-1][3], Percent):
        found.append(Big(f"{round(services.rows[-1][3] * 100)}%", texts.t("card.rate")))
    return tuple(found[:3])


def chart(texts: Locale, tables: Mapping[str, Table], scale: str) -> Bars | None:
    """What residents asked for most (the suggestions' categories the report counts),
    else how satisfied they were, else how they answered."""
    categories = tables.get("categories")
    if categories and not categories.withheld:
        body = categories.rows[:-1] if categories.total_row else categories.rows
        asked = [r for r in body if isinstance(r[1], int) and r[1] > 0]
        if len(asked) >= 2:
            rows = sorted(asked, key=lambda r: -int(r[1]))[:CHART_ROWS]  # type: ignore[arg-type]
            return _bars(texts.t("card.chart_categories"), rows, categories)
    for name, title in ((scale, "card.chart_scale"), ("channels", "card.chart_channels")):
        table = tables.get(name)
        if table and not table.withheld and table.rows:
            return _bars(texts.t(title), table.rows[:-1], table)
    return None


def _bars(title: str, rows: Sequence[tuple[object, ...]], table: Table) -> Bars:
    values = tuple(r[1] if isinstance(r[1], int) else 0 for r in rows)
    shown = tuple(str(r[1]) for r in rows)
    marked = any(not isinstance(r[1], int) for r in rows)
    return Bars(
        title, tuple(str(r[0]) for r in rows), values, shown, table.legend if marked else None
    )


def answered(printed: Printed) -> int:
    """How many answered, as the public figures print it (0 when they do not)."""
    table = printed.tables.get("channels")
    if table is None or table.withheld or not table.rows:
        return 0
    value = table.rows[-1][1]
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def post_text(texts: Locale, card: CardContent) -> str:
    """The words of the post: short and plain, the figures as on the card, the link last."""
    figures = "\n".join(
        texts.t("card.post_figure", value=f.value, label=f.label) for f in card.figures
    )
    said = texts.t("card.post", municipality=card.municipality, dates=card.dates, figures=figures)
    if card.link:
        said = said.rstrip() + "\n" + texts.t("card.post_link", link=card.link)
    return said.strip() + "\n"


def card_png(card: CardContent) -> bytes:
    buffer = io.BytesIO()
    card_figure(card).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def card_figure(card: CardContent) -> Figure:
    """The card drawn: every text shrunk until it fits its place (a long municipality or
    category name never runs off the picture or into the chart)."""
    with rc_context({"font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(figure)
        figure.patches.append(_stripe(figure))
        title = figure.text(
            0.05, 0.9, card.municipality, fontsize=28, weight="bold", color=INK, va="top"
        )
        subtitle = figure.text(0.05, 0.79, card.subtitle, fontsize=17, color=GREY, va="top")
        fitted = [(title, 0.92), (subtitle, 0.92)]
        fitted += _figures(figure, card.figures, chart=card.chart is not None)
        if card.chart is not None:
            fitted += _chart(figure, card.chart)
        if card.link_line:
            link = figure.text(0.05, 0.06, card.link_line, fontsize=15, color=BLUE)
            fitted.append((link, 0.92))
        for text, width in fitted:
            _fit(figure, text, width)
    return figure


def _stripe(figure: Figure) -> object:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0.975), 1, 0.025, transform=figure.transFigure, color=BLUE)


def _figures(figure: Figure, figures: Sequence[Big], chart: bool) -> list[tuple[Text, float]]:
    """The big figures in a column, each with what it counts beside it."""
    width = 0.46 if chart else 0.9
    placed: list[tuple[Text, float]] = []
    for row, big in enumerate(figures):
        y = 0.6 - row * 0.16
        value = figure.text(0.05, y, big.value, fontsize=44, weight="bold", color=BLUE, va="center")
        label = figure.text(0.23, y, wrap(big.label, 24), fontsize=16, color=INK, va="center")
        placed += [(value, 0.17), (label, width - 0.18)]
    return placed


def _chart(figure: Figure, bars: Bars) -> list[tuple[Text, float]]:
    """Bars with their label above each, so the labels take the chart's whole width."""
    left, width = 0.55, 0.4
    heading = figure.text(left, 0.68, bars.title, fontsize=17, weight="bold", color=INK)
    axes = figure.add_axes((left, 0.2, width, 0.44))
    axes.set_axis_off()
    count = len(bars.labels)
    top = max([*bars.values, 1])
    axes.set_xlim(0, top * 1.18)
    axes.set_ylim(-0.6, count - 0.1)
    placed = [(heading, width)]
    for row, (label, value, shown) in enumerate(
        zip(bars.labels, bars.values, bars.shown, strict=True)
    ):
        y = count - 1 - row
        axes.barh(y, value, height=0.34, color=BLUE)
        named = axes.text(0, y + 0.22, wrap(label, 44), fontsize=12, color=INK, va="bottom")
        said = axes.text(
            value + top * 0.02, y, shown, fontsize=13, weight="bold", color=INK, va="center"
        )
        placed += [(named, width), (said, width)]
    if bars.note:
        note = figure.text(left, 0.175, wrap(bars.note, 60), fontsize=10, color=GREY, va="top")
        placed.append((note, width))
    return placed


def _fit(figure: Figure, text: Text, width: float) -> None:
    """Smaller type until ``text`` is at most ``width`` of the card wide and inside it."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    while text.get_fontsize() > 8:
        box = text.get_window_extent(renderer)
        inside = box.x0 >= 0 and box.x1 <= WIDTH and box.y0 >= 0 and box.y1 <= HEIGHT
        if inside and box.width <= width * WIDTH:
            return
        text.set_fontsize(text.get_fontsize() - 1)
