"""Arbitrary JSON thrown at every API body (wrong types, huge numbers, nested junk, odd unicode):
the answer is never a 500, and every error is JSON with a snake_case code and a Vietnamese message."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api_helpers import REPORT_PDF, Api

pytestmark = pytest.mark.skipif(not REPORT_PDF.exists(), reason="shared corpus not found beside the repo")

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
CODE = re.compile(r"^[a-z][a-z0-9_]*$")

huge_ints = st.sampled_from([2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30)])
scalars = (st.none() | st.booleans() | st.integers() | huge_ints | st.floats()
           | st.text(max_size=30) | st.sampled_from(["", " ", "0", "1", "-1", "\x00", "‮", "ﷺ" * 50, "A" * 5000]))
junk = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10)


ids = st.integers(-(2**64), 2**64)
id_safe_scalars = (st.none() | st.booleans() | ids | st.floats() | st.text(max_size=30))
id_junk = st.recursive(id_safe_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10)


def body_with(*keys: str, **known):
    """A dict using the endpoint's own keys (with junk or plausible values), or any JSON at all."""
    values = {k: junk for k in keys} | {k: (v | junk) for k, v in known.items()}
    return st.fixed_dictionaries({}, optional=values) | junk


def assert_handled(r) -> None:
    """Never a server error; an error is JSON {"error": {"code", "message"}} with a Vietnamese sentence."""
    assert r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:500])
    if r.status_code >= 400:
        error = r.get_json()["error"]
        assert CODE.match(error["code"]), error
        assert isinstance(error["message"], str) and error["message"].strip(), error


def send(api: Api, method: str, path: str, body):
    data = json.dumps(body, allow_nan=True)
    return api.client.open(f"/api/v1{path}", method=method, headers=api.headers, data=data,
                           content_type="application/json")


@pytest.fixture
def world(sqlite_env):
    """Demo accounts and one dossier in each state the actions start from."""
    from webapp import create_app

    client = create_app({"TESTING": True}).test_client()
    apis = {name: Api(client, name) for name in ("donvi01", "donvi02", "donvi03", "congan", "vhxh", "chutich")}
    ids = {}
    for clerk in ("donvi01", "donvi02", "donvi03"):
        api = apis[clerk]
        ids[clerk] = api.post("/dossiers", json={"unit_id": api.unit_id(),
                                                 "campaign_id": api.campaign_id()}).get_json()["id"]
        assert api.upload(ids[clerk], REPORT_PDF, "bao-cao.pdf").status_code == 202
    sqlite_env.run_jobs()
    nominees = [{"name": "Nguyễn Văn Bình", "kind": "individual", "position": "Giáo viên"}]
    for clerk in ("donvi02", "donvi03"):
        r = apis["congan"].post(f"/dossiers/{ids[clerk]}/actions/forward", json={"nominees": nominees})
        assert r.status_code == 200, r.get_json()
    n = apis["vhxh"].get(f"/dossiers/{ids['donvi03']}").get_json()["nominees"][0]["id"]
    r = apis["vhxh"].post(f"/dossiers/{ids['donvi03']}/actions/appraise",
                          json={"verdicts": [{"nominee_id": n, "verdict": "accepted", "reason": "Đạt"}]})
    assert r.status_code == 200, r.get_json()
    report_id = apis["donvi01"].get(f"/dossiers/{ids['donvi01']}").get_json()["reports"][0]["id"]
    return {"apis": apis, "submitted": ids["donvi01"], "under_appraisal": ids["donvi02"],
            "appraised": ids["donvi03"], "report": report_id, "client": client}


@FUZZ
@given(body=body_with("username", "password"))
def test_token_never_answers_500(world, body):
    r = world["client"].post("/api/v1/token", data=json.dumps(body, allow_nan=True), content_type="application/json")
    assert_handled(r)
    assert r.status_code in (401, 422, 429)           # 429: the address has failed too often meanwhile


@FUZZ
@given(raw=st.binary(max_size=200), content_type=st.sampled_from(["application/json", "text/plain",
                                                                   "application/x-www-form-urlencoded"]))
def test_undecodable_bodies_are_422_not_500(world, raw, content_type):
    api = world["apis"]["congan"]
    for path in ("/dossiers", f"/dossiers/{world['submitted']}/actions/return", "/approvals",
                 f"/reports/{world['report']}/fields"):
        method = "PUT" if path.endswith("fields") else "POST"
        r = api.client.open(f"/api/v1{path}", method=method, headers=api.headers, data=raw, content_type=content_type)
        assert_handled(r)


