"""Issue 11, points 3–6 and the confirmations, clicked through in Chromium: no page leaves the user stuck.

With FLOW_SHOTS=dir set, each page is also saved as a screenshot at desktop width and at 390 px."""
from __future__ import annotations

import os
import re
import sys
from datetime import datetime

from conftest import ROOT
from test_browser_journey import REPORT, live, login, logout, page  # noqa: F401  (fixtures)

sys.path.insert(0, str(ROOT / "tests" / "integration"))
from workflow_helpers import appraised_dossiers, submitted_dossier  # noqa: E402

SHOTS = os.environ.get("FLOW_SHOTS")
NOMINEES = ["Lý Văn Khánh", "Ngô Trọng Long", "Hà Thị Mai"]
METRICS = {"propaganda_sessions": 14, "mediations": 5}


def shot(pg, name: str) -> None:
    if not SHOTS:
        return
    pg.screenshot(path=f"{SHOTS}/{name}-desktop.png", full_page=True)
    size = pg.viewport_size
    pg.set_viewport_size({"width": 390, "height": 844})
    pg.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    pg.set_viewport_size(size)


def vn_today() -> str:
    from doc_templates.formats import VN_TZ

    return datetime.now(VN_TZ).strftime("%d/%m/%Y")


def test_a_report_proposing_nobody_goes_to_approval_with_no_paper_awarding_nobody(page):  # noqa: F811
    dossier_id = submitted_dossier("donvi01", [], REPORT, METRICS)
    login(page, "congan")
    page.goto(f"/dossiers/{dossier_id}/forward")
    shot(page, "forward-nobody")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=đơn vị không đề nghị ai nên không lập tờ trình")
    assert "Đang thẩm định" in page.inner_text(".page-head")
    logout(page)

    login(page, "vhxh")
    page.goto(f"/dossiers/{dossier_id}/appraise")
    results = page.inner_text("table.results")
    assert "14" in results and "5" in results, results            # the unit's results are on the form
    assert page.locator("[data-all-accepted]").count() == 0           # nobody to rule on
    shot(page, "appraise-nobody")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=không có ai được đề nghị khen thưởng")
    logout(page)

    login(page, "chutich")
    page.click("nav >> text=Phê duyệt khen thưởng")
    page.check(f"input[name=dossier_ids][value='{dossier_id}']")
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=không ban hành quyết định, giấy khen")
    assert messages and messages[0].startswith("Phê duyệt kết quả 1 hồ sơ?")
    page.goto(f"/dossiers/{dossier_id}")
    assert "Đã phê duyệt" in page.inner_text(".page-head")
    assert "Giấy khen" not in page.inner_text("main")                 # no empty giấy khen


def test_a_returned_clerk_reads_why_first_and_sends_it_back_without_uploading(page):  # noqa: F811
    dossier_id = submitted_dossier("donvi01", NOMINEES[:1], REPORT, METRICS)
    login(page, "congan")
    page.goto(f"/dossiers/{dossier_id}")
    page.fill("#return-comment", "Bổ sung chức vụ của người được đề nghị")
    page.click("button:has-text('Trả lại')")
    page.wait_for_selector("text=Đã trả hồ sơ về đơn vị")
    logout(page)

    login(page, "donvi01")
    expected = f"Công an xã trả lại ngày {vn_today()}: Bổ sung chức vụ của người được đề nghị"
    assert expected in page.inner_text("main"), "the reason is on the clerk's home"
    shot(page, "inbox-returned")
    page.click("main a.chip:has-text('Gửi lại Công an xã')")           # the chip is a link to the action
    page.wait_for_url(re.compile(rf".*/dossiers/{dossier_id}#resubmit$"))
    assert expected in page.inner_text(".reason")
    report_heading = page.locator("h2:has-text('Báo cáo của đơn vị')")
    assert page.locator(".reason").bounding_box()["y"] < report_heading.bounding_box()["y"]    # read first
    shot(page, "dossier-returned")
    page.click("#resubmit button[type=submit]")
    page.wait_for_selector("text=Đã gửi lại hồ sơ cho Công an xã")
    assert "Đã nộp báo cáo" in page.inner_text(".page-head")
    assert page.locator(".reason").count() == 0
    assert "Các lần nộp trước" not in page.inner_text("main")           # no second upload
    logout(page)

    login(page, "congan")
    page.click(f"main tr:has(a[href='/dossiers/{dossier_id}']) a.chip:has-text('Chuyển thẩm định')")
    page.wait_for_url(re.compile(rf".*/dossiers/{dossier_id}/forward$"))


