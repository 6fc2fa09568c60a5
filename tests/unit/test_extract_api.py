"""The public API and CLI contract: errors in Vietnamese, bytes input, progress, lazy spaCy."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from extractors import Extraction, ExtractionError, empty_fields, extract

REPO = Path(__file__).resolve().parents[2]


def test_importing_the_package_does_not_build_spacy():
    code = "import sys, extractors; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "False"


def test_empty_fields_has_every_key_null():
    f = empty_fields()
    assert f["metrics"]["tips_reported"] is None and f["nominees"] == [] and f["number"] is None


def test_corrupt_pdf_raises_with_vietnamese_message(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage \n")
    with pytest.raises(ExtractionError, match="PDF"):
        extract(bad)


def test_not_a_document_is_refused():
    with pytest.raises(ExtractionError, match="Tệp"):
        extract(b"just some text, not a document")


def test_blank_image_gives_all_nulls_and_a_rescan_message(tmp_path):
    img = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 255).save(img)
    calls = []
    result = extract(img, progress=lambda done, total: calls.append((done, total)))
    assert isinstance(result, Extraction)
    assert result.fields == empty_fields() and result.page_sources == ["ocr"]
    assert result.quality["too_poor"] and "quét lại" in result.quality["message"]
    assert calls[-1] == (1, 1)


def test_cli_prints_json_even_when_nothing_found(tmp_path):
    img = tmp_path / "blank.png"
    image = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(image).text((100, 100), "xin chao", fill=0)
    image.save(img)
    out = subprocess.run([sys.executable, "-m", "extractors", str(img), "--explain"], capture_output=True,
                         text=True, cwd=REPO)
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert set(empty_fields()) <= set(data) and "_provenance" in data


def test_cli_exits_non_zero_for_unreadable_file(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"nope")
    out = subprocess.run([sys.executable, "-m", "extractors", str(bad)], capture_output=True, text=True, cwd=REPO)
    assert out.returncode != 0 and out.stdout == "" and "Lỗi" in out.stderr
