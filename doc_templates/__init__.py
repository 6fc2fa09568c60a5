"""Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) from .docx templates.

Context dict in → .docx bytes out (`render`, `render_many`); .docx → PDF through LibreOffice
(`PdfConverter`, `to_pdf`, `merge_pdfs`, PDF/A-2b with `pdfa=True`); `check_nd30` verifies the layout
rules; `doc_templates.signing` signs the PDF/A digitally (PAdES, ND30 images). Imports nothing
from the rest of the project; heavy modules load on first use.
"""
from __future__ import annotations

from importlib import import_module

from doc_templates import formats
from doc_templates.errors import ConversionError, SigningError, TemplateError
from doc_templates.kinds import KINDS

_LAZY = {
    "render": "engine", "render_many": "engine", "validate_template": "engine",
    "check_nd30": "checks", "PdfConverter": "pdf", "to_pdf": "pdf", "merge_pdfs": "pdf", "pdfa_part": "pdf",
}

__all__ = ["render", "render_many", "KINDS", "TemplateError", "validate_template", "check_nd30",
           "PdfConverter", "ConversionError", "to_pdf", "merge_pdfs", "pdfa_part", "SigningError", "formats"]


def __getattr__(name: str):
    """Load render, PDF and check functions on first use (keeps `import doc_templates` light)."""
    if name in _LAZY:
        return getattr(import_module(f"doc_templates.{_LAZY[name]}"), name)
    raise AttributeError(name)
