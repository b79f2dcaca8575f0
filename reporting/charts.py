"""Bar charts as PNG bytes, with a font that has Georgian glyphs (DejaVu Sans, in matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

STYLE = {"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none"}


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], shown: Sequence[str]
) -> bytes:
    """Horizontal bars, the first label on top; ``shown`` is the text beside each bar."""
    with rc_context(STYLE):
        figure = Figure(figsize=(7.5, 0.45 * len(labels) + 1.1), dpi=110)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, color="#2f6f9f")
        axes.set_yticks(positions, labels=[wrap(label) for label in labels])
        axes.bar_label(bars, labels=list(shown), padding=3)
        axes.set_title(wrap(title, 70), loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlim(0, max([*values, 1]) * 1.18)
        axes.tick_params(axis="x", labelbottom=False, length=0)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
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
