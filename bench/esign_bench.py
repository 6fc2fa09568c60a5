"""Benchmark: what signing at approval adds (the quyết định and its giấy khen made PDF/A and signed in the
request), and the văn thư's sealing of them.

Baseline, measured in the same run: the same approval by an approver without a key (paper), plus the
background job's plain PDF conversion of the same documents (what an unsigned approval costs in all).
Target (issue 13): signing adds ≤ 0.3 s per document.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))            # workflow_helpers → conftest

DOSSIERS, NOMINEES = 10, 2            # one decision + 20 giấy khen per approval


def main() -> None:
    if not shutil.which("soffice"):
        print("soffice not found: skipped")
        return
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(APP_MODE="test", VAR_DIR=tmp, DATABASE_URL=f"sqlite:///{tmp}/app.db",
                          REDIS_URL="redis://127.0.0.1:1/0", SECRET_KEY="bench")
        import logging

        logging.disable(logging.WARNING)                  # “could not enqueue”: no Redis here, on purpose
        from storage import migrate
        from workflow_helpers import appraised_dossiers, user_id
        from workflows import demo, dossiers, esign, jobs

        migrate.upgrade(os.environ["DATABASE_URL"])
        demo.load(password)
        esign.load_demo(Path(tmp, "pki"), password)
        _retire_deputy_key()
        jobs.pdf_converter().to_pdf(_warm_docx(), pdfa=True)      # LibreOffice profile made once

        docs = 1 + DOSSIERS * NOMINEES
        start = time.perf_counter()
        paper_id, _ = dossiers.approve(user_id("phochutich"), appraised_dossiers(DOSSIERS, NOMINEES))
        paper = time.perf_counter() - start
        start = time.perf_counter()
        jobs.render_documents(paper_id)
        convert = time.perf_counter() - start
        print(f"baseline: approval on paper, {docs} documents: {paper:.2f} s in the request "
              f"+ {convert:.2f} s PDF job = {paper + convert:.2f} s")

        start = time.perf_counter()
        signed_id, _ = dossiers.approve(user_id("chutich"), appraised_dossiers(DOSSIERS, NOMINEES), password=password)
        signed = time.perf_counter() - start
        added = (signed - paper - convert) / docs
        print(f"signed approval, {docs} documents made PDF/A and signed in the request: {signed:.2f} s "
              f"(ratio {signed / (paper + convert):.2f}× the paper approval with its PDFs); "
              f"signing adds {added:.3f} s per document (target ≤ 0.3 s)")

        start = time.perf_counter()
        esign.seal(user_id("vanthu"), signed_id, password)
        seal = time.perf_counter() - start
        print(f"văn thư seals the decision and its giấy khen: {seal:.2f} s = {seal / docs:.3f} s per document")


def _retire_deputy_key() -> None:
    """The deputy approves on paper: the baseline."""
    from sqlalchemy import select

    from storage.db import write_session
    from storage.models import SigningKey, User

    with write_session() as s:
        deputy = s.scalar(select(User).where(User.username == "phochutich"))
        for key in s.scalars(select(SigningKey).where(SigningKey.user_id == deputy.id)):
            key.active = False


def _warm_docx() -> bytes:
    from doc_templates import render, samples

    return render("giay_khen", samples.giay_khen())


if __name__ == "__main__":
    main()
