"""Field accuracy on the shared corpora (dev: 9 text + 5 scanned PDFs; real: 3 real scans) and on
a held-out set generated at test time (tests/fixtures/extract/make_docs.py: documents of the genre
that the rules were never fitted to — other units, phrasings, layouts, number formats, scans).

Each floor is what the extractor reaches today, so floors can only be raised. Results are cached
per file for the session and computed two files at a time (OCR is a subprocess per page).
Unseen-phrasing checks live in tests/unit/test_extract_rules.py.
"""
import importlib.util
import json
import os
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extractors import extract

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPUS = SHARED / "corpus"
CASE_INSENSITIVE = {"issuer", "parent_issuer", "signer_title"}
SCALARS = ["doc_type", "number", "issue_date", "place", "issuer", "parent_issuer", "subject", "signer_name",
           "signer_title", "signing_authority", "period_year", "self_rating", "antt_standard"]
METRICS = ["propaganda_sessions", "propaganda_participants", "models_count", "tips_reported", "mediations",
           "incidents"]
# Floors per split: overall field accuracy, nominee precision, nominee recall.
FLOORS = {"dev-text": (0.99, 0.99, 0.99), "dev-scan": (0.99, 0.99, 0.99), "real": (0.91, None, None),
          "heldout-text": (0.99, 0.99, 0.99), "heldout-scan": (0.97, 0.92, 0.82)}
HELDOUT_SEED, HELDOUT_TEXT, HELDOUT_SCAN = 7, 30, 10
MAKE_DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "make_docs.py"
CAN_GENERATE = shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")


def _norm(value, field):
    if not isinstance(value, str):
        return value
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value.casefold() if field in CASE_INSENSITIVE else value


