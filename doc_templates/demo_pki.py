"""Demo PKI for `make run`: a demo CA, personal and organisation certificates, signature and seal images.

Everything is marked "DEMO — không có giá trị pháp lý" in the certificate names. Idempotent: when every
file exists nothing is rewritten; otherwise the whole set is created again (in a scratch directory,
then moved in place). The PKCS#12 files are encrypted with the password given; no password is written.

    python -m doc_templates.demo_pki DIR            # password from $DEMO_PKI_PASSWORD
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEMO = "DEMO — không có giá trị pháp lý"
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation")
VALID_DAYS = 3 * 365


@dataclass(frozen=True)
class Holder:
    """One certificate to issue: `key` names its files (`<key>.p12`, `<key>.png`)."""
    key: str
    name: str
    title: str
    organisation: bool = False


def holders(commune: str = "Phượng Tiến", chairman: str = "Ma Văn Thành",
            vice_chairman: str = "Chu Tiến Dũng") -> list[Holder]:
    """The commune's demo signers: chairman, vice-chairman and the commune (organisation)."""
    return [Holder("chutich", chairman, "Chủ tịch UBND xã"),
            Holder("phochutich", vice_chairman, "Phó Chủ tịch UBND xã"),
            Holder("ubnd", f"Ủy ban nhân dân xã {commune}", "Cơ quan ban hành", organisation=True)]


def files(directory: str | os.PathLike, people: list[Holder] | None = None) -> dict[str, Path]:
    """Paths of the demo PKI files under `directory` (the names `create` writes)."""
    d = Path(directory)
    out = {"ca": d / "ca.crt.pem", "manifest": d / "manifest.json"}
    for h in people or holders():
        out[f"{h.key}.p12"] = d / f"{h.key}.p12"
        out[f"{h.key}.png"] = d / f"{h.key}.png"
    return out


def create(directory: str | os.PathLike, password: str, *, commune: str = "Phượng Tiến",
           province: str = "Thái Nguyên", chairman: str = "Ma Văn Thành",
           vice_chairman: str = "Chu Tiến Dũng") -> dict[str, Path]:
    """Create the demo CA, the three PKCS#12 files and the PNG images; return their paths."""
    if not password:
        raise ValueError("Cần mật khẩu để mã hóa tệp PKCS#12 của PKI demo.")
    people = holders(commune, chairman, vice_chairman)
    paths = files(directory, people)
    if all(p.exists() for p in paths.values()):
        return paths
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        _write_all(Path(tmp), people, password, commune, province)
        for path in paths.values():
            os.replace(Path(tmp) / path.name, path)
    return paths


