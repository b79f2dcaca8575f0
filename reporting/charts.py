"""Bar charts as PNG bytes, with a font that has Georgian glyphs (DejaVu Sans, in matplotlib).

Drawn at the size they are placed in the document and at print resolution, so the text in
them prints at the size of the table text beside them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 220
"""Print resolution: at least 200 dots per inch at the placed size."""
STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "svg.fonttype": "none"}


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    shown: Sequence[str],
    width_cm: float = 15.0,
) -> bytes:
    """Horizontal bars, the first label on top; ``shown`` is the text beside each bar."""
    with rc_context(STYLE):
        width = width_cm / 2.54
        height = 0.28 * len(labels) + (0.55 if title else 0.3)
        figure = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, color="#2f6f9f", height=0.6)
        axes.set_yticks(positions, labels=[wrap(label, 48) for label in labels])
        axes.bar_label(bars, labels=list(shown), padding=3)
        if title:
            axes.set_title(wrap(title, 70), loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlim(0, max([*values, 1]) * 1.15)
        axes.tick_params(axis="x", labelbottom=False, length=0)
        axes.tick_params(axis="y", length=0)
        figure.tight_layout(pad=0.3)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
