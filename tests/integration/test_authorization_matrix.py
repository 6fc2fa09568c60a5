"""Every capability × every role (province included) × own/other unit, over every page and API endpoint,
checked against `webapp.access` and `workflows.machine.CAPABILITIES`; and no page offers a role a link
that answers 403."""
from __future__ import annotations

import re

import pytest

from api_helpers import Api, login_html, register_and_submit

ROLES = {"unit_staff": "donvi01", "other_unit": "donvi02", "police": "congan", "vhxh": "vhxh",
         "chairman": "chutich", "admin": "admin", "province": "tinh"}
SCOPED = ("dossier_id", "report_id", "document_id", "decision_id")


@pytest.fixture
def world(env):
    """A dossier of donvi01 with a report read and a registration paper; the app without CSRF for probing."""
    from test_province import add_province_user

    from webapp import create_app

    add_province_user(1)
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    unit, d, report_id = register_and_submit(client, env, "donvi01")
    env.run_jobs()
    doc_id = unit.get(f"/dossiers/{d}").get_json()["documents"][0]["id"]
    ids = {"dossier_id": d, "report_id": report_id, "document_id": doc_id, "decision_id": doc_id,
           "user_id": 999_999, "entry_id": 999_999, "template_id": 999_999, "page": 1,
           "kind": "quyet_dinh", "action": "forward", "code": "khong-co"}
    return app, ids


def _url(rule, ids) -> str:
    fill = {"year": 2026}
    return re.sub(r"<(?:([a-z]+):)?([a-z_]+)>",
                  lambda m: str(ids.get(m.group(2), fill.get(m.group(2), 1 if m.group(1) == "int" else "x"))),
                  rule.rule)


def _requests(app, ids):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, _url(rule, ids)


def _call(client, method, url, headers=None):
    if url.startswith("/api/"):
        return client.open(url, method=method, headers=headers or {}, json={})
    return client.open(url, method=method, headers=headers or {}, data={})


def test_every_endpoint_has_a_rule_in_the_table(app):
    from webapp.access import NOBODY, PUBLIC, USER, rule_for
    from workflows.machine import CAPABILITIES

    rules = {r.endpoint: rule_for(r.endpoint) for r in app.url_map.iter_rules()}
    assert [e for e, rule in rules.items() if rule is NOBODY] == []
    assert {rule for rule in rules.values()} - {PUBLIC, USER} <= set(CAPABILITIES)


def test_anonymous_callers_are_sent_to_login_or_get_401(world):
    from webapp.access import PUBLIC, rule_for

    app, ids = world
    client = app.test_client()
    for rule, method, url in _requests(app, ids):
        if rule_for(rule.endpoint) == PUBLIC:
            continue
        r = _call(client, method, url)
        expected = 401 if url.startswith("/api/") else 302
        assert r.status_code == expected, (method, url, r.status_code)
        if expected == 302:
            assert "/login" in r.headers["Location"]


@pytest.mark.parametrize("who", list(ROLES))
def test_each_role_gets_exactly_what_each_capability_says(world, who):
    from webapp.access import PUBLIC, USER, rule_for
    from workflows.machine import CAPABILITIES, may

    app, ids = world
    role = "unit_staff" if who == "other_unit" else who
    page_client = app.test_client()
    login_html(page_client, ROLES[who])
    api = Api(app.test_client(), ROLES[who])
    by_capability: dict[str, list] = {}
    for rule, method, url in _requests(app, ids):
        if rule.endpoint not in ("auth.logout", "api.revoke"):      # would end the session the loop is using
            by_capability.setdefault(rule_for(rule.endpoint), []).append((rule, method, url))
    wrong = []
    for capability in [PUBLIC, USER, *CAPABILITIES]:
        for rule, method, url in by_capability.get(capability, []):
            api_call = url.startswith("/api/")
            r = _call(api.client if api_call else page_client, method, url, api.headers if api_call else None)
            if capability not in (PUBLIC, USER) and not may(role, capability):
                expected = {403}
            elif who == "other_unit" and any(p in rule.arguments for p in SCOPED):
                expected = {404}
            else:
                expected = None    # allowed: signed in; the workflow may still refuse by state (409) or step (403)
            if expected is not None and r.status_code not in expected:
                wrong.append((capability, method, url, r.status_code, expected))
            sent_to_login = r.status_code == 302 and "/login" in r.headers.get("Location", "")
            if expected is None and capability != PUBLIC and (r.status_code == 401 or sent_to_login):
                wrong.append((capability, method, url, r.status_code, "signed in"))
    assert wrong == []


LINK = re.compile(r'<a [^>]*href="(/[^"#]*)"')


@pytest.mark.parametrize("who", ["province", "vhxh", "unit_staff"])
def test_no_page_offers_a_link_that_answers_403(env, who):
    """The pages a role is shown, and every link on them: none answers 403 (a province reader used to be
    offered “In giấy khen / In trên phôi” on a decision, which answered 403)."""
    from test_province import add_province_user

    from webapp import create_app
    from workflow_helpers import appraised_dossiers, user_id
    from workflows.dossiers import approve

    add_province_user(1)
    dossier = appraised_dossiers(1, nominees=1)[0]
    decision_id, _ = approve(user_id("chutich"), [dossier])
    env.run_jobs()
    client = create_app({"TESTING": True}).test_client()
    login_html(client, ROLES[who])
    pages = ["/", "/dossiers", "/documents", f"/documents/{decision_id}", f"/dossiers/{dossier}"]
    links = set()
    for page in pages:
        r = client.get(page)
        if r.status_code == 200:
            links |= set(LINK.findall(r.get_data(as_text=True)))
    answers = {link: client.get(link).status_code for link in sorted(links) if "/logout" not in link}
    assert [link for link, status in answers.items() if status == 403] == []
    if who == "province":
        assert f"/printing/decisions/{decision_id}" not in links
