"""The province roll-up: a province user sees every commune of its province, each commune only its own."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from test_dashboard import board_for

from conftest import DEMO_PASSWORD
from workflow_helpers import csrf_token, login


def add_commune(name: str, province: str) -> int:
    """A second commune with its campaign 2026 and its police officer `congan_<name>`."""
    from storage.db import write_session
    from storage.models import Campaign, Commune, User
    from workflows.accounts import hash_password

    with write_session() as session:
        commune = Commune(name=name, kind="xã", province=province, legal_bases=[])
        session.add(commune)
        session.flush()
        session.add(Campaign(commune_id=commune.id, year=2026, report_deadline=date(2026, 11, 30),
                             hamlet_report_deadline=date(2026, 11, 20)))
        slug = name.lower().replace(" ", "")
        session.add(User(username=f"congan_{slug}", full_name=f"Công an {name}", role="police",
                         password_hash=hash_password(DEMO_PASSWORD), commune_id=commune.id))
        return commune.id


def add_province_user(commune_id: int) -> None:
    from storage.db import write_session
    from storage.models import User
    from workflows.accounts import hash_password

    with write_session() as session:
        session.add(User(username="tinh", full_name="Phòng Tham mưu Công an tỉnh", role="province",
                         title="Giám đốc Công an tỉnh", password_hash=hash_password(DEMO_PASSWORD),
                         commune_id=commune_id))


def three_communes() -> tuple[int, int, int]:
    """Phượng Tiến (demo) and Kim Phượng in Thái Nguyên, Yên Thắng in Ninh Bình, each with generated dossiers."""
    from storage.db import read_session
    from storage.models import Commune
    from workflows import demo_year

    with read_session() as session:
        home = session.scalar(select(Commune.id).order_by(Commune.id))
    sibling, other = add_commune("Kim Phượng", "Thái Nguyên"), add_commune("Yên Thắng", "Ninh Bình")
    demo_year.generate(20, home, seed=1)
    demo_year.generate(10, sibling, seed=2)
    demo_year.generate(10, other, seed=3)
    add_province_user(home)
    return home, sibling, other


def test_the_province_sees_the_sum_of_its_communes_and_nothing_else(env):
    three_communes()
    province, home, sibling = board_for("tinh"), board_for("congan"), board_for("congan_kimphượng")
    assert province.province_view and [c.name for c in province.communes] == ["Kim Phượng", "Phượng Tiến"]
    assert len(province.rows) == len(home.rows) + len(sibling.rows) == 30
    assert province.totals() == {k: home.totals()[k] + sibling.totals()[k] for k in home.totals()}
    assert "Yên Thắng" not in {r.commune_name.split(" ", 1)[1] for r in province.rows}
    per = {c["name"]: c for c in province.per_commune()}
    assert per["xã Kim Phượng"]["registered"] == 10 and per["xã Phượng Tiến"]["registered"] == 20


def test_each_commune_sees_only_its_own_figures(env):
    three_communes()
    home, sibling = board_for("congan"), board_for("congan_kimphượng")
    assert {r.commune_name for r in home.rows} == {"xã Phượng Tiến"}
    assert {r.commune_name for r in sibling.rows} == {"xã Kim Phượng"}
    assert home.units_total == 40 and sibling.units_total == 10


def test_the_province_searches_its_communes_only(env):
    from test_search import find

    three_communes()
    assert {r.unit_name.rsplit(" ", 2)[-2] + " " + r.unit_name.rsplit(" ", 1)[-1]
            for r in find("tinh", "an ninh")} <= {"Phượng Tiến", "Kim Phượng"}
    assert len({r.dossier_id for r in find("tinh", "an ninh")}) \
        == len({r.dossier_id for r in find("congan", "an ninh")}) \
        + len({r.dossier_id for r in find("congan_kimphượng", "an ninh")})


def test_the_province_dashboard_page_and_report(client, env):
    import io

    from docx import Document as Docx

    import doc_templates

    three_communes()
    login(client, "tinh")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Theo xã" in html and "xã Kim Phượng" in html and "Yên Thắng" not in html
    r = client.post("/dashboard/2026/bao-cao", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert r.status_code == 302
    doc_id = int(r.headers["Location"].rsplit("bao-cao-", 1)[1])
    data = client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx").data
    assert doc_templates.check_nd30(data) == []
    header = "\n".join(c.text for row in Docx(io.BytesIO(data)).tables[0].rows for c in row.cells)
    assert "CÔNG AN TỈNH THÁI NGUYÊN" in header and "01/BC-CAT" in header
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "congan_kimphượng")
    assert client.get(f"/bao-cao-tong-hop/{doc_id}/file?format=docx").status_code == 404
