"""Issue 11 point 7, clicked in headless Chromium: a clerk picks three phone photos, sees them as numbered
pages with thumbnails, moves one with ↓, and the report is stored with its pages in the chosen order."""
from __future__ import annotations

import os
import re

from PIL import Image

from test_browser_journey import live, login, logout, page  # noqa: F401  (fixtures shared with the journey)

SHOTS = os.environ.get("UPLOAD_SHOTS")


def shot(pg, name: str) -> None:
    """Screenshots for a person to look at, when UPLOAD_SHOTS names a directory."""
    if SHOTS:
        for width in (1280, 390):
            pg.set_viewport_size({"width": width, "height": 900})
            pg.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        pg.set_viewport_size({"width": 1280, "height": 900})


def test_three_photos_are_reordered_on_the_page_and_stored_in_that_order(page, tmp_path):
    from storage.db import read_session
    from storage.models import Report

    names = []
    for i, shade in enumerate((250, 200, 150), 1):
        names.append(tmp_path / f"trang-{i}.jpg")
        Image.new("RGB", (600, 850), (shade, shade, shade)).save(names[-1], quality=85)
    login(page, "donvi01")
    page.click("nav >> text=Đăng ký thi đua")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã đăng ký thi đua")
    page.click("a.btn:has-text('Nộp báo cáo')")
    page.set_input_files("#file", [str(p) for p in names])
    items = page.locator("[data-page-list] li")
    assert items.count() == 3 and page.locator("[data-page-list] img").count() == 3
    page.wait_for_function("[...document.querySelectorAll('[data-page-list] img')].every(i => i.naturalWidth > 0)")
    page.click("[aria-label='Chuyển xuống: trang-1.jpg']")
    assert [t.split(": ", 1)[1] for t in items.locator(".page-name").all_inner_texts()] == \
        ["trang-2.jpg", "trang-1.jpg", "trang-3.jpg"]
    assert items.nth(0).inner_text().startswith("Trang 1")
    shot(page, "upload-pages")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dossiers/\d+$"))
    dossier_id = int(page.url.rsplit("/", 1)[1])
    with read_session() as s:
        report = s.query(Report).filter_by(dossier_id=dossier_id).one()
        assert [o["filename"] for o in report.originals] == ["trang-2.jpg", "trang-1.jpg", "trang-3.jpg"]
        assert report.pages == 3 and report.filename == "trang-2.pdf"
    shot(page, "upload-dossier")
    logout(page)


def test_a_word_report_is_read_and_its_page_previewed(page, tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "uploads_word", Path(__file__).resolve().parents[1] / "unit" / "test_extract_word.py")
    word = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(word)
    docx = word.build_report(tmp_path / "Báo cáo năm 2026.docx")
    login(page, "donvi02")
    page.click("nav >> text=Đăng ký thi đua")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã đăng ký thi đua")
    page.click("a.btn:has-text('Nộp báo cáo')")
    page.set_input_files("#file", str(docx))
    assert page.locator("[data-page-list]").is_hidden(), "one file: no page list"
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dossiers/\d+$"))
    page.wait_for_selector("text=Đã đọc xong", timeout=120_000)
    assert page.input_value("#f_issuer") == "TRƯỜNG THCS PHƯỢNG TIẾN"
    page.wait_for_function("document.querySelector('.page-img') "
                           "&& document.querySelector('.page-img').naturalWidth > 0", timeout=60_000)
    assert "Báo cáo năm 2026.docx" in page.inner_text(".report-status")
    shot(page, "word-dossier")
    logout(page)
