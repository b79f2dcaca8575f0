"""The report as an A4 PDF: the HTML report laid out for print by WeasyPrint.

Municipal websites post PDFs. The PDF is the HTML report itself (one layout, one template),
with a print stylesheet over it: A4 pages, page numbers, tables that repeat their header.
Its font is the DejaVu Sans that matplotlib ships (the charts' font, which has the Georgian
letters), loaded by file, so a server needs no font package and every reader sees the same
letters: WeasyPrint embeds the subset it used, with the map from glyphs back to text, so
the Georgian can be searched and copied.

WeasyPrint draws text with Pango (Debian's ``libpango-1.0-0`` and ``libpangoft2-1.0-0``):
it is imported only when a PDF is asked for, and ``available`` says beforehand whether it
can be, so a missing library is one clear line before any work, never a traceback after.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

FONT_FAMILY = "Report Sans"
"""A name of our own: a font of the system called "DejaVu Sans" never takes its place."""
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")


def available() -> bool:
    """Whether WeasyPrint and the Pango it needs load here."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: Pango's shared library is missing
        return False
    return True


def pdf(html: str) -> bytes:
    """The HTML report (``render.html``) printed on A4."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    # The page's screen-only rules (a phone's layout) are ignored in print, and WeasyPrint
    # would say so on the clerk's terminal for every report.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    # Passed as a stylesheet it would be the reader's own, beneath the page's: after the
    # page's style instead, so it overrides the screen layout rule by rule.
    printed = html.replace("</head>", "<style>" + print_css() + "</style></head>", 1)
    document = HTML(string=printed, url_fetcher=_local_only())
    return document.write_pdf(font_config=fonts)  # type: ignore[no-any-return]


@cache
def print_css() -> str:
    """Over the page's own style: the A4 page, its margins and numbers, print sizes."""
    regular, bold, oblique = (_font_file(name) for name in FONT_FILES)
    return f"""
@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{regular.as_uri()}"); }}
@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: bold; src: url("{bold.as_uri()}"); }}
@font-face {{ font-family: "{FONT_FAMILY}"; font-style: italic; src: url("{oblique.as_uri()}"); }}
@page {{
  size: A4; margin: 2cm 2cm 2.2cm 2.5cm;
  @bottom-right {{ content: counter(page) " / " counter(pages);
                   font: 8pt "{FONT_FAMILY}"; color: #44505c; }}
}}
html, body {{ font-family: "{FONT_FAMILY}", sans-serif; }}
body {{ max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.4; }}
h1 {{ font-size: 15pt; }} h2 {{ font-size: 12pt; break-after: avoid; }}
h3 {{ font-size: 10pt; break-after: avoid; }}
table {{ font-size: 8.5pt; }} caption {{ break-after: avoid; }}
th, th.n {{ white-space: normal; overflow-wrap: anywhere; }} th, td {{ padding: 2pt 3pt; }}
td:first-child {{ min-width: 30%; }}
img {{ max-width: 100%; }} .legend, .note {{ font-size: 8pt; }} figcaption {{ font-size: 8.5pt; }}
"""


def _local_only() -> object:
    """A fetcher of the charts (``data:``) and the font files, nothing else: a report never
    reaches out to the network, whatever a text in it looks like."""
    from weasyprint.urls import URLFetcher

    fonts = {_font_file(name).as_uri() for name in FONT_FILES}

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> object:
            if not (url.startswith("data:") or url in fonts):
                raise ValueError(f"a report fetches nothing from {url[:40]}")
            return super().fetch(url, headers)

    return LocalOnly()


def _font_file(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
