"""Issue 14, finding 6: one clerk cannot starve the reading queue. Real uploads through the API, real
rq jobs on a real Redis, run by a real rq worker: another unit's first report is read after at most
one job of a unit's backlog; a superseded upload is not read; the same file twice is read once."""
from __future__ import annotations

from datetime import date

from rq import Queue
from rq.job import Job
from sqlalchemy import select

from api_helpers import Api
from conftest import SHARED

CORPUS = SHARED / "corpus" / "dev"


def _reports():
    from storage.db import read_session
    from storage.models import Report

    with read_session() as s:
        return {r.id: (r.status, r.error, r.finished_at, r.fields) for r in s.scalars(select(Report))}


def _extra_campaigns(years):
    """Campaign years open beside the demo's (set up by an admin; not part of the attack)."""
    from storage.db import write_session
    from storage.models import Campaign

    with write_session() as s:
        commune = s.scalars(select(Campaign)).first().commune_id
        for year in years:
            # registration open: fairness, not deadlines
            s.add(Campaign(commune_id=commune, year=year, register_deadline=None,
                           report_deadline=date(year, 12, 31)))


def _register(api: Api, campaign_id: int) -> int:
    r = api.post("/dossiers", json={"unit_id": api.unit_id(), "campaign_id": campaign_id, "targets": {}})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def _job_results(env) -> list[str]:
    from workflows import queue

    q = Queue(env.queue_name, connection=queue.redis())
    ids = q.finished_job_registry.get_job_ids()
    return [Job.fetch(i, connection=queue.redis()).return_value() for i in ids]


def test_a_units_backlog_delays_another_units_first_report_by_at_most_one_job(client, env):
    _extra_campaigns([2023, 2024, 2025])
    busy = Api(client, "donvi01")
    campaigns = [c["id"] for c in busy.get("/campaigns").get_json()]
    assert len(campaigns) >= 4
    backlog = []
    for i, campaign in enumerate(campaigns[:4]):
        backlog.append(busy.upload(_register(busy, campaign), CORPUS / f"dev_0{i + 1}.pdf").get_json()["report_id"])
    other = Api(client, "donvi02")
    first = other.upload(_register(other, campaigns[0]), CORPUS / "dev_05.pdf").get_json()["report_id"]

    env.run_jobs()                       # one real rq worker takes the five jobs in queue order

    reports = _reports()
    assert all(reports[i][0] == "done" for i in backlog + [first])
    order = sorted(backlog + [first], key=lambda i: reports[i][2])
    assert order.index(first) <= 1, f"the other unit's report was read {order.index(first) + 1}th: {order}"


def test_a_superseded_upload_is_not_read_and_the_same_file_twice_is_read_once(client, env):
    unit = Api(client, "donvi04")
    d = _register(unit, unit.campaign_id())
    old = unit.upload(d, CORPUS / "dev_01.pdf").get_json()["report_id"]
    new = unit.upload(d, CORPUS / "dev_02.pdf").get_json()["report_id"]
    env.run_jobs()
    reports = _reports()
    assert reports[new][0] == "done"
    assert reports[old][0] == "failed" and "bản mới hơn" in reports[old][1]
    results = _job_results(env)
    assert sum(r.endswith(": done") for r in results) == 1, results        # one reading, not two

    again = unit.upload(d, CORPUS / "dev_02.pdf").get_json()["report_id"]
    env.run_jobs()
    reports = _reports()
    assert reports[again][0] == "done" and reports[again][3] == reports[new][3]
    assert f"report {again}: copied from report {new}" in _job_results(env)
    assert unit.get(f"/dossiers/{d}").get_json()["state"] == "report_submitted"
