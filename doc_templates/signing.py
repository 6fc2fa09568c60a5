"""Digital signatures on issued papers: PAdES, shown as Nghị định 30/2020 Phụ lục I prescribes.

- `sign_as_signer`: the person with authority signs first: their signature image (blue PNG) centred between the
  title line and the name line of the signature block, found from the words of the PDF.
- `sign_as_body`: the office clerk adds the body's signature, shown as the seal image (red PNG, real
  size) covering the left third of the signer's image. An annex in the same file is not signed again.
- `sign_separate_annex`: an annex in its own file gets the body's signature with no image; the
  number and the signing time (ISO 8601, Vietnam time) are printed at the top right of its first page.

Keys: `pkcs12_signer` (file + password given at signing time) or `token_signer` (PKCS#11 token + PIN);
the private key never leaves its file or token, and nothing here stores a password. Every input
must be PDF/A-2 (`PdfConverter(pdfa=True)`); the signature is appended as an incremental update.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from doc_templates.errors import SigningError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4                      # PDF points per millimetre
SEAL_MM = 36                        # real diameter of a commune's seal
SIGNATURE_MAX_MM = (50, 22)         # largest signature image (width, height)
GAP_PAD = 2                         # points kept free above the name and below the title
SIGNER_FIELD = "ChuKyNguoiCoThamQuyen"
BODY_FIELD = "ChuKyCoQuan"
ANNEX_BOX_MM = (70, 10, 15, 8)      # annex stamp: width, height, right margin, top margin
FONTS = ("/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")

Box = tuple[float, float, float, float]   # x0, y0, x1, y1 in PDF points, origin bottom-left
for _logger in ("pyhanko.pdf_utils.layout", "fontTools.subset"):   # rounding notes, dropped font tables
    logging.getLogger(_logger).setLevel(logging.ERROR)
for _logger in ("pyhanko.sign.validation", "pyhanko_certvalidator"):  # no roots in _require_untouched
    logging.getLogger(_logger).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Block:
    """Where the signature block is: page index, the title line and the name line (PDF points)."""
    page: int
    title: Box
    name: Box


# --- keys ------------------------------------------------------------------------------------------

def pkcs12_signer(p12: bytes, password: str):
    """A pyHanko signer from PKCS#12 bytes; the password is used here and not kept."""
    from pyhanko.sign.signers import SimpleSigner

    try:
        return SimpleSigner.load_pkcs12_data(p12, (), passphrase=password.encode() if password else None)
    except ValueError:
        raise SigningError("Không mở được tệp chứng thư số (PKCS#12): sai mật khẩu hoặc tệp hỏng.") from None