def test_a_form_with_a_mistake_comes_back_as_typed_with_the_message_by_the_row(page):  # noqa: F811
    dossier_id = submitted_dossier("donvi01", NOMINEES, REPORT, METRICS)
    login(page, "congan")
    page.goto(f"/dossiers/{dossier_id}/forward")
    page.locator("input[name=n_position]").nth(1).fill("x" * 201)
    page.fill("#comment", "Đề nghị xem xét")
    page.click("main form button[type=submit]")
    message = page.inner_text("tr.row-error .field-error")
    assert message == "Ngô Trọng Long: chức vụ phải là chuỗi ký tự (tối đa 200 ký tự)."
    assert page.input_value("#comment") == "Đề nghị xem xét"
    assert page.locator("input[name=n_position]").nth(1).input_value() == "x" * 201
    shot(page, "forward-error")
    page.locator("input[name=n_position]").nth(1).fill("Tổ phó")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã chuyển hồ sơ sang thẩm định")
    logout(page)

    login(page, "vhxh")
    page.goto(f"/dossiers/{dossier_id}/appraise")
    page.click("[data-all-accepted]")
    assert page.locator("input[type=radio][value=accepted]:checked").count() == 3
    page.fill("input[aria-label='Lý do cho Lý Văn Khánh']", "Gương mẫu trong tuần tra")
    page.check("input[name^=verdict_][value=refused] >> nth=1")
    page.fill("#comment", "Hồ sơ đầy đủ")
    page.click("main form button[type=submit]")
    assert page.inner_text("tr.row-error .field-error") == "Ngô Trọng Long: cần ghi lý do khi không đủ điều kiện."
    assert "verdicts[" not in page.inner_text("main")
    assert page.input_value("input[aria-label='Lý do cho Lý Văn Khánh']") == "Gương mẫu trong tuần tra"
    assert page.input_value("#comment") == "Hồ sơ đầy đủ"
    assert page.is_checked("input[name^=verdict_][value=refused] >> nth=1")
    shot(page, "appraise-error")
    page.fill("input[aria-label='Lý do cho Ngô Trọng Long']", "Chưa đủ thời gian công tác")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã thẩm định hồ sơ")


def test_issuing_a_numbered_decision_or_rejecting_asks_first(page):  # noqa: F811
    ids = appraised_dossiers(2, nominees=2)
    login(page, "chutich")
    page.click("nav >> text=Phê duyệt khen thưởng")
    page.check("input[data-check-all]")
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.click("main form button[type=submit]")
    page.wait_for_timeout(300)
    assert messages[0].startswith("Cấp số quyết định cho 2 hồ sơ?") and "4 giấy khen" in messages[0]
    assert page.url.endswith("/approvals")                            # dismissed: nothing issued
    shot(page, "approvals")
    page.goto(f"/dossiers/{ids[0]}")
    page.fill("#reject-comment", "Chưa đủ minh chứng")
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.click("button:has-text('Không phê duyệt')")
    page.wait_for_timeout(300)
    assert "Không phê duyệt hồ sơ của" in messages[1]
    assert "Đã thẩm định" in page.inner_text(".page-head")
    page.once("dialog", lambda d: d.accept())
    page.click("button:has-text('Không phê duyệt')")
    page.wait_for_selector("text=Đã ghi nhận không phê duyệt hồ sơ")
    assert "Chủ tịch UBND xã không phê duyệt ngày" in page.inner_text(".reason")


def test_a_form_posted_after_the_session_ended_is_kept_through_signing_in_again(page):  # noqa: F811
    from sqlalchemy import update

    from storage.db import write_session
    from storage.models import User

    dossier_id = submitted_dossier("donvi01", NOMINEES[:2], REPORT, METRICS)
    login(page, "congan")
    page.goto(f"/dossiers/{dossier_id}/forward")
    page.fill("#comment", "Đơn vị đã bổ sung đủ minh chứng")
    page.context.clear_cookies()                                      # the session ends while the form is open
    page.click("main form button[type=submit]")
    assert "chưa được gửi" in page.inner_text("main")
    shot(page, "login-pending")
    page.fill("#username", "congan")
    page.fill("#password", "demo-pass-123")
    page.click("main button[type=submit]")
    assert "Đơn vị đã bổ sung đủ minh chứng" in page.inner_text("ul.pending")
    shot(page, "resume")
    page.click("main button:has-text('Gửi lại')")
    page.wait_for_selector("text=Đã chuyển hồ sơ sang thẩm định")
    logout(page)

    login(page, "vhxh")                                                # signed out everywhere meanwhile
    page.goto(f"/dossiers/{dossier_id}/appraise")
    page.click("[data-all-accepted]")
    page.fill("#comment", "Đủ điều kiện cả hai")
    with write_session() as session:
        session.execute(update(User).where(User.username == "vhxh").values(session_version=User.session_version + 1))
    page.click("main form button[type=submit]")
    assert "chưa được gửi" in page.inner_text("main")
    page.fill("#username", "vhxh")
    page.fill("#password", "demo-pass-123")
    page.click("main button[type=submit]")
    page.click("main button:has-text('Gửi lại')")
    page.wait_for_selector("text=Đã thẩm định hồ sơ")
    assert "Đủ điều kiện cả hai" in page.inner_text(".timeline")


def test_a_refused_new_user_comes_back_as_typed(page):  # noqa: F811
    login(page, "admin")
    page.goto("/admin/")
    form = page.locator("#new-user")
    form.locator("input[name=username]").fill("congan")                # already taken
    form.locator("input[name=full_name]").fill("Nông Văn Tài")
    form.locator("input[name=password]").fill("mot-mat-khau-dai-9")
    form.locator("input[name=title]").fill("Phó Trưởng Công an xã")
    form.locator("select[name=role]").select_option("police")
    form.locator("button[type=submit]").click()
    form = page.locator("#new-user")
    assert "Tên đăng nhập “congan” đã tồn tại." in form.locator(".error-banner").inner_text()
    assert form.locator("input[name=full_name]").input_value() == "Nông Văn Tài"
    assert form.locator("input[name=title]").input_value() == "Phó Trưởng Công an xã"
    assert form.locator("select[name=role]").input_value() == "police"
    shot(page, "admin-new-user-error")
