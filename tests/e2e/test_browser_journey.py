"""The same campaign-year journey, clicked through in headless Chromium by each role."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conftest import DEMO_PASSWORD, ROOT, SHARED, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPORT = SHARED / "corpus" / "dev" / "dev_01.pdf"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not REPORT.exists(), reason="shared corpus not found beside the repo"),
]


@pytest.fixture
def live(sqlite_env):
    """The app on a real port, and a real worker process on the same Redis queue."""
    from webapp import create_app

    server = make_server("127.0.0.1", free_port(), create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    worker = subprocess.Popen([sys.executable, "-m", "workflows.worker"], cwd=ROOT, env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield f"http://127.0.0.1:{server.server_port}"
    worker.terminate()
    worker.wait(20)
    server.shutdown()


@pytest.fixture
def page(live, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(base_url=live, viewport={"width": 1280, "height": 900})
        pg.set_default_timeout(60_000)
        yield pg
        browser.close()


def login(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Việc cần làm")


def logout(page) -> None:
    page.click("header button:has-text('Đăng xuất')")
    page.wait_for_selector("text=Đã đăng xuất")


def test_each_role_clicks_through_the_campaign_year(page):
    login(page, "donvi01")
    page.click("nav >> text=Đăng ký thi đua")
    page.fill("#t_propaganda_sessions", "12")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã đăng ký thi đua; bản đăng ký đã được tạo.")
    page.click("a.btn:has-text('Nộp báo cáo')")
    page.set_input_files("#file", str(REPORT))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dossiers/\d+$"))
    page.wait_for_selector("text=Đã đọc xong", timeout=120_000)
    assert page.input_value("#f_number") == "15/BC-THCS"
    page.click("button:has-text('Gửi Công an xã')")
    page.wait_for_selector("text=Đã gửi báo cáo tới Công an xã.")
    dossier_url = page.url
    logout(page)

    login(page, "congan")
    page.goto(dossier_url)
    page.click("text=Xác nhận và chuyển thẩm định")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã chuyển hồ sơ sang thẩm định")
    assert "Đang thẩm định" in page.inner_text(".page-head")
    logout(page)

    login(page, "vhxh")
    page.goto(dossier_url)
    page.click("a.btn:has-text('Thẩm định')")
    for radio in page.query_selector_all("input[type=radio][value=accepted]"):
        radio.check()
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã thẩm định hồ sơ")
    logout(page)

    login(page, "chutich")
    page.click("nav >> text=Phê duyệt khen thưởng")
    page.check("input[data-check-all]")
    page.once("dialog", lambda d: d.accept())          # “Cấp số quyết định cho 1 hồ sơ?”
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã phê duyệt 1 hồ sơ")
    heading = page.inner_text("h1")
    assert re.search(r"Quyết định khen thưởng số \d+/QĐ-UBND", heading), heading
    assert page.locator("table.grid tbody tr").count() == 6, "one giấy khen per accepted nominee"
    response = page.request.get(page.get_attribute("a:has-text('Tải .docx')", "href"))
    assert response.ok and response.body()[:2] == b"PK"
    page.goto(dossier_url)
    assert "Đã phê duyệt" in page.inner_text(".page-head")
    assert page.locator(".timeline li").count() == 5


def test_a_clerk_cannot_open_another_units_dossier(page):
    login(page, "donvi02")
    page.click("nav >> text=Đăng ký thi đua")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Đã đăng ký thi đua")
    url = page.url
    logout(page)
    login(page, "donvi03")
    response = page.goto(url)
    assert response.status == 404
    assert "Không tìm thấy" in page.inner_text("main")