@contextmanager
def token_signer(module: str, pin: str, *, token_label: str, key_label: str,
                 cert_label: str | None = None) -> Iterator[object]:
    """A signer on a PKCS#11 token (hardware token, SoftHSM2), logged in with `pin` for the block."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    def open_session():
        return pkcs11.open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)

    try:
        try:
            session = open_session()
        except Exception as exc:  # noqa: BLE001 — pyHanko raises a bare PKCS11Error for a missing token
            if "No token matching" not in str(exc):
                raise
            # The library lists the slots it saw when this process first loaded it: a token plugged in (or a
            # token store configured) since then is found only after it is initialised again.
            import pkcs11 as p11

            p11.lib(module).reinitialize()
            session = open_session()
    except Exception as exc:  # noqa: BLE001 — any token failure becomes one clear message
        raise SigningError(f"Không mở được thiết bị ký số “{token_label}”: sai mã PIN, chưa cắm "
                           f"thiết bị hoặc thư viện PKCS#11 không dùng được ({type(exc).__name__}).") from None
    try:
        # raw mechanism: hash here, sign the digest on the token (SoftHSM2 and many tokens lack
        # the combined ECDSA-SHA256 mechanism)
        yield pkcs11.PKCS11Signer(session, key_label=key_label, cert_label=cert_label or key_label,
                                  use_raw_mechanism=True)
    finally:
        session.close()


# --- where the images go ---------------------------------------------------------------------------

def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _runs(words: list[dict], tokens: list[str]) -> Iterator[dict]:
    """Consecutive words on one line whose texts are `tokens`; yields their joint box (top-origin)."""
    n = len(tokens)
    for i in range(len(words) - n + 1):
        run = words[i:i + n]
        if [_norm(w["text"]) for w in run] != tokens:
            continue
        if any(abs(w["top"] - run[0]["top"]) > 2 or w["x0"] - p["x1"] > 2 * (w["bottom"] - w["top"])
               for p, w in pairwise(run)):
            continue
        yield {"x0": run[0]["x0"], "x1": run[-1]["x1"], "top": min(w["top"] for w in run),
               "bottom": max(w["bottom"] for w in run)}


def _centre(run: dict) -> float:
    return (run["x0"] + run["x1"]) / 2


def find_block(pdf: bytes, title: str, name: str) -> Block:
    """The signature block of the signer: the first page where `name` sits under a line `title`.

    The title line is the nearest run of the title's words above the name, in the same column.
    """
    import pdfplumber

    title_tokens, name_tokens = _norm(title).split(), _norm(name).split()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            words = page.extract_words(keep_blank_chars=False)
            for name_run in _runs(words, name_tokens):
                above = [t for t in _runs(words, title_tokens)
                         if t["bottom"] <= name_run["top"] and name_run["top"] - t["bottom"] < 200
                         and abs(_centre(t) - _centre(name_run)) < 60]
                if above:
                    title_run = max(above, key=lambda t: t["bottom"])
                    return Block(index, _pdf_box(title_run, page.height), _pdf_box(name_run, page.height))
    raise SigningError(f"Không tìm thấy khối chữ ký “{title} … {name}” trong văn bản PDF: "
                       "không đặt được hình ảnh chữ ký số.")


def _pdf_box(run: dict, height: float) -> Box:
    return (run["x0"], height - run["bottom"], run["x1"], height - run["top"])


def signature_box(block: Block, image_size: tuple[int, int]) -> Box:
    """The signer's image: as large as fits between title and name (≤ 50 × 22 mm), centred."""
    gap_bottom, gap_top = block.name[3] + GAP_PAD, block.title[1] - GAP_PAD
    if gap_top - gap_bottom < 20:
        raise SigningError("Khoảng trống giữa chức vụ và họ tên người ký quá hẹp để đặt chữ ký số.")
    w, h = image_size
    scale = min(SIGNATURE_MAX_MM[0] * MM / w, min(SIGNATURE_MAX_MM[1] * MM, gap_top - gap_bottom) / h)
    cx = ((block.title[0] + block.title[2]) / 2 + (block.name[0] + block.name[2]) / 2) / 2
    cy = (gap_bottom + gap_top) / 2
    return (cx - w * scale / 2, cy - h * scale / 2, cx + w * scale / 2, cy + h * scale / 2)


def seal_box(signature: Box, seal_mm: float = SEAL_MM) -> Box:
    """The seal: real size, its right edge a third of the way into the signature, centred on it."""
    size = seal_mm * MM
    right = signature[0] + (signature[2] - signature[0]) / 3
    cy = (signature[1] + signature[3]) / 2
    return (right - size, cy - size / 2, right, cy + size / 2)


def annex_box(page_size: tuple[float, float]) -> Box:
    """Top right corner of an annex's first page (in the top margin, inside the right margin)."""
    width, height, right, top = (v * MM for v in ANNEX_BOX_MM)
    pw, ph = page_size
    return (pw - right - width, ph - top - height, pw - right, ph - top)


# --- signing ---------------------------------------------------------------------------------------

def sign_as_signer(pdf: bytes, signer, image_png: bytes, *, title: str, name: str,
                   reason: str = "Ký ban hành văn bản", location: str | None = None) -> bytes:
    """The person with authority signs first (an approval signature, so the body's can follow)."""
    from PIL import Image

    reader = _reader(pdf)
    if reader.embedded_signatures:
        raise SigningError("Văn bản đã có chữ ký số: văn bản đã ký không được ký lại hay sửa đổi; "
                           "muốn đính chính phải ban hành văn bản mới với số mới.")
    block = find_block(pdf, title, name)
    image = Image.open(io.BytesIO(image_png))
    box = signature_box(block, image.size)
    return _sign(pdf, signer, field=SIGNER_FIELD, page=block.page, box=box, style=_image_style(image),
                 reason=reason, location=location)


