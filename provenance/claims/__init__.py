"""What a document says about its own provenance: copyright and credit lines, licences, bylines,
links, agency credits, metadata, an embedded C2PA manifest.

Claims are read as written; deciding whether a claim is right for the sources the text matches
is the rules' job. Each kind has its own module; ``find_claims`` collects them: those in the
text in text order, then those of the metadata and, for HTML, of the page around the text.
"""

from __future__ import annotations

from ..models import CLAIM_KINDS, Claim, Document
from .agencies import agency_claims
from .bylines import byline_claims
from .c2pa import c2pa_claims
from .copyright import copyright_claims
from .credits import credit_claims
from .licenses import license_claims
from .links import link_claims
from .metadata import metadata_claims
from .page import page_claims


def find_claims(document: Document | str) -> list[Claim]:
    """Every claim ``document`` (or a plain text) makes: those in its text in the order they
    appear, then those of its metadata, then those of the page around an HTML document's main
    text."""
    if isinstance(document, str):
        document = Document("", document, "text", raw=document)
    text = document.text
    copyrights = list(copyright_claims(text))
    taken = {c.span for c in copyrights}  # a copyright line that also credits is a copyright
    credits = [c for c in credit_claims(text) if c.span not in taken]
    links = link_claims(document)
    c2pa = list(c2pa_claims(document))
    found = [
        *copyrights,
        *credits,
        *license_claims(text, links),
        *byline_claims(text),
        *links,
        *agency_claims(text),
        *(c for c in c2pa if c.origin == "text"),
    ]
    found.sort(key=lambda c: (c.span, CLAIM_KINDS.index(c.kind)))
    found.extend(metadata_claims(document))
    found.extend(page_claims(document))
    found.extend(c for c in c2pa if c.origin != "text")
    return found


__all__ = ["find_claims"]