@FUZZ
@given(who=st.sampled_from(["donvi04", "congan"]),
       body=body_with("targets", unit_id=st.integers(-3, 30) | id_junk, campaign_id=st.just(1) | id_junk,
                      targets=st.dictionaries(st.sampled_from(["models_count", "incidents", "x"]), junk, max_size=3)))
def test_register_never_answers_500(world, who, body):
    if not isinstance(body, dict):
        body = {}
    api = world["apis"].get(who) or Api(world["client"], who)
    assert_handled(send(api, "POST", "/dossiers", body))


@FUZZ
@given(action=st.sampled_from(["forward", "return", "appraise", "reject", "approve"]) | st.text(max_size=12),
       who=st.sampled_from(["congan", "vhxh", "chutich", "donvi01"]),
       state=st.sampled_from(["submitted", "under_appraisal", "appraised"]),
       body=body_with("comment", "nominees", "verdicts",
                      nominees=st.lists(st.fixed_dictionaries({"name": scalars, "kind": st.sampled_from(
                          ["individual", "collective", "x"])}, optional={"position": junk, "award": junk}), max_size=3),
                      verdicts=st.lists(st.fixed_dictionaries(
                          {"nominee_id": st.integers(-1, 50) | junk,
                           "verdict": st.sampled_from(["accepted", "refused"]) | junk},
                          optional={"reason": junk}), max_size=3)))
def test_dossier_actions_never_answer_500(world, action, who, state, body):
    api = world["apis"][who]
    if "/" in action or "?" in action or "#" in action:
        action = action.replace("/", "_").replace("?", "_").replace("#", "_")
    assert_handled(send(api, "POST", f"/dossiers/{world[state]}/actions/{action}", body))


@FUZZ
@given(body=body_with("comment", dossier_ids=st.lists(st.integers(-2, 10) | id_junk, max_size=5) | id_junk))
def test_approvals_never_answer_500(world, body):
    if not isinstance(body, dict):
        body = {}
    assert_handled(send(world["apis"]["chutich"], "POST", "/approvals", body))


metrics = st.dictionaries(st.sampled_from(["propaganda_sessions", "models_count", "incidents", "other"]),
                          st.integers() | huge_ints | junk, max_size=3)
fields = st.fixed_dictionaries({}, optional={
    "doc_type": junk, "number": junk, "issue_date": st.sampled_from(["2026-02-30", "2026-11-01", "hôm nay"]) | junk,
    "period_year": st.integers() | junk, "self_rating": st.sampled_from(["Khá", "Tốt"]) | junk,
    "antt_standard": junk, "metrics": metrics | junk,
    "nominees": st.lists(st.fixed_dictionaries({"name": scalars, "kind": st.sampled_from(["individual", "x"]) | junk}),
                         max_size=3) | junk})


@FUZZ
@given(who=st.sampled_from(["donvi01", "congan", "donvi02"]),
       body=st.fixed_dictionaries({"fields": fields}) | fields | junk)
def test_correcting_fields_never_answers_500(world, who, body):
    assert_handled(send(world["apis"][who], "PUT", f"/reports/{world['report']}/fields", body))


@FUZZ
@given(state=st.text(max_size=20), campaign_id=st.text(max_size=25))
def test_dossier_list_filters_never_answer_500(world, state, campaign_id):
    r = world["apis"]["congan"].get("/dossiers", query_string={"state": state, "campaign_id": campaign_id})
    assert_handled(r)


BIG = 2**63


@pytest.mark.parametrize("who,method,path,body", [
    ("congan", "POST", "/dossiers", {"unit_id": BIG, "campaign_id": 1}),
    ("congan", "POST", "/dossiers", {"unit_id": 1, "campaign_id": BIG}),
    ("chutich", "POST", "/approvals", {"dossier_ids": [BIG]}),
    ("congan", "GET", f"/dossiers/{BIG}", None),
    ("congan", "GET", f"/reports/{BIG}", None),
    ("congan", "GET", f"/documents/{BIG}", None),
    ("congan", "POST", f"/dossiers/{BIG}/actions/forward", {}),
    ("donvi01", "POST", f"/dossiers/{BIG}/reports", None),
], ids=["register_unit", "register_campaign", "approvals", "dossier", "report", "document", "action", "upload"])
def test_ids_beyond_the_database_integer_range_are_404_or_422(sqlite_env, who, method, path, body):
    from webapp import create_app

    api = Api(create_app({"TESTING": True}).test_client(), who)
    r = api.client.open(f"/api/v1{path}", method=method, headers=api.headers, json=body)
    assert_handled(r)
    assert r.status_code in (404, 422)
