"""What every PDF Revans writes (fpdf2) shares: fonts that draw people's words in whatever
script they wrote them, and text cleaned of what no font draws. The fonts, where they come from
and why these: fonts/README.md."""

import unicodedata
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
SANS = "dejavu-sans"  # regular, bold (B), italic (I) and both
MONO = "dejavu-sans-mono"  # regular only
_SANS_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
# Tried in this order for a character the current font lacks.
_FALLBACKS = {
    "noto-cjk": "NotoSansSC-Common.ttf",
    "noto-hangul": "NotoSansKR-Hangul.ttf",
    "noto-emoji": "NotoEmoji-Regular.ttf",
}


def add_fonts(pdf) -> None:
    """Registers ``SANS`` and ``MONO`` on ``pdf`` (an ``fpdf.FPDF``) with the CJK, Hangul and
    emoji fonts as fallbacks for the characters they lack, used in any style (they have one
    weight each), and selects ``SANS``. fpdf2 embeds only the glyphs a document uses."""
    for style, name in _SANS_FILES.items():
        pdf.add_font(SANS, style, FONTS / name)
    pdf.add_font(MONO, "", FONTS / "DejaVuSansMono.ttf")
    for family, name in _FALLBACKS.items():
        pdf.add_font(family, "", FONTS / name)
    pdf.set_fallback_fonts(list(_FALLBACKS), exact_match=False)
    pdf.set_font(SANS, size=11)


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
