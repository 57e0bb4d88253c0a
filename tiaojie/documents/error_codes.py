"""The codes of documents's refusals (``DomainError.code``): stable, matched by clients and tests.
One enum per app, each member its wire value (Saleor's ``error_codes.py``)."""

from tiaojie.core.error_codes import ErrorCode


class DocumentsErrorCode(ErrorCode):
    DOCUMENT_NOT_APPLICABLE = "document_not_applicable"
    INVALID = "invalid"
    NO_DOCX = "no_docx"
    NOT_ACTIVE = "not_active"
    NOT_PERMITTED = "not_permitted"
    NOT_RENDERED = "not_rendered"
    TEMPLATE_INVALID = "template_invalid"
    SIGNATURE_INVALID = "signature_invalid"