def _write_all(d: Path, people: list[Holder], password: str, commune: str, province: str) -> None:
    from cryptography.hazmat.primitives import serialization

    ca_key, ca_cert = _ca()
    (d / "ca.crt.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    manifest: dict = {"ca": {"file": "ca.crt.pem", "subject": ca_cert.subject.rfc4514_string()}, "holders": []}
    for h in people:
        key, cert = _issue(ca_key, ca_cert, h, commune, province)
        (d / f"{h.key}.p12").write_bytes(_pkcs12(h, key, cert, ca_cert, password))
        image = seal_png(commune, province) if h.organisation else signature_png(h.name)
        (d / f"{h.key}.png").write_bytes(image)
        manifest["holders"].append({"key": h.key, "name": h.name, "title": h.title,
                                    "organisation": h.organisation, "p12": f"{h.key}.p12",
                                    "image": f"{h.key}.png",
                                    "subject": cert.subject.rfc4514_string()})
    (d / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def _name(common_name: str, organisation: str, unit: str | None = None, title: str | None = None):
    from cryptography.x509 import Name, NameAttribute
    from cryptography.x509.oid import NameOID

    attrs = [NameAttribute(NameOID.COUNTRY_NAME, "VN"), NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if unit:
        attrs.append(NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if title:
        attrs.append(NameAttribute(NameOID.TITLE, title))
    attrs.append(NameAttribute(NameOID.COMMON_NAME, common_name))
    return Name(attrs)


def _ca():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"CA thử nghiệm — {DEMO}", DEMO)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def _issue(ca_key, ca_cert, h: Holder, commune: str, province: str):
    """A signing certificate (digitalSignature + nonRepudiation) for one holder."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    organisation = f"UBND xã {commune} — {DEMO}"[:64]
    common_name = f"{h.name} (DEMO)"[:64]
    subject = (_name(common_name, organisation, unit=f"Tỉnh {province}") if h.organisation
               else _name(common_name, organisation, unit=f"Tỉnh {province}", title=h.title))
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _pkcs12(h: Holder, key, cert, ca_cert, password: str) -> bytes:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    return pkcs12.serialize_key_and_certificates(h.key.encode(), key, cert, [ca_cert],
                                                 BestAvailableEncryption(password.encode()))


# --- images ---------------------------------------------------------------------------------------

BLUE = (20, 45, 160, 255)
RED = (210, 20, 30, 235)
SEAL_PX = 480   # 36 mm at ~340 dpi


def _font(size: int, bold: bool = True):
    from PIL import ImageFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    for folder in FONT_DIRS:
        if Path(folder, name).exists():
            return ImageFont.truetype(str(Path(folder, name)), size)
    return ImageFont.load_default(size)


def _png(image, ink: tuple[int, int, int, int]) -> bytes:
    """PNG of one ink colour: the shape lives in the alpha channel (small once embedded in a PDF)."""
    import io

    from PIL import Image

    alpha = image.getchannel("A").point(lambda a: a * ink[3] // 255)
    flat = Image.merge("RGBA", [Image.new("L", image.size, v) for v in ink[:3]] + [alpha])
    buf = io.BytesIO()
    flat.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def signature_png(name: str, width: int = 640, height: int = 280) -> bytes:
    """A blue, handwritten-looking signature on a transparent background (deterministic per name)."""
    from PIL import Image, ImageDraw

    rng = random.Random(name)
    scale = 3
    img = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    w, h = width * scale, height * scale
    waves = [(rng.uniform(0.5, 1.5), rng.uniform(0, 6.28), rng.uniform(0.08, 0.16)) for _ in range(2)]
    loops = rng.randint(4, 6)
    points = []
    for i in range(600):
        t = i / 599
        y = 0.55 + sum(a * math.sin(f * 6.28 * t + p) for f, p, a in waves)
        phase = 6.28 * loops * t
        x = 0.08 + 0.80 * t + 0.06 * math.sin(phase)         # back-and-forth strokes make loops
        y -= 0.20 * math.cos(phase) * (1 - 0.4 * t)
        points.append((w * x, h * min(0.95, max(0.05, y))))
    draw.line(points, fill=BLUE, width=5 * scale, joint="curve")
    draw.line([(w * 0.20, h * 0.86), (w * 0.55, h * 0.80), (w * 0.90, h * 0.83)], fill=BLUE, width=4 * scale,
              joint="curve")
    return _png(img.resize((width, height), Image.Resampling.LANCZOS), BLUE)


def seal_png(commune: str, province: str, size: int = SEAL_PX) -> bytes:
    """A red round seal with the commune's name around it, transparent background."""
    from PIL import Image, ImageDraw

    scale = 2
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = s / 2
    draw.ellipse([s * 0.02, s * 0.02, s * 0.98, s * 0.98], outline=RED, width=int(s * 0.025))
    draw.ellipse([s * 0.22, s * 0.22, s * 0.78, s * 0.78], outline=RED, width=int(s * 0.01))
    _text_on_circle(img, f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}", c, s * 0.37, top=True, size=int(s * 0.075))
    _text_on_circle(img, f"TỈNH {province.upper()}", c, s * 0.37, top=False, size=int(s * 0.075))
    _star(draw, c, c - s * 0.06, s * 0.14)
    label = _font(int(s * 0.07))
    for text, y in (("DEMO", c + s * 0.13),):
        box = draw.textbbox((0, 0), text, font=label)
        draw.text((c - (box[2] - box[0]) / 2, y - (box[3] - box[1]) / 2 - box[1]), text, font=label, fill=RED)
    return _png(img.resize((size, size), Image.Resampling.LANCZOS), RED)


def _star(draw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _text_on_circle(img, text: str, c: float, radius: float, *, top: bool, size: int) -> None:
    """Draw `text` along the upper arc (reading left to right) or the lower arc of a circle."""
    from PIL import Image, ImageDraw

    font = _font(size)
    widths = [font.getlength(ch) * 1.05 for ch in text]
    total = sum(widths) / radius                     # angle the text spans
    angle = (-math.pi / 2 - total / 2) if top else (math.pi / 2 + total / 2)
    for ch, w in zip(text, widths, strict=False):
        step = w / radius
        mid = angle + (step / 2 if top else -step / 2)
        tile = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((size, size), ch, font=font, fill=RED, anchor="mm")
        rotation = -math.degrees(mid) - 90 if top else -math.degrees(mid) + 90
        tile = tile.rotate(rotation, resample=Image.Resampling.BICUBIC)
        x, y = c + radius * math.cos(mid), c + radius * math.sin(mid)
        img.alpha_composite(tile, (int(x - size), int(y - size)))
        angle += step if top else -step


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Cách dùng: python -m doc_templates.demo_pki THƯ_MỤC  (mật khẩu trong $DEMO_PKI_PASSWORD)",
              file=sys.stderr)
        return 2
    password = os.environ.get("DEMO_PKI_PASSWORD", "")
    if not password:
        print("Thiếu biến môi trường DEMO_PKI_PASSWORD (mật khẩu của các tệp PKCS#12 demo).", file=sys.stderr)
        return 2
    paths = create(argv[0], password)
    print(f"PKI demo ({DEMO}) ở {Path(argv[0]).resolve()}: " + ", ".join(sorted(p.name for p in paths.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
