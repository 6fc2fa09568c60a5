"""Sessions, tokens, login limits, CSRF, headers and escaping."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from api_helpers import Api, csrf_token, login_html
from conftest import DEMO_PASSWORD


def test_pages_carry_security_headers_and_a_csp_without_inline_code(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_http_only_and_same_site(client):
    r = login_html(client, "congan")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_invalidates_the_old_session_cookie(client):
    login_html(client, "congan")
    stolen = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    client.set_cookie("session", stolen)
    r = client.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_a_form_without_its_csrf_token_is_refused(client):
    login_html(client, "admin")
    r = client.post("/admin/units", data={"name": "Đơn vị lạ", "kind": "agency"})
    assert r.status_code == 400 and "Phiên biểu mẫu đã hết hạn" in r.get_data(as_text=True)


def test_an_account_is_locked_for_a_while_after_five_wrong_passwords(client):
    for _ in range(5):
        assert client.post("/api/v1/token", json={"username": "vhxh", "password": "sai"}).status_code == 401
    r = client.post("/api/v1/token", json={"username": "vhxh", "password": DEMO_PASSWORD})
    assert r.status_code == 429 and "quá nhiều lần" in r.get_json()["error"]["message"]
    assert client.post("/api/v1/token", json={"username": "congan", "password": DEMO_PASSWORD}).status_code == 200
    token = csrf_token(client, "/login")
    page = client.post("/login", data={"username": "vhxh", "password": DEMO_PASSWORD, "csrf_token": token})
    assert page.status_code == 429


def test_failures_on_other_accounts_from_one_office_address_lock_nobody_else(client):
    for i in range(30):
        client.post("/api/v1/token", json={"username": f"khong-co-{i}", "password": "sai"})
    assert client.post("/api/v1/token", json={"username": "congan", "password": DEMO_PASSWORD}).status_code == 200


def test_api_tokens_can_be_revoked_and_expire(client, env):
    from storage.db import write_session
    from storage.models import ApiToken

    api = Api(client, "congan")
    assert api.get("/me").status_code == 200
    assert client.delete("/api/v1/token", headers=api.headers).status_code == 204
    assert api.get("/me").status_code == 401
    api = Api(client, "congan")
    with write_session() as s:
        s.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert api.get("/me").status_code == 401


def test_passwords_are_stored_as_scrypt_hashes(env):
    from sqlalchemy import select

    from storage.db import read_session
    from storage.models import User

    with read_session() as s:
        hashes = set(s.scalars(select(User.password_hash)))
    assert all(h.startswith("scrypt:") for h in hashes) and DEMO_PASSWORD not in "".join(hashes)


def test_names_from_reports_are_escaped_in_pages(client, env):
    from api_helpers import register_and_submit

    unit, d, report_id = register_and_submit(client, env, "donvi17")
    env.run_jobs()
    fields = unit.get(f"/reports/{report_id}").get_json()["fields"]
    fields["nominees"] = [{"name": "<script>alert('x')</script>", "kind": "individual",
                           "position": "{{ 7*7 }}", "award": None}]
    assert unit.put(f"/reports/{report_id}/fields", json={"fields": fields}).status_code == 200
    login_html(client, "donvi17")
    html = client.get(f"/dossiers/{d}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html and "{{ 7*7 }}" in html


def test_production_mode_has_no_default_secret_and_no_demo_data(tmp_path):
    import settings

    with pytest.raises(settings.SettingsError):
        settings.from_env({"APP_MODE": "production", "VAR_DIR": str(tmp_path)})
    import subprocess
    import sys

    from conftest import ROOT

    out = subprocess.run([sys.executable, "-m", "workflows.demo"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "APP_MODE": "production", "SECRET_KEY": "s",
                              "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert out.returncode == 0 and "không nạp dữ liệu mẫu" in out.stderr
