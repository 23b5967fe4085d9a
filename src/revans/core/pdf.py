"""What every PDF Revans writes (fpdf2) shares: fonts that draw people's words in whatever
script they wrote them, and text cleaned of what no font draws. The fonts, where they come from
and why these: fonts/README.md."""

import logging
import unicodedata
from functools import cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
SANS = "dejavu-sans"  # regular, bold (B), italic (I) and both
MONO = "dejavu-sans-mono"  # regular only
FACES = {
    SANS: {
        "": "DejaVuSans.ttf",
        "B": "DejaVuSans-Bold.ttf",
        "I": "DejaVuSans-Oblique.ttf",
        "BI": "DejaVuSans-BoldOblique.ttf",
    },
    MONO: {"": "DejaVuSansMono.ttf"},
}
# For a character the text font lacks, the first of these that has it, in any style (each has
# one weight).
FALLBACKS = {
    "noto-cjk": "NotoSansSC-Common.ttf",
    "noto-hangul": "NotoSansKR-Hangul.ttf",
    "noto-emoji": "NotoEmoji-Regular.ttf",
}


@cache
def _characters(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONTS / file, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def pdf_class():
    """``fpdf.FPDF`` writing in ``SANS`` (selected) or ``MONO``, with the fallback fonts for
    the characters they lack. Each font is read the first time a document uses it: reading one
    takes 0.02–0.2 s, and most documents need two or three of the eight. Imported when a PDF is
    asked for: fpdf2 with fontTools and Pillow takes a third of a second to import."""
    from fpdf import FPDF

    # fpdf2 cuts each font down to the glyphs used as it writes the file, and fontTools logs
    # every step of that at INFO: dozens of lines per PDF in the server's log.
    logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

    class RevansPDF(FPDF):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            # fpdf2 looks for fallbacks only once one is set: the emoji font is the smallest.
            self._use_fallback("noto-emoji")
            self.set_font(SANS, size=11)

        def set_font(self, family=None, style="", size=0) -> None:
            family = (family or self.font_family).lower()
            letters = getattr(style, "style", style).upper()  # a TextEmphasis or letters
            face = "B" * ("B" in letters) + "I" * ("I" in letters)
            file = FACES.get(family, {}).get(face)
            if file and family + face not in self.fonts:
                self.add_font(family, face, FONTS / file)
            super().set_font(family, style, size)

        def get_fallback_font(self, char: str, style: str = "") -> str | None:
            for family, file in FALLBACKS.items():
                if ord(char) in _characters(file):
                    self._use_fallback(family)
                    return family
            return None

        def _use_fallback(self, family: str) -> None:
            if family not in self.fonts:
                self.add_font(family, "", FONTS / FALLBACKS[family])
                self.set_fallback_fonts([f for f in FALLBACKS if f in self.fonts])

    return RevansPDF


def _drawn(char: str) -> bool:
    if char in "\n\t":
        return True
    if unicodedata.category(char).startswith("C"):
        return False  # controls, and format characters: direction marks, zero-width joiners
    # Variation selectors only pick a glyph's presentation, which fpdf2 cannot do.
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def pdf_text(text: object) -> str:
    """``text`` as the PDF fonts draw it, every visible character kept: accents composed (NFC),
    and invisible controls, direction marks, zero-width joiners and variation selectors left
    out, which would otherwise show as boxes or reorder what follows them."""
    return "".join(filter(_drawn, unicodedata.normalize("NFC", str(text))))