def sign_as_body(pdf: bytes, signer, seal_png: bytes, *, seal_mm: float = SEAL_MM,
                 reason: str = "Ký số của cơ quan ban hành", location: str | None = None) -> bytes:
    """The office clerk adds the body's signature over the signer's: the seal image, real size.

    Refused unless the signer's signature is intact and nothing was added to the file after it.
    """
    from PIL import Image

    reader = _reader(pdf)
    fields = {s.field_name for s in reader.embedded_signatures}
    if BODY_FIELD in fields:
        raise SigningError("Văn bản đã có chữ ký số của cơ quan; không ký lại.")
    if SIGNER_FIELD not in fields:
        raise SigningError("Văn bản chưa có chữ ký số của người có thẩm quyền: cơ quan chỉ ký số "
                           "sau khi người có thẩm quyền đã ký.")
    _require_untouched(next(s for s in reader.embedded_signatures if s.field_name == SIGNER_FIELD))
    page, signature = _widget(reader, SIGNER_FIELD)
    return _sign(pdf, signer, field=BODY_FIELD, page=page, box=seal_box(signature, seal_mm),
                 style=_image_style(Image.open(io.BytesIO(seal_png))), reason=reason, location=location)


def sign_separate_annex(pdf: bytes, signer, *, number: str,
                        reason: str = "Ký số của cơ quan trên văn bản kèm theo",
                        location: str | None = None) -> bytes:
    """The body's signature on an annex in its own file: no image; number and ISO time top right."""
    from pyhanko.sign.fields import MDPPerm

    reader = _reader(pdf)
    if reader.embedded_signatures:
        raise SigningError("Tệp văn bản kèm theo đã có chữ ký số; không ký lại.")
    first = _page_refs(reader)[0].get_object()
    x0, y0, x1, y1 = (float(v) for v in first["/MediaBox"])
    template = "%(number)s\n%(time)s"
    sample = template % {"number": number, "time": "0123456789-:T+"}
    return _sign(pdf, signer, field=BODY_FIELD, page=0, box=annex_box((x1 - x0, y1 - y0)),
                 style=_annex_style(sample, template), reason=reason, location=location,
                 certify=MDPPerm.NO_CHANGES, text=lambda now: {"number": number, "time": iso_vn(now)})


