"""A small client for the JSON API, used by the journey tests."""
from __future__ import annotations

from pathlib import Path

from conftest import DEMO_PASSWORD, SHARED

REPORT_PDF = SHARED / "corpus" / "dev" / "dev_01.pdf"


class Api:
    def __init__(self, client, username: str, password: str = DEMO_PASSWORD):
        self.client = client
        r = client.post("/api/v1/token", json={"username": username, "password": password})
        assert r.status_code == 200, r.get_json()
        self.token = r.get_json()["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kw)

    def post(self, path: str, json=None, **kw):
        return self.client.post(f"/api/v1{path}", headers=self.headers, json=json, **kw)

    def put(self, path: str, json=None):
        return self.client.put(f"/api/v1{path}", headers=self.headers, json=json)

    def upload(self, dossier_id: int, path: Path, name: str | None = None):
        with open(path, "rb") as f:
            return self.client.post(f"/api/v1/dossiers/{dossier_id}/reports", headers=self.headers,
                                    data={"file": (f, name or path.name)}, content_type="multipart/form-data")

    def unit_id(self) -> int:
        return self.get("/me").get_json()["unit_id"]

    def campaign_id(self) -> int:
        return self.get("/campaigns").get_json()[0]["id"]


def csrf_token(client, path: str) -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def login_html(client, username: str, password: str = DEMO_PASSWORD):
    """Sign in through the login form, CSRF token included, as a browser would."""
    token = csrf_token(client, "/login")
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r


def register_and_submit(client, env, clerk: str) -> tuple[Api, int, int]:
    """A unit registers and uploads the sample report; returns (its API, dossier id, report id)."""
    unit = Api(client, clerk)
    r = unit.post("/dossiers", json={"unit_id": unit.unit_id(), "campaign_id": unit.campaign_id(),
                                     "targets": {"propaganda_sessions": 12, "models_count": 1}})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["state"] == "registered"
    dossier_id = r.get_json()["id"]
    r = unit.upload(dossier_id, REPORT_PDF, "bao-cao.pdf")
    assert r.status_code == 202, r.get_json()
    assert r.get_json()["status"] == "queued"
    return unit, dossier_id, r.get_json()["report_id"]


def appraised(client, env, clerk: str) -> int:
    """A dossier read, forwarded by the police and appraised by vhxh with every nominee accepted."""
    _, dossier_id, _ = register_and_submit(client, env, clerk)
    env.run_jobs()
    assert Api(client, "congan").post(f"/dossiers/{dossier_id}/actions/forward", json={}).status_code == 200
    vhxh = Api(client, "vhxh")
    nominees = vhxh.get(f"/dossiers/{dossier_id}").get_json()["nominees"]
    r = vhxh.post(f"/dossiers/{dossier_id}/actions/appraise",
                  json={"verdicts": [{"nominee_id": n["id"], "verdict": "accepted"} for n in nominees]})
    assert r.status_code == 200, r.get_json()
    return dossier_id
