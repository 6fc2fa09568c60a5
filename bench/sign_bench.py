"""Benchmark: what digital signing adds to issuing a paper, and a batch of 200 signed giấy khen.

Baseline, measured in the same run: rendering the same giấy khen to PDF/A without signing
(render_many + one PdfConverter batch). Targets: signing (the chairman's and the commune's
signatures) adds ≤ 0.3 s per document; 200 giấy khen sign in ≤ 60 s on 2 cores.
"""
from __future__ import annotations

import os
import resource
import secrets
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from doc_templates import PdfConverter, demo_pki, render, render_many, samples, signing

N_BATCH, N_SERIAL, WORKERS = 200, 20, 2
VICE = "Chu Tiến Dũng"
_state: dict = {}


def contexts(n: int) -> list[dict]:
    out = []
    for i in range(1, n + 1):
        ctx = samples.giay_khen(i)
        ctx["signer"]["name"] = VICE
        out.append(ctx)
    return out


def _load(pki: dict, password: str) -> None:
    """Open the two PKCS#12 files once per process (the password stays in memory only)."""
    _state.update(person=signing.pkcs12_signer(pki["phochutich.p12"].read_bytes(), password),
                  body=signing.pkcs12_signer(pki["ubnd.p12"].read_bytes(), password),
                  image=pki["phochutich.png"].read_bytes(), seal=pki["ubnd.png"].read_bytes())


def sign_one(pdf: bytes) -> bytes:
    signed = signing.sign_as_signer(pdf, _state["person"], _state["image"], title="PHÓ CHỦ TỊCH", name=VICE)
    return signing.sign_as_body(signed, _state["body"], _state["seal"])


def main() -> None:
    if not shutil.which("soffice"):
        print("soffice not found: the baseline needs LibreOffice; skipped")
        return
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as tmp:
        pki = demo_pki.create(Path(tmp, "pki"), password)
        start = time.perf_counter()
        docs = render_many("giay_khen", contexts(N_BATCH))
        with PdfConverter(workdir=Path(tmp, "lo"), pdfa=True) as conv:
            pdfs = conv.to_pdf_many(docs)
            qd_ctx = samples.quyet_dinh()
            qd_ctx["signer"]["name"] = VICE
            qd = conv.to_pdf(render("quyet_dinh", qd_ctx))
        unsigned = time.perf_counter() - start
        per_unsigned = unsigned / N_BATCH
        print(f"baseline: {N_BATCH} giấy khen rendered to PDF/A-2b, unsigned, in {unsigned:.1f} s "
              f"= {per_unsigned:.3f} s each (cold LibreOffice profile included)")

        _load(pki, password)
        sign_one(pdfs[0])                                   # imports and first-use costs
        start, cpu = time.perf_counter(), time.process_time()
        for pdf in pdfs[:N_SERIAL]:
            sign_one(pdf)
        per_doc = (time.perf_counter() - start) / N_SERIAL
        cpu_doc = (time.process_time() - cpu) / N_SERIAL
        start = time.perf_counter()
        sign_one(qd)
        per_qd = time.perf_counter() - start
        print(f"signing adds {per_doc:.3f} s per giấy khen (chairman + commune, one process, mean of "
              f"{N_SERIAL}; {cpu_doc:.3f} s of CPU); quyết định with annex: {per_qd:.3f} s  [target ≤ 0.300 s]")
        print(f"  ratio to the unsigned render of the same paper: {per_doc / per_unsigned:.2f}x "
              f"(signed paper costs {1 + per_doc / per_unsigned:.2f}x the unsigned one)")

        start = time.perf_counter()
        with ProcessPoolExecutor(WORKERS, initializer=_load, initargs=(pki, password)) as pool:
            signed = list(pool.map(sign_one, pdfs, chunksize=10))
        batch = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_batch = children.ru_utime + children.ru_stime
        print(f"batch: {len(signed)} giấy khen signed in {batch:.1f} s on {WORKERS} processes "
              f"({os.cpu_count()} cores)  [target ≤ 60 s]; serial estimate {per_doc * N_BATCH:.1f} s "
              f"-> {per_doc * N_BATCH / batch:.2f}x from the pool")
        print(f"  CPU used by the pool: {cpu_batch:.1f} s -> {cpu_batch / WORKERS:.1f} s on {WORKERS} idle cores "
              f"(load average now {os.getloadavg()[0]:.1f}: other work shares the cores)")
        print(f"  whole batch vs its unsigned render: {batch / unsigned:.2f}x; "
              f"size {sum(map(len, pdfs)) // N_BATCH // 1024} KB -> {sum(map(len, signed)) // N_BATCH // 1024} KB each")


if __name__ == "__main__":
    main()
