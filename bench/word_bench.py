#!/usr/bin/env python3
"""Word files read directly vs their LibreOffice PDF: fields correct against the gold, and time.

    python bench/word_bench.py [--heldout N]

For every Word original of the real-dev corpus (`real_NN.docx` / `.doc` next to `real_NN.pdf` and the
gold `real_NN.json`) and, with --heldout, for N documents of the held-out generator
(tests/fixtures/extract/make_docs.py, seed 7: the same .docx it converts to PDF, with nominee tables
and lists) the fields are read twice, from the Word file (extractors.wordfile) and from the PDF
(text layer), and scored with the shared scorer's rules (`score_extraction.score_doc`).  Prints a row
per document and the totals; the PDF is the baseline measured in the same run.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402  (after the sys.path line above: run as a script)

CORPUS = ROOT / ".." / "shared" / "corpus" / "real-dev"
SCORER = ROOT / ".." / "shared" / "tools" / "score_extraction.py"


def scorer():
    """The shared scorer as a module (standard library only)."""
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def originals(corpus: Path) -> list[Path]:
    """Word originals that have a PDF and a gold file next to them."""
    return sorted(p for p in corpus.iterdir() if p.suffix in (".docx", ".doc", ".odt")
                  and p.with_suffix(".pdf").is_file() and p.with_suffix(".json").is_file())


def heldout(n: int, out: Path) -> Path:
    """N held-out .docx with their gold, and their PDF (one soffice run), as make_docs makes them."""
    import random
    import subprocess

    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "tests" / "fixtures" / "extract" / "make_docs.py")
    make_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_docs)
    rng = random.Random(7)
    docs = [make_docs.record(rng, i + 1) for i in range(n)]
    out.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        make_docs.build_docx(rng, doc, out / f"{doc['name']}.docx")
        gold = doc["gold"]
        for nominee in gold["nominees"]:
            nominee.pop("born", None)
        (out / f"{doc['name']}.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *sorted(map(str, out.glob("*.docx")))],
                   check=True, capture_output=True, timeout=900)
    return out


def run(path: Path) -> tuple[dict, float]:
    """The schema object read from `path`, and the seconds it took."""
    t0 = time.perf_counter()
    fields = extract(path).to_dict()
    return fields, time.perf_counter() - t0


def main() -> int:
    import tempfile

    score = scorer()
    if "--heldout" in sys.argv:
        with tempfile.TemporaryDirectory(prefix="word-bench-") as tmp:
            return compare(score, heldout(int(sys.argv[sys.argv.index("--heldout") + 1]), Path(tmp)))
    return compare(score, Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)


def compare(score, corpus: Path) -> int:
    """Score the Word file and the PDF of every document in `corpus`; print rows and totals."""
    totals = {"word": [0, 0, 0.0, 0], "pdf": [0, 0, 0.0, 0]}   # fields correct, nominees tp, seconds, predicted
    gold_nominees = 0
    print(f"{'document':14s} {'word fields':>11s} {'pdf fields':>10s} {'word nom':>8s} {'pdf nom':>8s}  differences")
    for original in originals(corpus):
        gold = json.loads(original.with_suffix(".json").read_text(encoding="utf-8"))
        rows = {}
        for name, path in (("word", original), ("pdf", original.with_suffix(".pdf"))):
            pred, secs = run(path)
            per_field, nominees, _ = score.score_doc(gold, pred)
            rows[name] = (per_field, nominees)
            totals[name][0] += sum(v == "correct" for v in per_field.values())
            totals[name][1] += nominees["tp"]
            totals[name][2] += secs
            totals[name][3] += nominees["pred"]
        gold_nominees += rows["word"][1]["gold"]
        diff = [f"{f}: word {rows['word'][0][f]}, pdf {rows['pdf'][0][f]}" for f in score.FIELDS
                if rows["word"][0][f] != rows["pdf"][0][f]]
        n = len(score.FIELDS)
        print(f"{original.name:14s} {sum(v == 'correct' for v in rows['word'][0].values()):>8d}/{n} "
              f"{sum(v == 'correct' for v in rows['pdf'][0].values()):>7d}/{n} "
              f"{rows['word'][1]['tp']:>4d}/{rows['word'][1]['gold']:<3d} "
              f"{rows['pdf'][1]['tp']:>4d}/{rows['pdf'][1]['gold']:<3d}"
              f"  {'; '.join(diff)}")
    n = len(originals(corpus)) * len(score.FIELDS)
    for name in ("word", "pdf"):
        fields, tp, secs, _ = totals[name]
        print(f"{name:5s} fields correct {fields}/{n} ({100 * fields / max(1, n):.1f}%), "
              f"nominees {tp}/{gold_nominees} found (predicted {totals[name][3]}), {secs:.1f} s")
    ratio = totals["word"][0] / max(1, totals["pdf"][0])
    print(f"word/pdf fields correct ratio: {ratio:.3f}; word/pdf time ratio: "
          f"{totals['word'][2] / max(1e-9, totals['pdf'][2]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
