"""The demo PKI that `make run` creates: marked DEMO, idempotent, encrypted keys, transparent images."""
import io
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image

from doc_templates import demo_pki

DEMO = "DEMO — không có giá trị pháp lý"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    return directory, demo_pki.create(directory, "mật khẩu")


def test_every_certificate_says_demo_and_chains_to_the_demo_ca(pki):
    _, paths = pki
    ca = x509.load_pem_x509_certificate(paths["ca"].read_bytes())
    assert DEMO in ca.subject.rfc4514_string()
    for holder in ("chutich", "phochutich", "ubnd"):
        _, cert, chain = pkcs12.load_key_and_certificates(paths[f"{holder}.p12"].read_bytes(), "mật khẩu".encode())
        assert DEMO in cert.subject.rfc4514_string() and "(DEMO)" in cert.subject.rfc4514_string()
        assert cert.issuer == ca.subject and chain == [ca]
        cert.verify_directly_issued_by(ca)
        assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(paths["ubnd.p12"].read_bytes(), b"wrong")


def test_creating_again_changes_nothing_and_no_password_is_written(pki):
    directory, paths = pki
    before = {name: path.read_bytes() for name, path in paths.items()}
    demo_pki.create(directory, "another password")
    assert {name: path.read_bytes() for name, path in paths.items()} == before
    assert all(b"m\xe1\xba\xadt kh\xe1\xba\xa9u" not in data for data in before.values())
    manifest = json.loads(paths["manifest"].read_text("utf-8"))
    assert [h["key"] for h in manifest["holders"]] == ["chutich", "phochutich", "ubnd"]


def test_a_missing_file_makes_the_whole_set_again(tmp_path):
    paths = demo_pki.create(tmp_path, "pw")
    old_ca = paths["ca"].read_bytes()
    paths["ubnd.png"].unlink()
    demo_pki.create(tmp_path, "pw")
    assert paths["ubnd.png"].exists() and paths["ca"].read_bytes() != old_ca


def ink(png: bytes) -> tuple[float, float, float, float]:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    pixels = [p for p in image.get_flattened_data() if p[3] > 128]
    n = len(pixels)
    return (sum(p[0] for p in pixels) / n, sum(p[1] for p in pixels) / n, sum(p[2] for p in pixels) / n,
            n / (image.width * image.height))


def test_signature_is_blue_and_seal_is_red_on_transparent_backgrounds(pki):
    _, paths = pki
    for holder, colour in (("chutich", "blue"), ("phochutich", "blue"), ("ubnd", "red")):
        png = paths[f"{holder}.png"].read_bytes()
        image = Image.open(io.BytesIO(png))
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0       # transparent corner
        r, g, b, coverage = ink(png)
        assert 0.01 < coverage < 0.6
        assert (b > r + 80) if colour == "blue" else (r > b + 80 and r > g + 80)
    assert paths["chutich.png"].read_bytes() != paths["phochutich.png"].read_bytes()
