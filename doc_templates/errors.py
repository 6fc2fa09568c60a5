"""Errors raised by doc_templates, with messages in Vietnamese."""


class TemplateError(Exception):
    """A template is invalid, or rendering it with the given data failed."""


class ConversionError(Exception):
    """LibreOffice is missing, failed or timed out while converting to PDF."""


class SigningError(Exception):
    """A PDF could not be signed (wrong password or PIN, not PDF/A, no signature block…)."""
