"""The fonts every PDF is written with, shipped with their licences, and the text given to them."""

from revans.core.pdf import FACES, FALLBACKS, FONTS, MONO, SANS, pdf_class, pdf_text


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
    for name in [*FACES[SANS].values(), *FACES[MONO].values(), *FALLBACKS.values()]:
        assert (FONTS / name).is_file() and f"`{name}`" in readme, name
    assert "Bitstream Vera" in (FONTS / "LICENSE-DejaVu.txt").read_text()
    for licence in ("OFL-NotoSansCJK.txt", "OFL-NotoEmoji.txt"):
        assert "SIL Open Font License, Version 1.1" in (FONTS / licence).read_text()
    for licence in ("LICENSE-DejaVu.txt", "OFL-NotoSansCJK.txt", "OFL-NotoEmoji.txt"):
        assert f"`{licence}`" in readme


def test_a_document_reads_only_the_fonts_it_draws_with():
    pdf = pdf_class()(format="A4")
    pdf.add_page()
    pdf.multi_cell(0, 5, "Łódź Ελληνικά", new_x="LMARGIN", new_y="NEXT")
    assert set(pdf.fonts) == {SANS, "noto-emoji"}
    pdf.set_font(SANS, "BU")
    pdf.multi_cell(0, 5, "中文 한국어 🎉", new_x="LMARGIN", new_y="NEXT")
    assert set(pdf.fonts) == {SANS, SANS + "B", "noto-cjk", "noto-hangul", "noto-emoji"}
    pdf.set_font(MONO)
    assert MONO in pdf.fonts and pdf.output().startswith(b"%PDF")
