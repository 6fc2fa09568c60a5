"""Field extraction from uploaded documents: bytes or path in → `Extraction` out.

Text layer first (pdfplumber), Tesseract OCR for pages without one, then spaCy rules that read
the ND30 header, the signature block, the figures of the report and the commendation list.
Imports nothing from the rest of the project.
"""
from .model import Extraction, ExtractionError, OcrUnavailable, empty_fields
from .pipeline import extract

__all__ = ["extract", "Extraction", "ExtractionError", "OcrUnavailable", "empty_fields"]
