"""Makes the two cut-down fonts in this folder from the full Noto Sans SC and Noto Sans KR
(Regular, the TrueType files Google Fonts publishes; see README.md). Run it again with the
paths of newer full fonts to refresh them:

    python src/revans/core/fonts/make_subsets.py NotoSansSC-Regular.ttf NotoSansKR-Regular.ttf

Kept: the ideographs of the national character sets people actually type (GB 2312 for
simplified Chinese, Big5 level 1 for traditional, JIS X 0208 for Japanese, KS X 1001 for
Korean hanja), kana, bopomofo, CJK punctuation and full-width forms; and the 2,350 Hangul
syllables of KS X 1001 with the jamo. Dropped: rare ideographs, hinting and layout tables (fpdf2
draws one glyph per character and reads neither).
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent


def _in(char: int, codec: str, low: int = 0, high: int = 0xFFFF) -> bool:
    try:
        encoded = chr(char).encode(codec)
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and low <= int.from_bytes(encoded, "big") <= high


def _han() -> set[int]:
    return {
        c
        for c in range(0x3400, 0xA000)
        if _in(c, "gb2312")
        or _in(c, "shift_jis")
        or _in(c, "euc_kr")
        or _in(c, "big5", 0xA440, 0xC67E)  # level 1: the 5,401 common characters
    }


def _hangul() -> set[int]:
    syllables = {c for c in range(0xAC00, 0xD7A4) if _in(c, "euc_kr")}
    return syllables | set(range(0x1100, 0x1200)) | set(range(0x3130, 0x3190))


CJK_BLOCKS = [(0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x31F0, 0x31FF),
              (0x3200, 0x33FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]  # fmt: skip


def cut(source: str, target: Path, wanted: set[int]) -> None:
    font = TTFont(source)
    wanted &= set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx", "BASE", "STAT", "GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {len(wanted)} characters, {target.stat().st_size:,} bytes")


def main(sc: str, kr: str) -> None:
    blocks = {c for low, high in CJK_BLOCKS for c in range(low, high + 1)}
    cut(sc, HERE / "NotoSansSC-Common.ttf", _han() | blocks)
    cut(kr, HERE / "NotoSansKR-Hangul.ttf", _hangul())


if __name__ == "__main__":
    main(*sys.argv[1:3])