def iso_vn(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, to the second: 2026-01-05T09:30:12+07:00."""
    return moment.astimezone(VN).replace(microsecond=0).isoformat()


def _reader(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from doc_templates.pdf import pdfa_part

    if pdfa_part(pdf) not in ("2B", "2U", "2A"):
        raise SigningError("Văn bản phải ở định dạng lưu trữ PDF/A-2 trước khi ký số "
                           "(chuyển bằng PdfConverter(pdfa=True)).")
    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # noqa: BLE001
        raise SigningError(f"Tệp PDF hỏng, không ký được ({type(exc).__name__}).") from None


def _require_untouched(sig) -> None:
    """The signer's signature must be intact and cover the whole file before the body seals it."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[], allow_fetching=False))
        untouched = status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:  # noqa: BLE001 — unreadable signature data
        untouched = False
    if not untouched:
        raise SigningError("Chữ ký số của người có thẩm quyền không còn nguyên vẹn hoặc văn bản đã bị sửa "
                           "đổi sau khi ký: cơ quan không ký số lên văn bản này.")


def _widget(reader, field: str) -> tuple[int, Box]:
    """Page index and rectangle of the widget of signature field `field`."""
    pages = [p.idnum for p in _page_refs(reader)]
    for ref in reader.root["/AcroForm"]["/Fields"]:
        obj = ref.get_object()
        if obj.get("/T") == field:
            page_ref = obj.raw_get("/P") if "/P" in obj else None
            page = pages.index(page_ref.idnum) if page_ref is not None and page_ref.idnum in pages else 0
            x0, y0, x1, y1 = (float(v) for v in obj["/Rect"])
            return page, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    raise SigningError(f"Không tìm thấy trường chữ ký “{field}”.")


def _page_refs(reader) -> list:
    out = []

    def walk(node_ref):
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            out.append(node_ref)
    walk(reader.root.raw_get("/Pages"))
    return out


def _image_style(image):
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.stamp import StaticStampStyle

    layout = SimpleBoxLayoutRule(x_align=_align("ALIGN_MID"), y_align=_align("ALIGN_MID"),
                                 margins=Margins.uniform(0), inner_content_scaling=InnerScaling.STRETCH_TO_FIT)
    return StaticStampStyle(background=PdfImage(image.convert("RGBA")), background_opacity=1.0,
                            border_width=0, background_layout=layout)


def _annex_style(sample: str, template: str):
    from pyhanko.pdf_utils.layout import Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    box = SimpleBoxLayoutRule(x_align=_align("ALIGN_MAX"), y_align=_align("ALIGN_MAX"), margins=Margins.uniform(0))
    style = TextBoxStyle(font=_font_factory(_font_1000(sample), 10), border_width=0, text_color=(0, 0, 0),
                         box_layout_rule=box, leading=12)
    return TextStampStyle(stamp_text=template, text_box_style=style, border_width=0, inner_content_layout=box)


def _font_1000(text: str) -> bytes:
    """Times New Roman (or Liberation Serif), cut to `text`'s characters, at 1000 units per em.

    pyHanko writes glyph widths in the font's own units, which PDF reads as 1/1000 em: right only
    for fonts of 1000 units per em (TrueType fonts usually have 2048).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    path = next((f for f in FONTS if Path(f).exists()), None)
    if path is None:
        raise SigningError("Thiếu phông chữ Times New Roman/Liberation Serif để in thông tin chữ ký số.")
    font = TTFont(path)
    cutter = subset.Subsetter(subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True))
    cutter.populate(text=text + " ")
    cutter.subset(font)
    scale_upem(font, 1000)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _font_factory(data: bytes, font_size: int):
    """A pyHanko font engine factory that reads the font from bytes."""
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class BytesFontFactory(FontEngineFactory):
        def create_font_engine(self, writer, obj_stream=None):
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(data), font_size=font_size,
                                    obj_stream=obj_stream)
    return BytesFontFactory()


def _align(name: str):
    from pyhanko.pdf_utils.layout import AxisAlignment

    return AxisAlignment[name]


def _sign(pdf: bytes, signer, *, field: str, page: int, box: Box, style, reason: str,
          location: str | None, certify=None, text=None) -> bytes:
    """Append one PAdES signature in a new visible field; the signing time is now, Vietnam time."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    meta = PdfSignatureMetadata(field_name=field, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
                                reason=reason, location=location, certify=certify is not None,
                                **({"docmdp_permissions": certify} if certify is not None else {}))
    x1, y1, x2, y2 = (round(v, 2) for v in box)
    # pyHanko annotates the box as ints but writes any number into the PDF; the 0.01 pt precision is kept
    spec = SigFieldSpec(field, on_page=page, box=(x1, y1, x2, y2))  # type: ignore[arg-type]
    pdf_signer = PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        return asyncio.run(_sign_async(pdf_signer, writer, text))
    except SigningError:
        raise
    except Exception as exc:  # key, token or PDF failures: one clear message
        raise SigningError(f"Ký số không thành công: {type(exc).__name__}: {str(exc)[:200]}") from exc


async def _sign_async(pdf_signer, writer, text) -> bytes:
    """pyHanko's `async_sign_pdf`, with the signing time set to now in Vietnam time.

    The same moment is the signature's /M, the CMS signing-time of non-PAdES signers, and the
    time printed by the annex stamp.
    """
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    session = pdf_signer.init_signing_session(writer)
    now = dt.datetime.now(VN).replace(microsecond=0)
    session.system_time = now
    info = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(info, tight=False)
    tbs = session.prepare_tbs_document(validation_info=info, bytes_reserved=reserved,
                                       appearance_text_params=text(now) if text else None)
    prepared, output = tbs.digest_tbs_document()
    post = await tbs.perform_signature(document_digest=prepared.document_digest,
                                       pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=now))
    await post.post_signature_processing(output)
    return output.getvalue()
