"""Scanned nominee tables and lists: the ruled grid measured on the page image, words put in its cells,
OCR-tolerant group rows, list markers and honorifics, noise rows dropped; a date line without `ngày`."""
import numpy as np
from PIL import Image, ImageDraw

from extractors import ocr
from extractors.model import Line, Page, Word
from extractors.rules.header import DATE_RE
from extractors.rules.nominees import read_nominees
from extractors.rules.text import fold

XS = [300, 440, 1200, 2200]                      # STT | Họ và tên | Chức vụ
YS = [400, 460, 520, 580, 640, 700]              # heading, I. TẬP THỂ, 1, II. CÁ NHÂN, 1


def table_image(noise: float = 8.0) -> Image.Image:
    """A ruled table like a scan's: grey thin rules, merged group rows, noise."""
    im = Image.new("L", (2480, 1200), 250)
    draw = ImageDraw.Draw(im)
    for y in YS:
        draw.line([(XS[0], y), (XS[-1], y)], fill=120, width=2)
    for top, bottom, merged in zip(YS, YS[1:], [False, True, False, True, False], strict=False):
        for x in ([XS[0], XS[-1]] if merged else XS):
            draw.line([(x, top), (x, bottom)], fill=120, width=2)
    a = np.asarray(im).astype(np.float32) + np.random.default_rng(1).normal(0, noise, (1200, 2480))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def test_grid_rules_and_cell_cuts_are_measured_before_whitening():
    image = table_image()
    assert ocr.has_ruled_table(image)
    cleaned, grids = ocr.remove_rules(image)
    assert len(grids) == 1
    grid = grids[0]
    assert [round(y / 10) for y in grid["ys"]] == [y // 10 for y in YS]
    assert [len(c) for c in grid["cuts"]] == [4, 2, 4, 2, 4]             # merged group rows: no inner cuts
    assert all(abs(a - b) <= 4 for a, b in zip(grid["cuts"][0], XS, strict=False))
    assert np.asarray(cleaned)[YS[2] - 1:YS[2] + 2, 600:1000].min() > 200   # the rules are whitened


def test_an_underline_and_a_signature_line_are_not_a_table():
    im = Image.new("L", (2480, 3500), 250)
    draw = ImageDraw.Draw(im)
    draw.line([(1400, 300), (2000, 300)], fill=60, width=3)
    draw.line([(300, 3000), (900, 3000)], fill=60, width=3)
    assert ocr.remove_rules(im)[1] == []


def ocr_words(text: str, x: float, y: float) -> list[Word]:
    words, cursor = [], x
    for token in text.split():
        words.append(Word(token, cursor, cursor + 22 * len(token), y, y + 36, 0.9))
        cursor += 22 * len(token) + 16
    return words


def grid_page() -> Page:
    rows = [(410, [("STT", 310), ("Ho va tên", 600), ("Chức vu", 1400)]),
            (470, [("I. TẬP THỂ", 310)]),
            (530, [("]", 320), ("Tổ tự quản thôn Khe Vàng", 460)]),
            (590, [("H. C¿ NHÂN", 310)]),
            (650, [("1", 320), ("Ông Lê Văn Hùng £_", 460), ("Công an viên", 1220)]),
            (710, [("2", 320), ("Ä ội |", 460)])]
    lines = [Line([w for text, x in cells for w in ocr_words(text, x, y)], 1, "ocr") for y, cells in rows]
    ys = YS + [770]
    cuts = [XS, XS[:1] + XS[-1:], XS, XS[:1] + XS[-1:], XS, XS]
    grid = {"box": (XS[0], ys[0], XS[-1], ys[-1]), "ys": ys, "cuts": cuts}
    return Page(1, 2480.0, 3508.0, lines, "ocr", grids=[grid])


def test_scanned_table_rows_come_from_the_grid_cells():
    page = grid_page()
    nominees, _ = read_nominees([page], page.lines)
    assert [(n["name"], n["kind"], n["position"]) for n in nominees] == [
        ("Tổ tự quản thôn Khe Vàng", "collective", None),
        ("Lê Văn Hùng", "individual", "Công an viên")]                   # noise row `Ä ội` dropped


def test_scanned_list_with_misread_markers_and_honorifics():
    texts = ["Đề nghị tặng Giấy khen của Chủ tịch UBND xã cho:", "a) Tập thể:",
             "lê Tổ tự quản thôn Đồng Búc;", "b) Cá nhân:", "1. Ông Ngô Hữu Vân, Nông dân;",
             "5, Ong Đỗ Hồng Phúc, Nông dân;", "„Ã Đông chí Lê Xuân Khánh - Công an viên;", ".",
             "Trên đây là đề nghị của thôn./."]
    lines = [Line(ocr_words(t, 300, 400 + 80 * i), 1, "ocr") for i, t in enumerate(texts)]
    nominees, _ = read_nominees([Page(1, 2480.0, 3508.0, lines, "ocr")], lines)
    assert [(n["name"], n["kind"]) for n in nominees] == [
        ("Tổ tự quản thôn Đồng Búc", "collective"), ("Ngô Hữu Vân", "individual"),
        ("Đỗ Hồng Phúc", "individual"), ("Lê Xuân Khánh", "individual")]


def test_date_line_whose_ngay_the_handwriting_pushed_away_still_gives_the_place():
    match = DATE_RE.match(fold("Hà Nội, ả† tháng 12 năm 2020"))
    assert match and match.group("place") == "ha noi" and match.group("d") == "a†"
    assert DATE_RE.match(fold("Căn cứ Luật Tổ chức tháng 6 năm 2015")) is None
