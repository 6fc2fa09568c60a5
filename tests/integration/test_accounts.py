"""Accounts under attack, through HTTP: a commune admin stays inside its commune, a reset or a lock ends
every session and token, `next=` never leaves the site, parallel guesses cannot pass the limit, a lock is
per account and address (and the admin can lift it), weak passwords are refused, a hung Redis does not
hold a login."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from test_province import add_commune, add_province_user

from api_helpers import Api, csrf_token, login_html
from conftest import DEMO_PASSWORD, _redis_alive, free_port
from workflow_helpers import user_id


@pytest.fixture
def app(env):
    from webapp import create_app

    return create_app({"TESTING": True})


def _admin_post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/admin/")})


def _token(client, username: str, password: str = DEMO_PASSWORD, address: str = "127.0.0.1"):
    return client.post("/api/v1/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_a_commune_admin_cannot_take_over_another_communes_accounts(app):
    add_commune("Kim Phượng", "Thái Nguyên")
    add_province_user(1)
    stranger, province = user_id("congan_kimphượng"), user_id("tinh")
    client = app.test_client()
    login_html(client, "admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "congan_kimphượng" not in page and ">tinh<" not in page
    for target in (stranger, province):
        r = _admin_post(client, f"/admin/users/{target}/password", {"password": "Chiem-quyen-2026"})
        assert r.status_code == 404
        r = _admin_post(client, f"/admin/users/{target}/active", {"active": "0"})
        assert r.status_code == 404
        assert _admin_post(client, f"/admin/users/{target}/unlock", {}).status_code == 404
    assert _token(app.test_client(), "congan_kimphượng").status_code == 200      # untouched
    assert _token(app.test_client(), "congan_kimphượng", "Chiem-quyen-2026").status_code == 401
    assert _token(app.test_client(), "tinh").status_code == 200


def test_a_commune_admin_cannot_create_a_province_reader_or_a_clerk_of_another_commune(app):
    from storage.db import read_session
    from storage.models import Unit, User

    other = add_commune("Kim Phượng", "Thái Nguyên")
    from storage.db import write_session

    with write_session() as session:
        unit = Unit(commune_id=other, name="Trường học khác xã", kind="school")
        session.add(unit)
        session.flush()
        other_unit = unit.id
    client = app.test_client()
    login_html(client, "admin")
    r = _admin_post(client, "/admin/users", {"username": "tinh2", "full_name": "Đọc toàn tỉnh", "role": "province",
                                             "password": "Mot-mat-khau-dai"})
    assert r.status_code == 403
    r = _admin_post(client, "/admin/users", {"username": "gian", "full_name": "Cán bộ giả", "role": "unit_staff",
                                             "unit_id": str(other_unit), "password": "Mot-mat-khau-dai"})
    assert r.status_code == 404
    with read_session() as session:
        assert session.scalars(select(User.username).where(User.username.in_(["tinh2", "gian"]))).all() == []


@pytest.mark.parametrize("action", ["password", "lock"])
def test_a_password_reset_or_a_lock_ends_every_token_and_session(app, action):
    victim = user_id("donvi01")
    api = Api(app.test_client(), "donvi01")
    browser = app.test_client()
    login_html(browser, "donvi01")
    assert api.get("/me").status_code == 200 and browser.get("/").status_code == 200
    admin = app.test_client()
    login_html(admin, "admin")
    data = {"password": "Mat-khau-moi-2026"} if action == "password" else {"active": "0"}
    assert _admin_post(admin, f"/admin/users/{victim}/{'password' if action == 'password' else 'active'}",
                       data).status_code == 302
    assert api.get("/me").status_code == 401
    r = browser.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\n//evil.example",
                                    "//evil.example", "https://evil.example/", "/\\evil.example", "\t//evil.example",
                                    "/%0a", "ja\tvascript:x"])
def test_login_follows_next_only_to_a_path_of_this_site(app, target):
    client = app.test_client()
    token = csrf_token(client, "/login")
    r = client.post("/login", query_string={"next": target},
                    data={"username": "congan", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    location = r.headers["Location"]
    assert "evil" not in location and not location.startswith("//") and location.startswith("/")
    assert location in ("/", "/%0a")


def test_login_follows_a_same_site_next(app):
    client = app.test_client()
    token = csrf_token(client, "/login")
    r = client.post("/login", query_string={"next": "/dossiers?state=approved"},
                    data={"username": "congan", "password": DEMO_PASSWORD, "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/dossiers?state=approved"


def test_twelve_parallel_guesses_let_at_most_five_through(app):
    barrier = threading.Barrier(12)

    def guess(_):
        client = app.test_client()
        barrier.wait()
        return _token(client, "vhxh", "sai-mat-khau").status_code

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(guess, range(12)))
    assert answers.count(401) <= 5 and answers.count(401) + answers.count(429) == 12


def test_a_lock_is_per_account_and_address_and_the_admin_can_lift_it(app):
    client = app.test_client()
    for _ in range(5):
        assert _token(client, "vhxh", "sai", address="10.0.0.66").status_code == 401
    assert _token(client, "vhxh", address="10.0.0.66").status_code == 429      # the guesser is locked out
    assert _token(client, "vhxh", address="10.0.0.7").status_code == 200       # the owner, elsewhere, is not
    admin = app.test_client()
    login_html(admin, "admin")
    assert _admin_post(admin, f"/admin/users/{user_id('vhxh')}/unlock", {}).status_code == 302
    assert _token(client, "vhxh", address="10.0.0.66").status_code == 200


@pytest.mark.parametrize("password", ["12345678", "password123", "Matkhau123", "xx-donvi01-xx"])
def test_common_passwords_and_the_username_are_refused(app, password):
    admin = app.test_client()
    login_html(admin, "admin")
    r = _admin_post(admin, f"/admin/users/{user_id('donvi01')}/password", {"password": password})
    assert r.status_code == 422 and "quá dễ đoán" in r.get_data(as_text=True)
    assert _token(app.test_client(), "donvi01").status_code == 200            # the old password still works


def test_a_hung_redis_does_not_hold_a_login(app, monkeypatch, tmp_path):
    """Redis frozen (SIGSTOP): the login goes on, counting in memory; it never waits on Redis."""
    import settings

    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        for _ in range(100):
            if _redis_alive(url):
                break
        monkeypatch.setenv("REDIS_URL", url)
        settings.get.cache_clear()
        os.kill(proc.pid, signal.SIGSTOP)
        answers = []
        worker = threading.Thread(target=lambda: answers.append(login_html(app.test_client(), "congan")))
        worker.start()
        worker.join(10)             # a liveness bound, far above the limiter's timeouts: a hang never returns
        assert not worker.is_alive(), "the login waited on a hung Redis"
        assert answers and answers[0].status_code == 302
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(10)
        settings.get.cache_clear()
