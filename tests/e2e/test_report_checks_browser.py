"""Issue 11 point 2 and issue 10 (dossier page), clicked in headless Chromium: the clerk checks a draft before
sending it, the police never see an unsent draft, warnings and the reasons for empty fields are on the page."""
from __future__ import annotations

import re

from conftest import SHARED
from test_browser_journey import live, login, logout, page  # noqa: F401  (fixtures shared with the journey)

SCHOOL_REPORT = SHARED / "corpus" / "dev" / "dev_01.pdf"      # Trường THCS Phượng Tiến's report


def shot(pg, name: str) -> None:
    """Screenshots for a person to look at, when CHECKS_SHOTS names a directory."""
    import os

    if os.environ.get("CHECKS_SHOTS"):
        for width in (1280, 390):
            pg.set_viewport_size({"width": width, "height": 900})
            pg.screenshot(path=f"{os.environ['CHECKS_SHOTS']}/{name}-{width}.png", full_page=True)
        pg.set_viewport_size({"width": 1280, "height": 900})


def register_and_upload(pg, clerk: str) -> str:
    login(pg, clerk)
    pg.click("nav >> text=Đăng ký thi đua")
    pg.click("main form button[type=submit]")
    pg.wait_for_selector("text=Đã đăng ký thi đua")
    pg.click("a.btn:has-text('Nộp báo cáo')")
    pg.set_input_files("#file", str(SCHOOL_REPORT))
    pg.click("#upload-form button[type=submit]")
    pg.wait_for_url(re.compile(r".*/dossiers/\d+$"))
    pg.wait_for_selector("text=Đã đọc xong", timeout=120_000)
    return pg.url


def test_a_clerk_checks_the_draft_before_sending_and_the_police_see_the_warning(page):
    url = register_and_upload(page, "donvi01")              # a kindergarten uploads the secondary school's report
    banner = page.inner_text(".draft-banner")
    assert "Bản nháp — chưa gửi Công an xã" in banner
    warning = page.inner_text(".report-warnings")
    assert "Cơ quan ban hành khác đơn vị" in warning and "TRƯỜNG THCS PHƯỢNG TIẾN" in warning
    assert page.is_visible(".page-img"), "the page preview beside the fields"
    shot(page, "clerk-draft")
    assert "Đã đăng ký" in page.inner_text(".page-head"), "nothing sent yet"
    logout(page)

    login(page, "congan")
    assert "Trường Mầm non Phượng Tiến" not in page.inner_text("main"), "no unsent draft in the police inbox"
    page.goto(url)
    assert "Đơn vị chưa nộp báo cáo" in page.inner_text("main")
    assert page.locator(".report-warnings").count() == 0
    logout(page)

    login(page, "donvi01")
    page.goto(url)
    page.fill("#f_signer_name", "Quan Thanh Oanh (đã kiểm tra)")
    page.click("button:has-text('Lưu phiên bản sửa')")
    page.wait_for_selector("text=Đã lưu phiên bản sửa")
    page.click("button:has-text('Gửi Công an xã')")
    page.wait_for_selector("text=Đã gửi báo cáo tới Công an xã.")
    assert "Đã nộp báo cáo" in page.inner_text(".page-head")
    logout(page)

    login(page, "congan")
    assert "Trường Mầm non Phượng Tiến" in page.inner_text("main"), "sent: now in the police inbox"
    page.goto(url)
    assert page.input_value("#f_signer_name") == "Quan Thanh Oanh (đã kiểm tra)"
    assert "Cơ quan ban hành khác đơn vị" in page.inner_text(".report-warnings")
    shot(page, "police-warning")
    page.click("text=Xác nhận và chuyển thẩm định")
    assert "Cơ quan ban hành khác đơn vị" in page.inner_text(".report-warnings"), "on the forward form too"


def test_the_dossier_page_says_why_a_field_is_empty_and_who_signed_the_scan(page):
    from sqlalchemy import select

    from storage.db import write_session
    from storage.models import Report

    url = register_and_upload(page, "donvi03")
    page.click("button:has-text('Gửi Công an xã')")
    page.wait_for_selector("text=Đã gửi báo cáo tới Công an xã.")
    with write_session() as session:                       # what the extractor writes for a signed scan
        report = session.scalar(select(Report).order_by(Report.id.desc()))
        report.fields = report.fields | {"number": None, "issue_date": None}
        report.provenance = (report.provenance or {}) | {
            "number": {"page": 1, "text": "Số: /BC-THCS", "confidence": None, "reason": "số viết tay — cần kiểm tra"},
            "issue_date": {"page": 1, "text": "", "confidence": None, "reason": "ngày viết tay — cần kiểm tra"},
            "_signature_stamp": [{"page": 1, "kind": "ký số", "signer": "Trường THCS Phượng Tiến",
                                  "organisation": "UBND xã Phượng Tiến", "time": "2026-10-25T16:42:05+07:00",
                                  "text": "Ký bởi: Trường THCS Phượng Tiến", "source": "text-layer",
                                  "confidence": 0.9}]}
    page.reload()
    assert "Máy để trống: số viết tay — cần kiểm tra" in page.inner_text("[data-reason-for=number]")
    assert "ngày viết tay" in page.inner_text("[data-reason-for=issue_date]")
    assert page.locator("[data-reason-for=signer_name]").count() == 0, "a field that was read has no reason"
    stamp = page.inner_text("[data-stamp]")
    assert "Ký số bởi: Trường THCS Phượng Tiến" in stamp and "lúc 25/10/2026 16:42" in stamp, stamp
    shot(page, "reasons-and-stamp")
    logout(page)
    login(page, "congan")
    page.goto(url)
    assert "số viết tay — cần kiểm tra" in page.inner_text("main"), "the police see it too"
