"""Sending stored files: only by database id, with a safe download name."""
from __future__ import annotations

import re
import unicodedata

from flask import send_file

from storage.files import store
from storage.models import Document, Report
from workflows.errors import Conflict, Invalid

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def download_name(title: str, ext: str) -> str:
    """An ASCII-safe name plus the UTF-8 one (Flask sends both per RFC 6266)."""
    name = unicodedata.normalize("NFC", title)
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f\x7f]+", "-", name).strip(" .-")[:120] or "tai-lieu"
    return f"{name}.{ext}"


def document_file(doc: Document, fmt: str):
    """The document's .docx or .pdf; any other format is refused (422), a PDF not made yet is 409."""
    if fmt not in MIME:
        raise Invalid("Định dạng phải là docx hoặc pdf.", "format")
    if fmt == "pdf" and doc.pdf_sha256 is None:
        msg = doc.pdf_error or "Bản PDF đang được tạo, vui lòng thử lại sau ít phút."
        raise Conflict(msg)
    sha = doc.pdf_sha256 if fmt == "pdf" else doc.sha256
    stem = f"{doc.kind}-{doc.number or doc.id}".replace("/", "-")
    return send_file(store().path(sha), mimetype=MIME[fmt], as_attachment=True,
                     download_name=download_name(stem, fmt), etag=sha)


REPORT_EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif",
                     "image/heic": "heic", "application/msword": "doc",
                     "application/vnd.oasis.opendocument.text": "odt",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def report_file(report: Report):
    ext = REPORT_EXTENSIONS[report.mime]
    stem = report.filename.rsplit(".", 1)[0]
    return send_file(store().path(report.sha256), mimetype=report.mime, as_attachment=True,
                     download_name=download_name(stem, ext), etag=report.sha256)


def original_file(original: dict):
    """One of the files a report was joined from ({filename, sha256, mime}), as it was received."""
    stem = original["filename"].rsplit(".", 1)[0]
    return send_file(store().path(original["sha256"]), mimetype=original["mime"], as_attachment=True,
                     download_name=download_name(stem, REPORT_EXTENSIONS[original["mime"]]), etag=original["sha256"])
