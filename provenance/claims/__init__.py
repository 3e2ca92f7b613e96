"""What a document says about its own provenance: copyright and credit lines, licences, bylines,
links, agency credits, metadata.

Claims are read as written; deciding whether a claim is right for the sources the text matches
is the rules' job. Each kind has its own module; ``find_claims`` collects them in text order.
"""

from __future__ import annotations

from ..models import CLAIM_KINDS, Claim, Document
from .agencies import agency_claims
from .copyright import copyright_claims
from .credits import credit_claims


def find_claims(document: Document | str) -> list[Claim]:
    """Every claim ``document`` (or a plain text) makes: those in its text in the order they
    appear, then those of its metadata."""
    if isinstance(document, str):
        document = Document("", document, "text")
    text = document.text
    copyrights = list(copyright_claims(text))
    taken = {c.span for c in copyrights}  # a copyright line that also credits is a copyright
    credits = [c for c in credit_claims(text) if c.span not in taken]
    found = [*copyrights, *credits, *agency_claims(text)]
    found.sort(key=lambda c: (c.span, CLAIM_KINDS.index(c.kind)))
    return found


__all__ = ["find_claims"]
