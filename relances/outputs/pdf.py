"""What every PDF relances draws shares: the fonts, and user text made drawable.

Fonts come from reportlab's own Vera family, which carries accents and the euro sign on
every system. A client's name may hold what Vera cannot draw (an emoji): `printable`
writes a few signs as Vera can and leaves the rest out, never an empty box. reportlab is
imported inside the functions that draw.
"""

from __future__ import annotations

import functools


def register_fonts() -> None:
    """Vera ships inside reportlab: accents and € render the same on every system."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (("Vera", "Vera.ttf"), ("VeraBd", "VeraBd.ttf"),
                       ("VeraIt", "VeraIt.ttf"), ("VeraBI", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, file))
    for bold, italic, name in ((0, 0, "Vera"), (1, 0, "VeraBd"), (0, 1, "VeraIt"),
                               (1, 1, "VeraBI")):
        addMapping("Vera", bold, italic, name)


_PDF_SUBSTITUTES = {"\u202f": "\u00a0", "→": "->", "←": "<-", "Σ": "somme", "✓": "oui",
                    "✗": "non"}
"""Signs Vera lacks, written as it can; anything else it lacks (an emoji in a client's
name) is left out rather than printed as an empty box."""


@functools.lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    return frozenset(pdfmetrics.getFont("Vera").face.charToGlyph)


def printable(text: str) -> str:
    """The text as the PDF font can draw it."""
    glyphs = _glyphs()
    if all(ord(c) in glyphs or c in "\n\t" for c in text):
        return text
    return "".join(c if ord(c) in glyphs or c in "\n\t" else _PDF_SUBSTITUTES.get(c, "")
                   for c in text)


def escape(text: str) -> str:
    """User text in a reportlab paragraph: drawable, XML-safe."""
    from xml.sax.saxutils import escape as xml_escape

    return xml_escape(printable(text))

