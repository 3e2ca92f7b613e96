"""Claims from a document's metadata: Markdown front matter, and an HTML page's meta tags,
``rel=canonical`` / ``rel=license`` links and schema.org JSON-LD (as ``extract`` read them into
``Document.metadata``).

Only fields that say something about authorship, rights or origin are read; their ``origin``
says where each came from ("front matter: author", "meta: dc.rights", "link rel=canonical").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import Claim, Document
from .fields import Field, Role, as_text, field_claims
from .jsonld import json_ld_fields

FRONT_MATTER: dict[str, Role] = {
    "author": "author",
    "authors": "author",
    "byline": "author",
    "license": "license",
    "licence": "license",
    "copyright": "rights",
    "rights": "rights",
    "canonical": "link",
    "canonical_url": "link",
    "canonicalurl": "link",
    "source": "source",
    "source_url": "source",
    "original": "source",
    "original_url": "source",
    "publisher": "info",
    "date": "date",
    "published": "date",
    "publishdate": "date",
}
META: dict[str, Role] = {
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "dcterms.creator": "author",
    "copyright": "rights",
    "dc.rights": "rights",
    "dcterms.rights": "rights",
    "dc.license": "license",
    "dcterms.license": "license",
    "og:site_name": "info",
    "syndication-source": "link",  # Google's, deprecated in 2012 but still written
    "original-source": "link",
    "tdm-reservation": "info",  # TDMRep: 1 reserves text and data mining rights
    "tdm-policy": "info",
}


def _front_matter_fields(front_matter: dict[str, Any]) -> Iterator[Field]:
    for key, value in front_matter.items():
        role = FRONT_MATTER.get(str(key).lower())
        if role is None:
            continue
        # Several sources or links are several fields; several authors are one byline.
        values = value if isinstance(value, list) and role != "author" else [value]
        for item in values:
            text = as_text(item)
            if text:
                yield Field(f"front matter: {key}", role, text)


def _html_fields(metadata: dict[str, Any]) -> Iterator[Field]:
    for name, values in metadata.get("meta", {}).items():
        role = META.get(name)
        if role:
            for value in values:
                yield Field(f"meta: {name}", role, value)
    if metadata.get("canonical"):
        yield Field("link rel=canonical", "link", metadata["canonical"])
    for url in metadata.get("license_links", ()):
        yield Field("link rel=license", "license", url)
    yield from json_ld_fields(metadata.get("json_ld", ()))


def metadata_claims(document: Document) -> Iterator[Claim]:
    """The claims of ``document``'s metadata, field by field in the order read."""
    if document.format == "markdown":
        fields = _front_matter_fields(document.metadata)
    elif document.format == "html":
        fields = _html_fields(document.metadata)
    else:
        return
    for field in dict.fromkeys(fields):  # the same field twice (two JSON-LD objects) once
        yield from field_claims(field)