@pytest.fixture(scope="session")
def heldout_dir(tmp_path_factory):
    """The held-out documents (generated once per session; skipped without LibreOffice)."""
    if not CAN_GENERATE:
        pytest.skip("soffice/pdftoppm not installed: cannot generate the held-out set")
    spec = importlib.util.spec_from_file_location("make_docs", MAKE_DOCS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("heldout")
    module.generate(out, HELDOUT_TEXT, HELDOUT_SCAN, HELDOUT_SEED)
    return out


def _docs(split: str, heldout: Path | None = None) -> list[Path]:
    if split.startswith("heldout"):
        pdfs = sorted(heldout.glob("*.pdf"))
        return [p for p in pdfs if p.stem.endswith("_scan") == (split == "heldout-scan")]
    folder, kind = {"dev-text": ("dev", "text"), "dev-scan": ("dev", "scan"), "real": ("real", None)}[split]
    pdfs = sorted((CORPUS / folder).glob("*.pdf"))
    if kind is None:
        return pdfs
    scanned = {"dev_05", "dev_06", "dev_08", "dev_10", "dev_12"}
    return [p for p in pdfs if (p.stem in scanned) == (kind == "scan")]


@pytest.fixture(scope="session")
def results():
    """`get(pdf)` → the schema dict, cached; `prefetch(pdfs)` fills the cache two files at a time."""
    cache = {}

    def get(pdf: Path) -> dict:
        if pdf not in cache:
            cache[pdf] = extract(pdf, workers=1).to_dict()
        return cache[pdf]

    def prefetch(pdfs: list[Path]) -> None:
        todo = [p for p in pdfs if p not in cache]
        if todo:
            get(todo[0])                      # build the spaCy pipeline once, before the threads
            with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
                list(pool.map(get, todo[1:]))
    get.prefetch = prefetch
    return get


@pytest.fixture
def split_docs(request, results):
    """The split's documents, extracted (held-out splits need the generated folder)."""
    split = request.param
    heldout = request.getfixturevalue("heldout_dir") if split.startswith("heldout") else None
    docs = _docs(split, heldout)
    results.prefetch(docs)
    return split, docs


def _score(docs, results):
    fields, fps, tp, npred, ngold = {}, 0, 0, 0, 0
    for pdf in docs:
        gold, pred = json.loads(pdf.with_suffix(".json").read_text("utf-8")), results(pdf)
        for f in SCALARS + ["metrics." + m for m in METRICS]:
            g, p = _get(gold, f), _get(pred, f)
            fields.setdefault(f, []).append(_norm(g, f) == _norm(p, f) and type(g) is type(p))
            fps += g is None and p is not None
        G = {(n["name"], n["kind"]) for n in gold["nominees"]}
        P = {(n["name"], n["kind"]) for n in pred["nominees"]}
        tp, npred, ngold = tp + len(G & P), npred + len(P), ngold + len(G)
    return fields, fps, tp, npred, ngold


def _get(obj, field):
    for part in field.split("."):
        obj = obj[part]
    return obj


@pytest.mark.parametrize("split_docs", list(FLOORS), indirect=True)
def test_field_accuracy_reaches_its_floor(split_docs, results):
    split, docs = split_docs
    fields, _, _, _, _ = _score(docs, results)
    total = sum(len(v) for v in fields.values())
    accuracy = sum(sum(v) for v in fields.values()) / total
    assert accuracy >= FLOORS[split][0], (accuracy, {f: sum(v) / len(v) for f, v in fields.items() if not all(v)})


@pytest.mark.parametrize("split_docs", list(FLOORS), indirect=True)
def test_no_value_is_invented_for_a_blank_field(split_docs, results):
    assert _score(split_docs[1], results)[1] == 0


@pytest.mark.parametrize("split_docs", ["dev-text", "dev-scan", "heldout-text", "heldout-scan"], indirect=True)
def test_nominees_precision_and_recall(split_docs, results):
    split, docs = split_docs
    _, _, tp, npred, ngold = _score(docs, results)
    precision, recall = tp / max(npred, 1), tp / max(ngold, 1)
    assert precision >= FLOORS[split][1] and recall >= FLOORS[split][2], (precision, recall)


@pytest.mark.parametrize("field", SCALARS + ["metrics." + m for m in METRICS])
def test_each_text_layer_field_is_read_on_every_dev_document(field, results):
    docs = _docs("dev-text")
    results.prefetch(docs)
    fields, _, _, _, _ = _score(docs, results)
    assert all(fields[field]), field


# ----------------------------------------------------------------- real documents nobody here wrote
# corpus/real-dev/ (43 documents, 168 pages) takes several minutes to OCR on two cores, so the floors
# run on a fixed subset chosen to cover what real files do: every text document (born-digital and
# Word → PDF, fast) and scans of each kind — bitonal CCITT (01, 15, 18), phone scans (09, 12), a
# phone photo (38), a 100 dpi scan (39), colour scans (25, 40), a yellowed 1999 page (32), signature-
# stamp text layers (26, 29) and a broken OCR layer (13).  Floors are present-field accuracy (the
# fields the document prints), so blank fields left null do not inflate them.
REAL_DEV = CORPUS / "real-dev"
REAL_DEV_TEXT = ["real_03", "real_04", "real_05", "real_10", "real_11", "real_33", "real_37", "real_41", "real_42",
                 "real_43"]
REAL_DEV_SCAN = ["real_01", "real_09", "real_12", "real_13", "real_15", "real_18", "real_25", "real_26", "real_29",
                 "real_32", "real_38", "real_39", "real_40"]
# (present-field accuracy floor, most values invented where the document prints nothing), measured
# text 100 % (the rules alone: 95.1 %) and, with the page rules and OCR diacritics merged, scans 65.0 % with 0
# invented values;
# the whole set: text 100 %, scans 61.8 % (docs/extraction.md)
REAL_DEV_FLOORS = {"text": (0.99, 0), "scan": (0.64, 0)}


def _present(docs, results):
    """(fields right among those the gold has, fields the gold has, values where the gold is null)."""
    right = present = invented = 0
    for pdf in docs:
        gold, pred = json.loads(pdf.with_suffix(".json").read_text("utf-8")), results(pdf)
        for f in SCALARS + ["metrics." + m for m in METRICS]:
            g, p = _get(gold, f), _get(pred, f)
            if g is None:
                invented += p is not None
                continue
            present += 1
            right += _norm(g, f) == _norm(p, f) and type(g) is type(p)
    return right, present, invented


@pytest.fixture(params=list(REAL_DEV_FLOORS))
def real_dev(request, results):
    if not REAL_DEV.is_dir():
        pytest.skip(f"real-dev corpus not found at {REAL_DEV}")
    names = REAL_DEV_TEXT if request.param == "text" else REAL_DEV_SCAN
    docs = [REAL_DEV / f"{n}.pdf" for n in names]
    results.prefetch(docs)
    return request.param, docs


def test_real_documents_fields_they_print_reach_their_floor(real_dev, results):
    nature, docs = real_dev
    right, present, _ = _present(docs, results)
    assert right / present >= REAL_DEV_FLOORS[nature][0], (nature, right, present)


def test_real_documents_get_few_invented_values(real_dev, results):
    nature, docs = real_dev
    assert _present(docs, results)[2] <= REAL_DEV_FLOORS[nature][1]


def test_lists_in_real_documents_are_not_nominees(real_dev, results):
    """None of them proposes anybody: team and council members, recipients, communes recognised in a
    category, award criteria of a plan and a guidance's forms are all lists that are not nominees."""
    _, docs = real_dev
    assert {pdf.stem: results(pdf)["nominees"] for pdf in docs if results(pdf)["nominees"]} == {}
