"""Issue 14, findings 2 and 9 and the cyclic page tree: hostile files through the upload API and the
page preview. Each is refused with a Vietnamese message, or rendered within a memory ceiling outside
the web process; the web process never grows by the size of what the file inflates to."""
from __future__ import annotations

import io
import resource

import pytest
from fixtures import attacks
from PIL import Image
from test_hostile_files import VIETNAMESE, assert_refused_and_nothing_changed, make_client, upload_bytes

from api_helpers import Api, login_html
from conftest import SHARED

REPORT_PDF = SHARED / "corpus" / "dev" / "dev_02.pdf"
SCAN_WITH_ATTACHED_JSON = SHARED / "corpus" / "real-dev" / "real_12.pdf"     # Adobe Scan attaches JSON

REFUSED = [
    ("thin_tall_page", attacks.pdf_thin_tall_page, 422, "odd_page_shape"),
    ("content_stream_inflating_to_512_mb", lambda: attacks.pdf_content_bomb(512), 422, "too_complex"),
    ("javascript_with_name_escapes", attacks.pdf_escaped_javascript, 422, "active_content"),
    ("launch_with_name_escapes", attacks.pdf_escaped_launch, 422, "active_content"),
    ("javascript_in_object_stream", attacks.pdf_script_in_object_stream, 422, "active_content"),
    ("embedded_executable", attacks.pdf_embedded_executable, 422, "active_content"),
    ("cyclic_page_tree", attacks.pdf_cyclic_page_tree, 422, "unreadable_file"),
]


@pytest.fixture
def clerk(sqlite_env):
    client = make_client()
    api = Api(client, "donvi01")
    r = api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": api.campaign_id(), "targets": {}})
    assert r.status_code == 201, r.get_json()
    return api, r.get_json()["id"]


@pytest.mark.parametrize("name,make,status,code", REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_pdf_is_refused_at_upload(clerk, sqlite_env, name, make, status, code):
    api, dossier_id = clerk
    assert_refused_and_nothing_changed(api, sqlite_env, dossier_id, make(), f"{name}.pdf", status, code)


def test_a_scan_with_attached_data_is_still_accepted(clerk):
    api, dossier_id = clerk
    r = upload_bytes(api, dossier_id, SCAN_WITH_ATTACHED_JSON.read_bytes(), "scan.pdf")
    assert r.status_code == 202, r.get_json()


def _preview(client, report_id: int, page: int = 1):
    return client.get(f"/reports/{report_id}/pages/{page}.png", headers={"Accept": "application/json"})


def test_preview_of_an_ordinary_report_is_a_bounded_png(clerk):
    api, dossier_id = clerk
    r = upload_bytes(api, dossier_id, REPORT_PDF.read_bytes(), "bao-cao.pdf")
    assert r.status_code == 202
    login_html(api.client, "donvi01")
    r = _preview(api.client, r.get_json()["report_id"])
    assert r.status_code == 200
    w, h = Image.open(io.BytesIO(r.data)).size
    assert w <= 900 and h <= 1800 and w * h > 100_000


def _legacy_report(dossier_id: int, data: bytes, pages: int = 1) -> int:
    """A report stored before today's upload checks (the file store and the row, as an old upload left them)."""
    from sqlalchemy import select

    from storage.db import write_session
    from storage.files import store
    from storage.models import Report, User

    sha = store().put_bytes(data)
    with write_session() as session:
        clerk_id = session.scalar(select(User.id).where(User.username == "donvi01"))
        report = Report(dossier_id=dossier_id, filename="cu.pdf", sha256=sha, mime="application/pdf",
                        size=len(data), pages=pages, status="done", submitted_by_id=clerk_id)
        session.add(report)
        session.flush()
        return report.id


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_preview_of_a_stored_bomb_fails_clearly_without_growing_the_web_process(clerk):
    api, dossier_id = clerk
    report_id = _legacy_report(dossier_id, attacks.pdf_content_bomb(512))
    login_html(api.client, "donvi01")
    before = _peak_rss_mb()
    r = _preview(api.client, report_id)
    grown = _peak_rss_mb() - before
    assert r.status_code == 422, r.status_code
    error = r.get_json()["error"]
    assert error["code"] == "preview_unavailable" and VIETNAMESE.search(error["message"])
    assert grown < 100, f"the web process grew by {grown:.0f} MB"
    assert api.get(f"/dossiers/{dossier_id}").status_code == 200          # and it keeps serving


def test_preview_of_a_stored_thin_tall_page_is_bounded_by_pixels(clerk):
    api, dossier_id = clerk
    report_id = _legacy_report(dossier_id, attacks.pdf_thin_tall_page())
    login_html(api.client, "donvi01")
    before = _peak_rss_mb()
    r = _preview(api.client, report_id)
    assert _peak_rss_mb() - before < 100
    assert r.status_code == 200
    w, h = Image.open(io.BytesIO(r.data)).size
    assert w * h <= 900 * 1800 and h <= 1800
