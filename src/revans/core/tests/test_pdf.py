"""The fonts every PDF is written with, shipped with their licences, and the text given to them."""

from revans.core.pdf import _FALLBACKS, _SANS_FILES, FONTS, pdf_text


def test_pdf_text_keeps_every_visible_character():
    words = "“Zoë” – €5 Łódź Ő Ελληνικά 中文 日本語 한국어 😀 👍🏽"
    assert pdf_text(words) == words


def test_pdf_text_composes_accents_and_leaves_out_what_no_font_draws():
    assert pdf_text("Zoe\u0308") == "Zoë"
    assert pdf_text("left\u202eright\u200b\u200f\x00\x0b") == "leftright"
    assert pdf_text("❤\ufe0f 👩\u200d💻") == "❤ 👩💻"
    assert pdf_text("one\n\ttwo") == "one\n\ttwo"


def test_every_font_is_shipped_with_its_licence_and_the_readme_names_both():
    readme = (FONTS / "README.md").read_text()
    for name in [*_SANS_FILES.values(), *_FALLBACKS.values(), "DejaVuSansMono.ttf"]:
        assert (FONTS / name).is_file() and f"`{name}`" in readme, name
    assert "Bitstream Vera" in (FONTS / "LICENSE-DejaVu.txt").read_text()
    for licence in ("OFL-NotoSansCJK.txt", "OFL-NotoEmoji.txt"):
        assert "SIL Open Font License, Version 1.1" in (FONTS / licence).read_text()
    for licence in ("LICENSE-DejaVu.txt", "OFL-NotoSansCJK.txt", "OFL-NotoEmoji.txt"):
        assert f"`{licence}`" in readme
