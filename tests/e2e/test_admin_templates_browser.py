"""Issue 11 #1 in Chromium: the admin uploads a template, sees its sample paper, then activates it;
a finished paper uploaded as a template is refused with the reason on the same page."""
from __future__ import annotations

import io
import zipfile

from test_browser_journey import live, login, page  # noqa: F401  (fixtures)

SHOTS = "/work/cache/papers" if __import__("os").path.isdir("/work/cache/papers") else None


def _with_marker(tmp_path) -> str:
    from doc_templates.engine import template_bytes

    src = zipfile.ZipFile(io.BytesIO(template_bytes("giay_khen")))
    out = tmp_path / "giay-khen-moi.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ reason|clause(true) }}", "MẪU MỚI {{ reason|clause(true) }}".encode(), 1)
            dst.writestr(item, data)
    return str(out)


def test_upload_preview_then_activate(page, tmp_path):  # noqa: F811
    import doc_templates
    from doc_templates import samples

    login(page, "admin")
    page.goto("/admin/templates")
    finished = tmp_path / "quyet-dinh-da-ky.docx"
    finished.write_bytes(doc_templates.render("quyet_dinh", samples.quyet_dinh()))
    section = page.locator("#kind-giay_khen")
    section.locator("input[type=file]").set_input_files(str(finished))
    section.locator("button:has-text('Kiểm tra và tải lên')").click()
    assert "không phải là mẫu “Giấy khen”" in page.inner_text(".flash-error")

    section = page.locator("#kind-giay_khen")
    section.locator("input[type=file]").set_input_files(_with_marker(tmp_path))
    section.locator("button:has-text('Kiểm tra và tải lên')").click()
    page.wait_for_selector("img[alt^='Văn bản tạo thử']")
    page.wait_for_function("document.querySelector(\"img[alt^='Văn bản tạo thử']\").naturalWidth > 500")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/admin-template-preview.png", full_page=True)
    page.click("button:has-text('Kích hoạt')")
    page.wait_for_selector("text=Đã kích hoạt mẫu")
    assert "mẫu tải lên, phiên bản 1" in page.inner_text("#kind-giay_khen")
