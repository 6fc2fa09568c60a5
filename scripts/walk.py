"""One campaign year, walked in headless Chromium by each role, with a screenshot at each step.

    .venv/bin/python scripts/walk.py docs/walkthrough

Starts the app as the browser tests do (tests/conftest.py, tests/e2e/test_browser_journey.py): its own Redis,
a fresh SQLite database with the demo data and the demo PKI, the web server on a free port and a real rq
worker; then the clerk, the police, the appraiser, the chairman, the văn thư, the admin and the public each
do their part. Screenshots are PNG palettes (Pillow) so the set stays small. Documentation, not a test."""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import DEMO_PASSWORD, SHARED, Env, _redis_alive, free_port  # noqa: E402  (needs the sys.path above)

REPORT = SHARED / "corpus" / "dev" / "dev_01.pdf"     # Trường THCS Phượng Tiến's report for 2026
CLERK = "donvi03"                                     # the clerk of Trường THCS Phượng Tiến
CHROMIUM = "/usr/bin/chromium"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
MAX_HEIGHT = 2600                                     # a long page is cut here: the top is what matters


class Walk:
    """The browser page, and the screenshots taken so far."""

    def __init__(self, page, out: Path):
        self.page, self.out, self.count = page, out, 0

    def shot(self, name: str, phone: bool = False) -> None:
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        if phone:
            self.page.set_viewport_size(PHONE)
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(path), full_page=True, animations="disabled")
        if phone:
            self.page.set_viewport_size(DESKTOP)
        shrink(path)
        print(f"  {path.name}")

    def login(self, username: str) -> None:
        self.page.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_selector("text=Việc cần làm")

    def logout(self) -> None:
        self.page.click("header button:has-text('Đăng xuất')")
        self.page.wait_for_selector("text=Đã đăng xuất")


def shrink(path: Path) -> None:
    """Cut a very long page, and store it as a 64-colour palette PNG (screens are mostly flat colours)."""
    from PIL import Image

    with Image.open(path) as img:
        img = img.convert("RGB")
        if img.height > MAX_HEIGHT:
            img = img.crop((0, 0, img.width, MAX_HEIGHT))
        img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def clerk(w: Walk) -> str:
    p = w.page
    w.login(CLERK)
    w.shot("clerk-home")
    p.click("nav >> text=Đăng ký thi đua")
    p.fill("#t_propaganda_sessions", "12")
    w.shot("clerk-register")
    p.click("main form button[type=submit]")
    p.wait_for_selector("text=Đã đăng ký thi đua")
    w.shot("clerk-registered")
    p.click("a.btn:has-text('Nộp báo cáo')")
    p.set_input_files("#file", str(REPORT))
    w.shot("clerk-upload")
    p.click("#upload-form button[type=submit]")
    p.wait_for_url(re.compile(r".*/dossiers/\d+$"))
    p.wait_for_selector("text=Đã đọc xong", timeout=180_000)
    p.wait_for_function("!document.querySelector('.page-img') || document.querySelector('.page-img').complete")
    w.shot("clerk-draft-read")
    w.shot("clerk-draft-read-phone", phone=True)
    p.click("button:has-text('Gửi Công an xã')")
    p.wait_for_selector("text=Đã gửi báo cáo tới Công an xã.")
    w.shot("clerk-sent")
    url = p.url
    w.logout()
    return url


def police(w: Walk, dossier_url: str) -> None:
    p = w.page
    w.login("congan")
    w.shot("police-inbox")
    p.goto(dossier_url)
    w.shot("police-dossier")
    p.click("text=Xác nhận và chuyển thẩm định")
    p.wait_for_url(re.compile(r".*/forward$"))
    w.shot("police-forward")
    p.click("main form button[type=submit]")
    p.wait_for_selector("text=Đã chuyển hồ sơ sang thẩm định")
    w.shot("police-forwarded")
    w.logout()


def appraiser(w: Walk, dossier_url: str) -> None:
    p = w.page
    w.login("vhxh")
    w.shot("vhxh-inbox")
    p.goto(dossier_url + "/appraise")
    p.click("[data-all-accepted]")
    p.fill("#comment", "Hồ sơ đầy đủ, các cá nhân đủ điều kiện.")
    w.shot("vhxh-appraise")
    p.click("main form button[type=submit]")
    p.wait_for_selector("text=Đã thẩm định hồ sơ")
    w.shot("vhxh-appraised")
    w.logout()


def chairman(w: Walk) -> str:
    p = w.page
    w.login("chutich")
    p.click("nav >> text=Phê duyệt khen thưởng")
    p.check("input[data-check-all]")
    if p.locator("#password").count():
        p.fill("#password", DEMO_PASSWORD)
    w.shot("chairman-approvals")
    p.once("dialog", lambda d: d.accept())             # “Cấp số quyết định cho 1 hồ sơ?”
    p.click("main form button[type=submit]")
    p.wait_for_selector("text=Đã phê duyệt 1 hồ sơ", timeout=180_000)
    w.shot("chairman-decision")
    decision_url = p.url
    w.logout()
    return decision_url


def van_thu(w: Walk, decision_url: str) -> None:
    p = w.page
    w.login("vanthu")
    w.shot("vanthu-inbox")
    p.goto(decision_url)
    seal = p.locator("input[id^=seal-pw-]")
    if seal.count():
        seal.first.fill(DEMO_PASSWORD)
        p.click("button:has-text('Ký số cơ quan')")
        p.wait_for_load_state("networkidle")
        w.shot("vanthu-sealed")
    w.logout()


def admin(w: Walk) -> None:
    p = w.page
    w.login("admin")
    p.goto("/admin/")
    w.shot("admin-users")
    p.goto("/admin/templates")
    w.shot("admin-templates")
    w.logout()


def public(w: Walk) -> None:
    """A giấy khen's verification page, as anyone who scans its QR code sees it."""
    from sqlalchemy import select

    from storage.db import read_session
    from storage.models import Document

    with read_session() as session:
        code = session.scalar(select(Document.verify_code).where(Document.kind == "giay_khen").order_by(Document.id))
    p = w.page
    p.goto(f"/verify/{code}")
    w.shot("public-verify")
    w.shot("public-verify-phone", phone=True)
    p.goto("/verify")
    w.shot("public-verify-upload")


def start(tmp: Path):
    """Redis, a migrated SQLite database with the demo data and PKI, the web server and a worker."""
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    redis_url = f"redis://127.0.0.1:{port}/0"
    while not _redis_alive(redis_url):
        time.sleep(0.05)
    env = Env(tmp / "var", f"sqlite:///{tmp / 'app.db'}", redis_url)
    os.environ.update(env.environ)
    from werkzeug.serving import make_server

    import settings
    from storage import migrate
    from webapp import create_app
    from workflows import demo, esign

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings.get.cache_clear()
    migrate.upgrade(env.database_url)
    demo.load(DEMO_PASSWORD)
    esign.load_demo(env.var_dir / "pki", DEMO_PASSWORD)
    server = make_server("127.0.0.1", free_port(), create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    worker = subprocess.Popen([sys.executable, "-m", "workflows.worker"], cwd=ROOT, env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return f"http://127.0.0.1:{server.server_port}", [worker, redis], server


def main(out: Path) -> int:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    tmp = Path(tempfile.mkdtemp(prefix="walk-"))
    base, procs, server = start(tmp)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(base_url=base, viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            page.set_default_timeout(60_000)
            w = Walk(page, out)
            dossier_url = clerk(w)
            police(w, dossier_url)
            appraiser(w, dossier_url)
            decision_url = chairman(w)
            van_thu(w, decision_url)
            admin(w)
            public(w)
            browser.close()
    finally:
        server.shutdown()
        for proc in procs:
            proc.terminate()
            proc.wait(20)
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(f.stat().st_size for f in out.glob("*.png"))
    print(f"{w.count} screenshots, {total / 1e6:.1f} MB in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: .venv/bin/python scripts/walk.py OUT_DIR")
    sys.exit(main(Path(sys.argv[1])))
